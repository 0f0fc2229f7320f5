"""The imports page's forms: the upload, and how to read the file (mapping, formats)."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.importers import SPECS
from accounts.importers.csvfile import ColumnMapping, mapping_problems
from accounts.importers.formats import Formats
from imports.models import DATE_FORMAT_CHOICES, KIND_CHOICES, NUMBER_FORMAT_CHOICES, ImportProfile
from imports.services import may_replace_profile
from users.models import User

FIELD_PREFIX = "column_"


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=KIND_CHOICES)
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8 (Excel: CSV UTF-8), with a header row."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    profile = forms.ModelChoiceField(
        label=_("Profile"),
        queryset=ImportProfile.objects.all(),
        required=False,
        empty_label=_("None: match the columns by name"),
        help_text=_("A saved column mapping with its date and number formats."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        profile, kind = data.get("profile"), data.get("kind")
        if profile is not None and kind and profile.kind != kind:
            self.add_error(
                "profile",
                _("This profile is for %(kind)s files.") % {"kind": profile.get_kind_display()},
            )
        return data


class MappingForm(forms.Form):
    """One choice per portal column (which file column holds it), then the formats."""

    date_format = forms.ChoiceField(label=_("Dates are written"), choices=DATE_FORMAT_CHOICES)
    number_format = forms.ChoiceField(label=_("Amounts are written"), choices=NUMBER_FORMAT_CHOICES)
    skip_invalid = forms.BooleanField(
        label=_("Skip invalid rows"),
        required=False,
        help_text=_(
            "Import the valid rows and offer the invalid ones as a rejects file. Without it, "
            "one invalid row means nothing is imported."
        ),
    )
    save_as = forms.CharField(
        label=_("Save as a profile named"),
        required=False,
        max_length=100,
        help_text=_("Optional: keeps this mapping and these formats for the next file."),
    )

    def __init__(self, *args: Any, kind: str, header: list[str], user: User, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.kind, self.header, self.user = kind, header, user
        spec = SPECS[kind]
        choices = [("", _("— not in the file —")), *((name, name) for name in header)]
        columns = {
            FIELD_PREFIX + column.name: forms.ChoiceField(
                label=column.name,
                choices=choices,
                required=not column.optional,
                help_text=_("optional") if column.optional else _("required"),
            )
            for column in spec.columns
        }
        self.fields = {**columns, **self.fields}

    def column_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith(FIELD_PREFIX)]

    def mapping(self) -> dict[str, str]:
        data = self.cleaned_data
        return {name: data.get(FIELD_PREFIX + name) or "" for name in SPECS[self.kind].names}

    def formats(self) -> Formats:
        return Formats(self.cleaned_data["date_format"], self.cleaned_data["number_format"])

    def clean_save_as(self) -> str:
        name = cast(str, self.cleaned_data.get("save_as") or "").strip()
        existing = ImportProfile.objects.filter(kind=self.kind, name=name).first() if name else None
        if existing is not None and not may_replace_profile(user=self.user, profile=existing):
            raise forms.ValidationError(
                _("A profile of that name, saved by someone else, exists; choose another name.")
            )
        return name

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors:
            spec = SPECS[self.kind]
            optional = [c.name for c in spec.columns if c.optional]
            mapping: ColumnMapping = self.mapping()
            for problem in mapping_problems(self.header, spec.names, mapping, optional):
                self.add_error(None, problem)
        return data


def mapping_initial(
    *, mapping: ColumnMapping | None, date_format: str, number_format: str, skip_invalid: bool
) -> dict[str, Any]:
    initial: dict[str, Any] = {
        FIELD_PREFIX + name: value for name, value in (mapping or {}).items() if value
    }
    initial.update(date_format=date_format, number_format=number_format, skip_invalid=skip_invalid)
    return initial
