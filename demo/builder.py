"""Writes the demo portfolio: users and teams, then accounts chunk by chunk with COPY.

Rows come from the pure generators as tuples and stream into kam_portal.bulk.copy_rows, one
chunk of accounts at a time, so memory stays flat at any size. One transaction: a failed run
leaves nothing behind.
"""

import datetime as dt
import functools
import json
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Model

from accounts.models import Account, AccountEvent, AccountMonth, AccountStatus, Contact, Order
from accounts.rollup import account_months_refresh
from assessments.models import Answer, Assessment, AssessmentSettings, TemplateVersion
from demo.assessment import DemoAssessment, QuestionSpec, Template, demo_assessments
from demo.generate import (
    AccountPlan,
    History,
    iso,
    money,
    order_rows,
    plan_account,
)
from demo.logins import DEMO_LOGINS, LANGUAGE_OF
from demo.relationship import relationship_rows
from kam_portal.bulk import copy_rows
from users.models import Role, Team, User

CHUNK = 1000  # accounts per round trip; ~50,000 orders at benchmark size

ACCOUNT_COLUMNS = (
    "external_id",
    "name",
    "industry",
    "owner_id",
    "status",
    "purchasing_potential",
    "created_at",
    "updated_at",
)
CONTACT_COLUMNS = (
    "account_id",
    "name",
    "title",
    "email",
    "phone",
    "is_primary",
    "started_on",
    "ended_on",
)
ORDER_COLUMNS = (
    "external_ref",
    "account_id",
    "ordered_on",
    "channel",
    "revenue",
    "gross_profit",
    "price_compared",
    "product_category",
)
EVENT_COLUMNS = ("account_id", "kind", "occurred_on", "author_id", "score", "text", "created_at")
MEMBER_COLUMNS = ("account_id", "user_id")
ASSESSMENT_COLUMNS = (
    "account_id",
    "template_version_id",
    "author_id",
    "last_edited_by_id",
    "status",
    "lock_version",
    "score",
    "perception_gap",
    "created_at",
    "updated_at",
    "submitted_at",
)
ANSWER_COLUMNS = (
    "assessment_id",
    "question_id",
    "scale",
    "yes_no",
    "count",
    "months",
    "revenue_1y",
    "revenue_5y",
    "revenue_10y",
    "profit_1y",
    "profit_5y",
    "profit_10y",
    "note",
)
USER_FIELDS = [
    "password",
    "first_name",
    "last_name",
    "role",
    "language",
    "is_active",
    "is_staff",
    "is_superuser",
    "team",
]


class DatabaseNotEmpty(Exception):
    """The demo is only ever written into a database without customer accounts."""

    def __init__(self, accounts: int) -> None:
        super().__init__(f"{accounts} customer accounts already exist")
        self.accounts = accounts


@dataclass
class SeedSummary:
    accounts: int = 0
    contacts: int = 0
    orders: int = 0
    events: int = 0
    team_members: int = 0
    assessments: int = 0
    answers: int = 0
    seconds: float = 0.0
    users: dict[str, int] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return (
            self.accounts
            + self.contacts
            + self.orders
            + self.events
            + self.team_members
            + self.assessments
            + self.answers
        )


def demo_seed(
    *,
    accounts: int,
    orders_per_account: int,
    seed: int,
    password: str,
    end_date: dt.date,
    progress: Callable[[int], None] | None = None,
) -> SeedSummary:
    """Build the demo portfolio; raise DatabaseNotEmpty if any customer account exists.

    `progress` is called with the number of accounts written after each chunk.
    """
    started = time.perf_counter()
    summary = SeedSummary()
    history = History(end=end_date)
    with transaction.atomic():
        existing = Account.objects.count()
        if existing:
            raise DatabaseNotEmpty(existing)
        _check_constraints_per_statement()
        summary.users = demo_users_ensure(password=password)
        template = _template()
        for first in range(1, accounts + 1, CHUNK):
            numbers = range(first, min(first + CHUNK, accounts + 1))
            plans = [
                plan_account(seed=seed, number=n, orders_per_account=orders_per_account)
                for n in numbers
            ]
            _write_chunk(plans, history, summary, template)
            if progress:
                progress(len(plans))
        account_months_refresh()
        _analyze()
    summary.seconds = time.perf_counter() - started
    return summary


def demo_users_ensure(*, password: str) -> dict[str, int]:
    """Create (or bring back into shape) the demo logins and their teams; {username: id}.

    A few queries in all. The six logins share one hash: hashing is slow by design, and
    they share the password anyway.
    """
    hashed = make_password(password)
    existing = {u.username: u for u in User.objects.filter(username__in=_usernames())}
    users = {login.username: existing.get(login.username, User()) for login in DEMO_LOGINS}
    for login in DEMO_LOGINS:
        user = users[login.username]
        user.username, user.password = login.username, hashed
        user.first_name, user.last_name = login.first_name, login.last_name
        user.role, user.language, user.is_active = login.role, login.language, True
        user.is_staff = user.is_superuser = login.role == Role.ADMIN
        user.team = None
    _save_all(User, list(users.values()), USER_FIELDS)
    teams = _teams_ensure(users)
    for login in DEMO_LOGINS:
        users[login.username].team = teams.get(login.team) if login.team else None
    User.objects.bulk_update(users.values(), ["team"])
    return {name: user.pk for name, user in users.items()}


def _usernames() -> list[str]:
    return [login.username for login in DEMO_LOGINS]


def _teams_ensure(users: dict[str, User]) -> dict[str, Team]:
    leaders = {login.leads: users[login.username] for login in DEMO_LOGINS if login.leads}
    teams = {t.name: t for t in Team.objects.filter(name__in=list(leaders))}
    for name, manager in leaders.items():
        teams.setdefault(name, Team(name=name)).manager = manager
    _save_all(Team, list(teams.values()), ["manager"])
    return teams


