"""events CSV: external_ref,customer_external_id,kind,occurred_on,score,text.

Account events from another system (a service desk's complaints, a survey's satisfaction
scores): the source system is their source, so an update overwrites every column. Imported
events have no author; the imports history says who imported them.
"""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from accounts.importers import formats, parsers
from accounts.importers.customer_ref import CUSTOMER_CHECK
from accounts.importers.spec import Column, ImportSpec
from accounts.models import Account, AccountEvent, EventKind

_ACCOUNTS = Account._meta.db_table
TEXT_MAX = 10_000  # a note, not a document
SCORE_LOW, SCORE_HIGH = 0, 10


def _score_with_satisfaction(row: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The table's event_score_only_for_satisfaction, as a row error."""
    satisfaction = row["kind"] == EventKind.SATISFACTION
    if satisfaction and row["score"] is None:
        return [("score", _("a satisfaction event needs a score from 0 to 10"))]
    if not satisfaction and row["score"] is not None and row["kind"] is not None:
        return [("score", _("only satisfaction events carry a score; leave it blank"))]
    return []


_UPDATED = ("account_id", "kind", "occurred_on", "score", "text")

EVENTS = ImportSpec(
    kind="events",
    columns=(
        Column("external_ref", parsers.required_text(64), "text"),
        Column("customer_external_id", parsers.required_text(64), "text"),
        Column("kind", parsers.code(EventKind.values), "text"),
        Column(
            "occurred_on", parsers.iso_date, "date", parse_for=lambda f: formats.date_parser(f.date)
        ),
        Column(
            "score", parsers.whole_number(low=SCORE_LOW, high=SCORE_HIGH), "integer", optional=True
        ),
        Column("text", parsers.optional_text(TEXT_MAX), "text", optional=True),
    ),
    key="external_ref",
    ref_check=CUSTOMER_CHECK,
    row_check=_score_with_satisfaction,
    target_table=AccountEvent._meta.db_table,
    target_key="external_ref",
    incoming_sql=(
        "SELECT s.external_ref AS external_ref, a.id AS account_id, s.kind AS kind,"
        " s.occurred_on AS occurred_on, s.score AS score, s.text AS text,"
        " CURRENT_TIMESTAMP AS created_at "
        f"FROM {{staging}} s JOIN {_ACCOUNTS} a ON a.external_id = s.customer_external_id "
        "WHERE {valid}"
    ),
    insert_columns=("external_ref", *_UPDATED, "created_at"),
    update_rules={name: "{new}." + name for name in _UPDATED},
)
