"""Customer accounts and what happens with them: contacts, orders, events."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

if TYPE_CHECKING:
    from users.models import User


class AccountStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")
    CLOSED = "closed", _("Closed")


class Account(models.Model):
    """A business customer, keyed by its ERP id."""

    external_id = models.CharField(_("ERP id"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account manager"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_accounts",
    )
    team_members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account team"),
        blank=True,
        related_name="team_accounts",
        help_text=_("Further people who work this account beside its account manager."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=AccountStatus.choices, default=AccountStatus.ACTIVE
    )
    purchasing_potential = models.DecimalField(
        _("annual purchasing potential"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("What the customer could buy from us in a year, if known."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("customer account")
        verbose_name_plural = _("customer accounts")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=AccountStatus.values), name="account_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(purchasing_potential__isnull=True) | Q(purchasing_potential__gte=0),
                name="account_potential_not_negative",
            ),
            models.CheckConstraint(condition=~Q(external_id=""), name="account_external_id_set"),
        ]
        indexes = [models.Index(fields=["owner", "name"], name="account_owner_name_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.external_id})"


class ContactQuerySet(models.QuerySet):
    def current(self) -> "ContactQuerySet":
        return self.filter(ended_on__isnull=True)

    def primary_replacements(self) -> "ContactQuerySet":
        """Primary contacts who took over from an earlier primary contact: an organisational change.

        The change dates from the newcomer's `started_on`.
        """
        # "Earlier" means started before the newcomer, or (start unknown) ended by then.
        earlier_primary = Contact.objects.filter(
            Q(started_on__lt=OuterRef("started_on")) | Q(ended_on__lte=OuterRef("started_on")),
            account=OuterRef("account"),
            is_primary=True,
        ).exclude(pk=OuterRef("pk"))
        return self.filter(is_primary=True, started_on__isnull=False).filter(
            Exists(earlier_primary)
        )


class Contact(models.Model):
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="contacts")
    # The ERP's or CRM's id of an imported contact: what a re-import updates (NULL: entered here).
    external_ref = models.CharField(
        _("ERP contact reference"), max_length=64, unique=True, null=True, blank=True
    )
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    is_primary = models.BooleanField(_("primary contact"), default=False)
    started_on = models.DateField(_("start date"), null=True, blank=True)
    ended_on = models.DateField(_("end date"), null=True, blank=True)

    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["-is_primary", "name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        constraints = [
            models.UniqueConstraint(
                fields=["account"],
                condition=Q(is_primary=True, ended_on__isnull=True),
                name="contact_one_current_primary",
                violation_error_message=_("This account already has a current primary contact."),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(ended_on__gte=models.F("started_on")),
                name="contact_ends_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(condition=~Q(external_ref=""), name="contact_external_ref_set"),
        ]

    def __str__(self) -> str:
        return self.name


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    MESSAGE = "message", _("E-mail / message")
    SMS = "sms", _("SMS")
    WEBSITE = "website", _("Website")
    FIELD_SALES = "field_sales", _("Field sales")
    SERVICE_DESK = "service_desk", _("Service desk")
    TECHNICAL = "technical", _("Technical staff")
    OTHER = "other", _("Other")


class Order(models.Model):
    """One order (or return, with negative amounts) as the ERP records it."""

    external_ref = models.CharField(_("ERP order reference"), max_length=64, unique=True)
    # No index of its own: the (account, order date) index below leads with it.
    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="orders", db_index=False
    )
    ordered_on = models.DateField(_("order date"))
    channel = models.CharField(
        _("channel"), max_length=20, choices=Channel.choices, default=Channel.OTHER
    )
    revenue = models.DecimalField(_("revenue"), max_digits=14, decimal_places=2)
    gross_profit = models.DecimalField(
        _("gross profit"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    price_compared = models.BooleanField(
        _("price compared"),
        default=False,
        help_text=_("The customer compared our price with other suppliers on this order."),
    )
    product_category = models.CharField(_("product category"), max_length=100, blank=True)

    class Meta:
        ordering = ["-ordered_on", "-id"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        constraints = [
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values), name="order_channel_valid"
            ),
            models.CheckConstraint(condition=~Q(external_ref=""), name="order_external_ref_set"),
        ]
        indexes = [
            # The nightly job and the account page read one customer's orders by date; the
            # account list sums one year of them per customer. Carrying the amounts lets
            # PostgreSQL answer those sums from the index alone (an index-only scan: 2.5x
            # faster for the list sorted by revenue at 100,000 customers, docs/performance.md).
            models.Index(
                fields=["account", "ordered_on"],
                include=["revenue", "gross_profit"],
                name="order_account_date_cover",
            ),
            models.Index(fields=["ordered_on"], name="order_date_idx"),
        ]

    def __str__(self) -> str:
        return self.external_ref


class EventKind(models.TextChoices):
    COMPETITOR = "competitor", _("Competitor activity")
    COMPLAINT = "complaint", _("Complaint")
    SATISFACTION = "satisfaction", _("Satisfaction score")
    ORG_CHANGE = "org_change", _("Organisational change")
    NOTE = "note", _("Note")
    MEETING = "meeting", _("Meeting")
    CALL = "call", _("Call")


class AccountEvent(models.Model):
    """Something a person recorded about an account: the soft evidence beside the orders."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="events")
    # The source system's id of an imported event: what a re-import updates (NULL: entered here).
    external_ref = models.CharField(
        _("ERP event reference"), max_length=64, unique=True, null=True, blank=True
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    occurred_on = models.DateField(_("date"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="account_events",
    )
    score = models.PositiveSmallIntegerField(
        _("satisfaction score"), null=True, blank=True, help_text=_("0 (very unhappy) to 10.")
    )
    text = models.TextField(_("text"), blank=True)
    # Competitor activity only. A database default too, so bulk loads (COPY) that name only the
    # older columns still write a row.
    competitor = models.CharField(
        _("competitor"), max_length=200, blank=True, default="", db_default=""
    )
    offer = models.TextField(_("what they offered"), blank=True, default="", db_default="")
    created_at = models.DateTimeField(auto_now_add=True)

    # Who changed or deleted an entry, and what it said before: the author may edit or delete
    # for 24 hours (accounts.events), and the Django admin may at any time.
    history = HistoricalRecords()
    _history_user: "User"  # the author simple_history records, set by the services

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("account event")
        verbose_name_plural = _("account events")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=EventKind.values), name="event_kind_valid"),
            models.CheckConstraint(condition=~Q(external_ref=""), name="event_external_ref_set"),
            # A satisfaction event carries a 0-10 score; no other kind carries one.
            models.CheckConstraint(
                condition=(
                    Q(kind=EventKind.SATISFACTION)
                    & Q(score__isnull=False, score__gte=0, score__lte=10)
                )
                | (~Q(kind=EventKind.SATISFACTION) & Q(score__isnull=True)),
                name="event_score_only_for_satisfaction",
                violation_error_message=_(
                    "A satisfaction score (0-10) goes with satisfaction events only."
                ),
            ),
            models.CheckConstraint(
                condition=Q(kind=EventKind.COMPETITOR) | Q(competitor="", offer=""),
                name="event_competitor_only_for_competitor",
                violation_error_message=_(
                    "A competitor and their offer go with competitor activity only."
                ),
            ),
        ]
        indexes = [
            models.Index(
                fields=["account", "kind", "occurred_on"], name="event_account_kind_date_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_on}"


class AccountMonth(models.Model):
    """One customer's orders summed per calendar month: what dashboards chart, so that no page
    sums orders. Kept current where orders are written (accounts.rollup)."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="months")
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    revenue = models.DecimalField(_("revenue"), max_digits=16, decimal_places=2)
    gross_profit = models.DecimalField(_("gross profit"), max_digits=16, decimal_places=2)
    orders = models.PositiveIntegerField(_("orders"))

    class Meta:
        ordering = ["account", "month"]
        verbose_name = _("account month")
        verbose_name_plural = _("account months")
        constraints = [
            models.UniqueConstraint(fields=["account", "month"], name="account_month_unique"),
            models.CheckConstraint(condition=Q(month__day=1), name="account_month_first_day"),
        ]
        # The unique constraint's index leads with the account; dashboards also read a range
        # of months across accounts.
        indexes = [models.Index(fields=["month"], name="account_month_month_idx")]

    def __str__(self) -> str:
        return f"{self.account_id} {self.month:%Y-%m}"


class DataVersion(models.Model):
    """A token that changes whenever data that cached pages read changes (accounts.versions):
    a page cached under the token is never served after such a change."""

    name = models.CharField(max_length=40, primary_key=True)
    token = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("data version")
        verbose_name_plural = _("data versions")

    def __str__(self) -> str:
        return f"{self.name} {self.token}"


class AccountChangeKind(models.TextChoices):
    REASSIGNED = "reassigned", _("Reassigned")
    TEAM_MEMBER_ADDED = "team_member_added", _("Added to the account team")
    TEAM_MEMBER_REMOVED = "team_member_removed", _("Removed from the account team")


class AccountChange(models.Model):
    """Who changed an account's owner or account team, when, from whom, to whom and why.

    Written by accounts.services in the same transaction as the change; never edited. The people
    it names are protected: a user who appears here is deactivated, not deleted, so the history
    keeps saying who.
    """

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(_("change"), max_length=20, choices=AccountChangeKind.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)
    # reassigned: the old owner (none if the account had none); team_member_removed: the member.
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("from"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # reassigned: the new owner; team_member_added: the member.
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("account change")
        verbose_name_plural = _("account changes")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=AccountChangeKind.values), name="account_change_kind_valid"
            ),
            # Each kind names exactly the people it moves.
            models.CheckConstraint(
                condition=Q(kind=AccountChangeKind.REASSIGNED, to_user__isnull=False)
                | Q(
                    kind=AccountChangeKind.TEAM_MEMBER_ADDED,
                    to_user__isnull=False,
                    from_user__isnull=True,
                )
                | Q(
                    kind=AccountChangeKind.TEAM_MEMBER_REMOVED,
                    from_user__isnull=False,
                    to_user__isnull=True,
                ),
                name="account_change_people_match_kind",
            ),
            models.CheckConstraint(
                condition=~Q(kind=AccountChangeKind.REASSIGNED) | ~Q(reason=""),
                name="account_change_reassign_has_reason",
            ),
            # NULL (an account without owner) passes: moving it to someone is a change.
            models.CheckConstraint(
                condition=~Q(from_user=models.F("to_user")),
                name="account_change_moves_somewhere",
            ),
        ]
        indexes = [models.Index(fields=["account", "-at"], name="account_change_account_at_idx")]

    def __str__(self) -> str:
        return f"{self.account_id} {self.kind} {self.at:%Y-%m-%d}"
