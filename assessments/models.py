"""The ten-question relationship assessment: versioned questions, assessments and their answers."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessments.rules import Cadence
from kam_portal.singleton import SingletonSettings

CADENCE = Cadence()  # the rules' defaults

SCALE_POINTS = (1, 2, 3, 4, 5)


def in_language(english: str, hebrew: str, language: str | None = None) -> str:
    """The Hebrew text when the active language is Hebrew (and it is filled), else English."""
    language = language or get_language() or "en"
    if language.startswith("he") and hebrew:
        return hebrew
    return english


class AnswerKind(models.TextChoices):
    SCALE = "scale", _("1-5 scale")
    MONEY = "money", _("Revenue and profit over 1, 5 and 10 years")
    MONTHS = "months", _("Months")
    YES_NO_COUNT = "yes_no_count", _("Yes/no and a count")


class AssessmentSettings(SingletonSettings):
    """Cadence and the perception-gap margin; one row (pk=1), edited in the admin."""

    strategic_days = models.PositiveSmallIntegerField(
        _("strategic: days between"), default=CADENCE.strategic
    )
    defend_days = models.PositiveSmallIntegerField(
        _("defend: days between"), default=CADENCE.defend
    )
    grow_days = models.PositiveSmallIntegerField(_("grow: days between"), default=CADENCE.grow)
    default_days = models.PositiveSmallIntegerField(
        _("no segment yet: days between"),
        default=CADENCE.default,
        help_text=_("Cadence for programme accounts that have no segment yet."),
    )
    perception_gap_margin_pct = models.DecimalField(
        _("perception-gap margin (%)"),
        max_digits=5,
        decimal_places=2,
        default=10,
        help_text=_(
            "A gap is recorded when the answer to question 4 and the year-on-year change in "
            "revenue point in opposite directions by more than this many percent."
        ),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assessment settings")
        verbose_name_plural = _("assessment settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(strategic_days__gt=0)
                & Q(defend_days__gt=0)
                & Q(grow_days__gt=0)
                & Q(default_days__gt=0),
                name="assessment_settings_days_positive",
            ),
            models.CheckConstraint(
                condition=Q(perception_gap_margin_pct__gte=0), name="assessment_gap_margin_gte_0"
            ),
        ]

    def __str__(self) -> str:
        return str(_("Assessment settings"))


class TemplateVersion(models.Model):
    """One version of the ten questions; assessments keep the version they were filled on."""

    number = models.PositiveIntegerField(_("version"), unique=True)
    note = models.CharField(_("what changed"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("question template version")
        verbose_name_plural = _("question template versions")

    def __str__(self) -> str:
        return str(_("Version %(number)s") % {"number": self.number})


class Question(models.Model):
    version = models.ForeignKey(TemplateVersion, on_delete=models.CASCADE, related_name="questions")
    number = models.PositiveSmallIntegerField(_("number"))
    kind = models.CharField(_("answer kind"), max_length=20, choices=AnswerKind.choices)
    text_en = models.TextField(_("question (English)"))
    text_he = models.TextField(_("question (Hebrew)"))
    help_en = models.TextField(_("help text (English)"), blank=True)
    help_he = models.TextField(_("help text (Hebrew)"), blank=True)
    weight = models.DecimalField(
        _("weight in the score"),
        max_digits=5,
        decimal_places=2,
        default=0,
        help_text=_("Only 1-5 scale questions count towards the score."),
    )
    label_1_en = models.CharField(_("label at 1 (English)"), max_length=100, blank=True)
    label_2_en = models.CharField(_("label at 2 (English)"), max_length=100, blank=True)
    label_3_en = models.CharField(_("label at 3 (English)"), max_length=100, blank=True)
    label_4_en = models.CharField(_("label at 4 (English)"), max_length=100, blank=True)
    label_5_en = models.CharField(_("label at 5 (English)"), max_length=100, blank=True)
    label_1_he = models.CharField(_("label at 1 (Hebrew)"), max_length=100, blank=True)
    label_2_he = models.CharField(_("label at 2 (Hebrew)"), max_length=100, blank=True)
    label_3_he = models.CharField(_("label at 3 (Hebrew)"), max_length=100, blank=True)
    label_4_he = models.CharField(_("label at 4 (Hebrew)"), max_length=100, blank=True)
    label_5_he = models.CharField(_("label at 5 (Hebrew)"), max_length=100, blank=True)

    class Meta:
        ordering = ["version", "number"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(fields=["version", "number"], name="question_number_unique"),
            models.CheckConstraint(
                condition=Q(kind__in=AnswerKind.values), name="question_kind_valid"
            ),
            models.CheckConstraint(condition=Q(weight__gte=0), name="question_weight_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text}"

    @property
    def text(self) -> str:
        return in_language(self.text_en, self.text_he)

    @property
    def help(self) -> str:
        return in_language(self.help_en, self.help_he)

    @property
    def is_scale(self) -> bool:
        return self.kind == AnswerKind.SCALE

    def scale_labels(self) -> list[tuple[int, str]]:
        """(point, label) for 1..5 in the active language; an empty label shows the number."""
        return [
            (
                point,
                in_language(getattr(self, f"label_{point}_en"), getattr(self, f"label_{point}_he"))
                or str(point),
            )
            for point in SCALE_POINTS
        ]


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class Assessment(models.Model):
    account = models.ForeignKey(
        "accounts.Account",
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="assessments",
    )
    template_version = models.ForeignKey(
        TemplateVersion,
        verbose_name=_("question version"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assessments",
    )
    last_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last edited by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    # Optimistic locking: every save must name the version it started from.
    lock_version = models.PositiveIntegerField(default=1)
    score = models.DecimalField(
        _("relationship score"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    # The numbers behind a perception gap (see rules.perception_gap); null when there is none.
    perception_gap = models.JSONField(_("perception gap"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("relationship assessment")
        verbose_name_plural = _("relationship assessments")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=AssessmentStatus.values), name="assessment_status_valid"
            ),
            models.CheckConstraint(
                condition=(Q(status=AssessmentStatus.SUBMITTED) & Q(submitted_at__isnull=False))
                | (Q(status=AssessmentStatus.DRAFT) & Q(submitted_at__isnull=True)),
                name="assessment_submitted_at_iff_submitted",
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | (Q(score__gte=0) & Q(score__lte=100)),
                name="assessment_score_0_100",
            ),
            # One open draft per account: "fill" continues it rather than starting another.
            models.UniqueConstraint(
                fields=["account"],
                condition=Q(status=AssessmentStatus.DRAFT),
                name="assessment_one_draft_per_account",
            ),
        ]
        indexes = [
            models.Index(
                fields=["account", "status", "submitted_at"], name="assessment_account_status_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account} · {self.get_status_display()} · {self.created_at:%Y-%m-%d}"

    @property
    def is_draft(self) -> bool:
        return self.status == AssessmentStatus.DRAFT


class Answer(models.Model):
    """The answer to one question; which columns are used depends on the question's kind."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    scale = models.PositiveSmallIntegerField(_("scale"), null=True, blank=True)
    yes_no = models.BooleanField(_("yes / no"), null=True, blank=True)
    count = models.PositiveIntegerField(_("count"), null=True, blank=True)
    months = models.PositiveIntegerField(_("months"), null=True, blank=True)
    revenue_1y = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    revenue_5y = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    revenue_10y = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    profit_1y = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    profit_5y = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    profit_10y = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["question__number"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "question"], name="answer_unique"),
            models.CheckConstraint(
                condition=Q(scale__isnull=True) | (Q(scale__gte=1) & Q(scale__lte=5)),
                name="answer_scale_1_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id} · {self.question.number}"
