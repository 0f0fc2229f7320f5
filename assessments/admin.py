"""Admin: the question template (editing a version saves a new one), settings, assessments."""

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Max
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from assessments.models import (
    Answer,
    Assessment,
    AssessmentSettings,
    Question,
    TemplateVersion,
)
from users.models import User
from users.requests import signed_in_user


class QuestionInline(admin.StackedInline):
    model = Question
    extra = 0
    min_num = 1  # a version without questions could not be filled
    fieldsets = (
        (None, {"fields": (("number", "kind", "weight"),)}),
        (
            _("English"),
            {
                "fields": (
                    "text_en",
                    "help_en",
                    ("label_1_en", "label_2_en", "label_3_en", "label_4_en", "label_5_en"),
                )
            },
        ),
        (
            _("Hebrew"),
            {
                "fields": (
                    "text_he",
                    "help_he",
                    ("label_1_he", "label_2_he", "label_3_he", "label_4_he", "label_5_he"),
                )
            },
        ),
    )


def template_version_save_as_new(
    *, version: TemplateVersion, formsets: list[BaseInlineFormSet], by: User
) -> TemplateVersion:
    """Save an edited version as the next version number, with every kept question copied.

    The edited version itself is left as it was, so assessments filled on it keep their wording.
    """
    with transaction.atomic():
        latest = TemplateVersion.objects.aggregate(latest=Max("number"))["latest"] or 0
        new_version = TemplateVersion.objects.create(
            number=latest + 1, note=version.note, created_by=by
        )
        for formset in formsets:
            for form in formset.forms:
                if form in formset.deleted_forms or not (form.instance.pk or form.has_changed()):
                    continue
                question = form.instance  # carries the edited values after validation
                question.pk = None
                question._state.adding = True
                question.version = new_version
                question.save()
    return new_version


@admin.register(TemplateVersion)
class TemplateVersionAdmin(admin.ModelAdmin):
    list_display = ("number", "note", "created_by", "created_at")
    readonly_fields = ("number", "created_by", "created_at")
    inlines = [QuestionInline]

    def save_model(
        self, request: HttpRequest, obj: TemplateVersion, form: ModelForm, change: bool
    ) -> None:
        if not change:
            latest = TemplateVersion.objects.aggregate(latest=Max("number"))["latest"] or 0
            obj.number, obj.created_by = latest + 1, signed_in_user(request)
            obj.save()
        # On change, save_related writes a new version; the edited row stays untouched.

    def save_related(
        self,
        request: HttpRequest,
        form: ModelForm,
        formsets: list[BaseInlineFormSet],
        change: bool,
    ) -> None:
        if not change:
            super().save_related(request, form, formsets, change)
            return
        for formset in formsets:
            # The admin's change message reads these; nothing is saved through the formsets.
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if not form.has_changed() and not any(formset.has_changed() for formset in formsets):
            return  # nothing edited: no new version
        original = form.instance
        new_version = template_version_save_as_new(
            version=original, formsets=formsets, by=signed_in_user(request)
        )
        # Redirects and messages after saving refer to the new version.
        original.pk, original.number = new_version.pk, new_version.number
        messages.info(
            request,
            gettext("Saved as version %(number)s; assessments on earlier versions keep theirs.")
            % {"number": new_version.number},
        )

    def has_delete_permission(
        self, request: HttpRequest, obj: TemplateVersion | None = None
    ) -> bool:
        return obj is None or not obj.assessments.exists()


@admin.register(AssessmentSettings)
class AssessmentSettingsAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "strategic_days",
        "defend_days",
        "grow_days",
        "default_days",
        "perception_gap_margin_pct",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not AssessmentSettings.objects.exists()

    def save_model(
        self, request: HttpRequest, obj: AssessmentSettings, form: ModelForm, change: bool
    ) -> None:
        obj.pk = 1  # the one row every reader loads
        super().save_model(request, obj, form, change)

    def has_delete_permission(
        self, request: HttpRequest, obj: AssessmentSettings | None = None
    ) -> bool:
        return False


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    can_delete = False
    fields = ("question", "scale", "yes_no", "count", "months", "revenue_1y", "profit_1y", "note")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Assessment | None = None) -> bool:
        return False


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    """Read-only: assessments are filled by account managers on the site."""

    list_display = ("account", "status", "score", "author", "submitted_at", "template_version")
    list_filter = ("status", "template_version")
    search_fields = ("account__name", "account__external_id")
    list_select_related = ("account", "author", "template_version")
    inlines = [AnswerInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Assessment | None = None) -> bool:
        return False