def _save_all(model: type[Model], objs: list, fields: list[str]) -> None:
    """bulk_create the new objects, bulk_update the existing ones."""
    new = [o for o in objs if o.pk is None]
    old = [o for o in objs if o.pk is not None]
    model._default_manager.bulk_create(new)
    if old:
        model._default_manager.bulk_update(old, fields)


def _template() -> Template | None:
    """The current question version and gap margin (three queries); None without questions."""
    version = TemplateVersion.objects.order_by("-number").first()
    if version is None:
        return None
    questions = tuple(
        QuestionSpec(q.pk, q.number, q.kind, q.weight) for q in version.questions.order_by("number")
    )
    margin = AssessmentSettings.load().perception_gap_margin_pct
    return Template(version.pk, questions, margin)


def _write_chunk(
    plans: list[AccountPlan], history: History, summary: SeedSummary, template: Template | None
) -> None:
    users = summary.users
    stamp = _stamper()
    created, updated = stamp(iso(history.first)), stamp(iso(history.last))
    account_rows = (
        (
            p.external_id,
            p.name,
            p.industry,
            users[p.owner],
            AccountStatus.ACTIVE.value,
            money(p.potential_cents) if p.potential_cents is not None else None,
            created,
            updated,
        )
        for p in plans
    )
    summary.accounts += copy_rows(Account._meta.db_table, ACCOUNT_COLUMNS, account_rows)
    ids = _account_ids([p.external_id for p in plans])
    members = [(ids[p.external_id], users[p.team_member]) for p in plans if p.team_member]
    summary.team_members += copy_rows(_member_table(), MEMBER_COLUMNS, members)
    contacts, events = [], []
    for p in plans:
        more_contacts, more_events = relationship_rows(p, history, ids[p.external_id], users)
        contacts += more_contacts
        events += more_events
    summary.contacts += copy_rows(Contact._meta.db_table, CONTACT_COLUMNS, contacts)
    event_rows = ((*e, stamp(e[2])) for e in events)
    summary.events += copy_rows(AccountEvent._meta.db_table, EVENT_COLUMNS, event_rows)
    # Kept per account for the chunk: the assessments' evidence is read from the same orders.
    orders = [list(order_rows(p, history, ids[p.external_id])) for p in plans]
    summary.orders += copy_rows(Order._meta.db_table, ORDER_COLUMNS, chain.from_iterable(orders))
    if template is not None:
        found = [
            (ids[p.external_id], p, a)
            for p, rows in zip(plans, orders, strict=True)
            for a in demo_assessments(p, history, rows, template, LANGUAGE_OF[p.owner])
        ]
        _write_assessments(found, template, summary, stamp)


def _write_assessments(
    found: list[tuple[int, AccountPlan, DemoAssessment]],
    template: Template,
    summary: SeedSummary,
    stamp: Callable[[str], object],
) -> None:
    """The assessments by COPY, their ids back in one query, then the answers by COPY."""
    users = summary.users
    rows = (
        (
            account_id,
            template.version_id,
            users[p.owner],
            users[p.owner],
            a.status,
            a.lock_version,
            None if a.score is None else str(a.score),
            None if a.gap is None else json.dumps(a.gap),
            stamp(iso(a.created)),
            stamp(iso(a.updated)),
            None if a.submitted is None else stamp(iso(a.submitted)),
        )
        for account_id, p, a in found
    )
    summary.assessments += copy_rows(Assessment._meta.db_table, ASSESSMENT_COLUMNS, rows)
    # (account, status, day created) is unique: submitted ones are months apart, and an
    # account has at most one draft.
    written = Assessment.objects.filter(account_id__in={account_id for account_id, _, _ in found})
    ids = {
        (account_id, status, created.astimezone(dt.UTC).date().toordinal()): pk
        for account_id, status, created, pk in written.values_list(
            "account_id", "status", "created_at", "pk"
        )
    }
    answers = (
        (ids[(account_id, a.status, a.created)], *answer)
        for account_id, _, a in found
        for answer in a.answers
    )
    summary.answers += copy_rows(Answer._meta.db_table, ANSWER_COLUMNS, answers)


def _account_ids(external_ids: Iterable[str]) -> dict[str, int]:
    """One query per chunk, never one per account."""
    rows = Account.objects.filter(external_id__in=list(external_ids))
    return dict(rows.values_list("external_id", "id"))


def _member_table() -> str:
    return Account.team_members.through._meta.db_table


def _stamper() -> Callable[[str], object]:
    """created_at values: 09:00 UTC on the given day, in the form this database takes.

    Derived from the data, never from the clock, so that reruns are identical.
    """

    @functools.cache
    def stamp(day: str) -> object:
        moment = dt.datetime.combine(dt.date.fromisoformat(day), dt.time(9), tzinfo=dt.UTC)
        return connection.ops.adapt_datetimefield_value(moment)

    return stamp


def _check_constraints_per_statement() -> None:
    """Check foreign keys at the end of each COPY instead of at commit.

    Django's PostgreSQL foreign keys are DEFERRABLE INITIALLY DEFERRED: millions of queued
    checks would pile up in server memory until commit.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def _analyze() -> None:
    """Fresh planner statistics, so the first dashboard query after a big load is not blind."""
    if connection.vendor != "postgresql":
        return
    models = (Account, Contact, Order, AccountMonth, AccountEvent, Assessment, Answer)
    tables = [m._meta.db_table for m in models]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))


def demo_users_present() -> Iterator[User]:
    """The demo logins that exist, in the order they are introduced."""
    found = {u.username: u for u in User.objects.filter(username__in=_usernames())}
    return (found[name] for name in _usernames() if name in found)
