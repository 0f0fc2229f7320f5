"""The account page's forms: an entry in the log (its fields follow the kind), a contact, and a
contact who leaves. Forms check types and sizes; the services check the rules (dates, what each
kind needs) and their refusals land on the same fields (`kam_portal.refusals.add_refusal`)."""

import datetime as dt
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.contacts import ContactDetails
from accounts.event_rules import SCORE_MAX, SCORE_MIN
from accounts.models import AccountEvent, Contact, EventKind
from kam_portal.limits import EARLIEST_DATE, validate_date_in_range

MAX_TEXT = 4000
# The kinds in the order the selector offers them: the everyday ones first.
LOG_KINDS = (
    EventKind.MEETING,
    EventKind.CALL,
    EventKind.COMPLAINT,
    EventKind.COMPETITOR,
    EventKind.SATISFACTION,
    EventKind.ORG_CHANGE,
    EventKind.NOTE,
)
# The fields each kind shows beside the kind and the date, and those it needs
# (as accounts.event_rules requires them).
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    EventKind.COMPETITOR: ("competitor", "offer", "text"),
    EventKind.SATISFACTION: ("score", "text"),
}
KIND_NEEDS: dict[str, tuple[str, ...]] = {
    EventKind.COMPETITOR: ("competitor", "offer"),
    EventKind.SATISFACTION: ("score",),
}
DEFAULT_FIELDS = ("text",)
ENTRY_FIELDS = ("kind", "occurred_on", "score", "competitor", "offer", "text")


def _date_widget(*, low: dt.date, high: dt.date) -> forms.DateInput:
    """A date picker that offers only the days the rules accept."""
    return forms.DateInput(
        attrs={"type": "date", "min": low.isoformat(), "max": high.isoformat()}, format="%Y-%m-%d"
    )


def _kind_switch(url: str) -> dict[str, str]:
    """htmx on the kind selector: fetch the form with the fields of the new kind, keeping what
    was typed (the CSRF token stays out of the URL). Without JavaScript the form still posts,
    and comes back with the new kind's fields if they are missing."""
    return {
        "hx-get": url,
        "hx-trigger": "change",
        "hx-target": "#account-log",
        "hx-swap": "outerHTML",
        "hx-include": "closest form",
        "hx-params": "not csrfmiddlewaretoken",
    }


class EventForm(forms.Form):
    """One entry in the log. The fields shown follow the chosen kind (`kind` in the data, else
    in `initial`): a competitor and their offer, a satisfaction score, or the text alone."""

    kind = forms.ChoiceField(
        label=_("What happened"), choices=[(k.value, k.label) for k in LOG_KINDS]
    )
    occurred_on = forms.DateField(label=_("Date"), validators=[validate_date_in_range])
    competitor = forms.CharField(
        label=_("Competitor"), max_length=AccountEvent._meta.get_field("competitor").max_length
    )
    offer = forms.CharField(
        label=_("What they offered"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    score = forms.IntegerField(
        label=_("Satisfaction score (0–10)"), min_value=SCORE_MIN, max_value=SCORE_MAX
    )
    text = forms.CharField(
        label=_("What happened, in a few words"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(
        self,
        *args: Any,
        today: dt.date,
        first_order_on: dt.date | None,
        switch_url: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.chosen_kind = self._kind()
        shown = KIND_FIELDS.get(self.chosen_kind, DEFAULT_FIELDS)
        needs = KIND_NEEDS.get(self.chosen_kind, DEFAULT_FIELDS)
        for name in ("competitor", "offer", "score", "text"):
            if name not in shown:
                del self.fields[name]
            else:
                self.fields[name].required = name in needs
        low = max(EARLIEST_DATE, first_order_on or EARLIEST_DATE)
        self.fields["occurred_on"].widget = _date_widget(low=low, high=today)
        self.fields["occurred_on"].initial = today
        if switch_url:
            self.fields["kind"].widget.attrs.update(_kind_switch(switch_url))

    def _kind(self) -> str:
        raw = self.data.get(self.add_prefix("kind")) if self.is_bound else self.initial.get("kind")
        return str(raw) if raw in EventKind.values else LOG_KINDS[0].value

    def entry(self) -> dict[str, Any]:
        """The cleaned entry as the services take it."""
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "occurred_on": data["occurred_on"],
            "text": data.get("text", ""),
            "score": data.get("score"),
            "competitor": data.get("competitor", ""),
            "offer": data.get("offer", ""),
        }

    @staticmethod
    def initial_from(event: AccountEvent) -> dict[str, Any]:
        return {name: getattr(event, name) for name in ENTRY_FIELDS}

    @staticmethod
    def initial_from_query(query: Any) -> dict[str, Any]:
        """What was typed before the kind changed (htmx sends it along), so it is kept."""
        return {name: query[name] for name in ENTRY_FIELDS if query.get(name)}


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=Contact._meta.get_field("name").max_length)
    title = forms.CharField(
        label=_("Title"), max_length=Contact._meta.get_field("title").max_length, required=False
    )
    email = forms.EmailField(
        label=_("E-mail"), max_length=Contact._meta.get_field("email").max_length, required=False
    )
    phone = forms.CharField(
        label=_("Phone"), max_length=Contact._meta.get_field("phone").max_length, required=False
    )
    started_on = forms.DateField(
        label=_("In the role since"), required=False, validators=[validate_date_in_range]
    )
    is_primary = forms.BooleanField(
        label=_("Primary contact"),
        required=False,
        help_text=_("Replacing the primary contact logs an organisational change."),
    )

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["started_on"].widget = _date_widget(low=EARLIEST_DATE, high=today)

    def details(self) -> ContactDetails:
        data = self.cleaned_data
        return ContactDetails(
            name=data["name"],
            title=data["title"],
            email=data["email"],
            phone=data["phone"],
            started_on=data["started_on"],
        )

    @staticmethod
    def initial_from(contact: Contact) -> dict[str, Any]:
        names = ("name", "title", "email", "phone", "started_on", "is_primary")
        return {name: getattr(contact, name) for name in names}


class ContactEndForm(forms.Form):
    """The day a contact left and, for the primary contact, who takes over."""

    ended_on = forms.DateField(label=_("Left on"), validators=[validate_date_in_range])
    successor = forms.TypedChoiceField(
        label=_("New primary contact"),
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Naming a successor logs an organisational change."),
    )

    def __init__(
        self, *args: Any, contact: Contact, candidates: list[Contact], today: dt.date, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.candidates = {c.pk: c for c in candidates}
        low = max(EARLIEST_DATE, contact.started_on or EARLIEST_DATE)
        self.fields["ended_on"].widget = _date_widget(low=low, high=today)
        self.fields["ended_on"].initial = today
        if contact.is_primary and candidates:
            successor = cast(forms.TypedChoiceField, self.fields["successor"])
            successor.choices = [("", _("Nobody for now")), *[(c.pk, c.name) for c in candidates]]
        else:
            del self.fields["successor"]

    def chosen_successor(self) -> Contact | None:
        pk = self.cleaned_data.get("successor")
        return None if pk is None else self.candidates[pk]
