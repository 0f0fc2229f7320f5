"""How a person reads an audit row's details: field labels and choice labels instead of codes.

Pure: takes the stored `details` dict, returns sentences' parts; no database, no settings.
"""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from users.models import Language, Role

FIELD_LABELS = {
    "first_name": _("First name"),
    "last_name": _("Last name"),
    "email": _("E-mail"),
    "role": _("Role"),
    "team": _("Team"),
    "language": _("Language"),
    "name": _("Team name"),
    "manager": _("Team lead"),
}
CHOICE_LABELS: dict[str, dict[str, Any]] = {
    "role": dict(Role.choices),
    "language": dict(Language.choices),
}


@dataclass(frozen=True)
class DetailLine:
    label: str
    old: str | None  # None: the row records a value, not a change (a person created)
    new: str


def _shown(field: str, value: Any) -> str:
    return str(CHOICE_LABELS.get(field, {}).get(value, value)) if value else "—"


def describe(details: dict[str, Any]) -> list[DetailLine]:
    """One line per recorded field, labelled, with choice codes turned into their labels.
    A field this version does not know is shown by its stored name rather than dropped."""
    lines = []
    for field, value in details.items():
        if field == "through":
            lines.append(DetailLine(str(_("Set through a one-time link")), None, ""))
            continue
        label = str(FIELD_LABELS.get(field, field))
        if isinstance(value, list) and len(value) == 2:
            lines.append(DetailLine(label, _shown(field, value[0]), _shown(field, value[1])))
        else:
            lines.append(DetailLine(label, None, _shown(field, value)))
    return lines
