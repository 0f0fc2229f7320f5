"""Pure generators: one demo account's contacts and events, as tuples, from its plan."""

import random
from collections.abc import Mapping

from accounts.models import EventKind
from demo import catalog
from demo.generate import HISTORY_DAYS, AccountPlan, History, iso
from demo.logins import LANGUAGE_OF
from demo.patterns import MOODS, Pattern

ContactRow = tuple[int, str, str, str, str, bool, str | None, str | None]
EventRow = tuple[int, str, str, int, int | None, str]
Event = tuple[str, int, int | None, tuple[str, str]]  # kind, day ordinal, score, (en, he) text


def relationship_rows(
    plan: AccountPlan, history: History, account_id: int, user_ids: Mapping[str, int]
) -> tuple[list[ContactRow], list[EventRow]]:
    """The account's contacts and events (author ids from `user_ids`, keyed by username)."""
    rng = random.Random(plan.events_seed)
    contacts, change = _contacts(rng, plan, history, account_id)
    events = _satisfaction(rng, plan, history) + _notes(rng, history)
    events += _complaints(rng, plan, history) + _competitor(rng, plan, history)
    if change is not None:
        events.append(change)
    events.sort(key=lambda e: (e[1], e[0]))
    rows = []
    for kind, day, score, (text_en, text_he) in events:
        author = _author(rng, plan)
        # Written by the account manager, in their own language.
        text = text_he if LANGUAGE_OF[author] == "he" else text_en
        rows.append((account_id, kind, iso(day), user_ids[author], score, text))
    return contacts, rows


def _author(rng: random.Random, plan: AccountPlan) -> str:
    if plan.team_member and rng.random() < 0.3:
        return plan.team_member
    return plan.owner


def _contact(
    rng: random.Random,
    plan: AccountPlan,
    account_id: int,
    title: tuple[str, str],
    *,
    primary: bool = False,
    started: str | None = None,
    ended: str | None = None,
) -> ContactRow:
    if plan.hebrew:
        (first, first_latin), (last, last_latin) = (
            rng.choice(catalog.HE_FIRST),
            rng.choice(catalog.HE_LAST),
        )
    else:
        first, last = rng.choice(catalog.EN_FIRST), rng.choice(catalog.EN_LAST)
        first_latin, last_latin = first.lower(), last.lower()
    email = f"{first_latin}.{last_latin}@{plan.domain}"
    phone = f"05{rng.randint(0, 8)}-{rng.randint(2_000_000, 9_999_999)}"
    label = title[1] if plan.hebrew else title[0]
    return (account_id, f"{first} {last}", label, email, phone, primary, started, ended)


def _contacts(
    rng: random.Random, plan: AccountPlan, history: History, account_id: int
) -> tuple[list[ContactRow], Event | None]:
    """Contacts; for a reorganised customer also the org_change event of the new buyer."""
    buyer = catalog.TITLES[0]
    long_ago = iso(history.first - rng.randint(200, 2500))
    change = None
    if plan.pattern is Pattern.REORGANISED:
        day = history.last - rng.randint(20, 120)
        old = _contact(
            rng, plan, account_id, buyer, primary=True, started=long_ago, ended=iso(day - 1)
        )
        new = _contact(rng, plan, account_id, buyer, primary=True, started=iso(day))
        en, he = catalog.ORG_CHANGE_TEXT
        texts = (
            en.format(old=old[1], new=new[1], title=buyer[0].lower()),
            he.format(old=old[1], new=new[1], title=buyer[1]),
        )
        contacts, change = [old, new], (EventKind.ORG_CHANGE.value, day, None, texts)
    else:
        contacts = [_contact(rng, plan, account_id, buyer, primary=True, started=long_ago)]
    for _ in range(rng.randint(0, 2)):
        started = iso(history.first + rng.randint(-900, 600)) if rng.random() < 0.5 else None
        title = rng.choice(catalog.TITLES[1:])
        contacts.append(_contact(rng, plan, account_id, title, started=started))
    return contacts, change


def _satisfaction(rng: random.Random, plan: AccountPlan, history: History) -> list[Event]:
    """A survey about every six months; the score drifts as the pattern says."""
    mood = MOODS[plan.pattern]
    kind = EventKind.SATISFACTION.value
    events: list[Event] = []
    day = history.first + rng.randint(30, 120)
    while day <= history.last:
        lo, hi = mood.score_range((day - history.first) / HISTORY_DAYS)
        events.append((kind, day, rng.randint(lo, hi), catalog.SATISFACTION_TEXT))
        day += rng.randint(150, 210)
    return events


def _notes(rng: random.Random, history: History) -> list[Event]:
    days = [rng.randint(history.first, history.last) for _ in range(rng.randint(1, 3))]
    return [(EventKind.NOTE.value, d, None, rng.choice(catalog.NOTE_TEXTS)) for d in days]


def _within(rng: random.Random, history: History, days_before_end: int, n: int) -> list[int]:
    """n days inside the last `days_before_end` days of the history."""
    return [history.last - rng.randint(0, days_before_end) for _ in range(n)]


def _complaints(rng: random.Random, plan: AccountPlan, history: History) -> list[Event]:
    kind, p = EventKind.COMPLAINT.value, plan.pattern
    if p is Pattern.DECLINING:
        days = _within(rng, history, 365, rng.randint(2, 3))
    elif p is Pattern.LAPSING:
        stop = history.first + plan.active_days
        days = [stop - rng.randint(0, 180) for _ in range(rng.randint(1, 2))]
    elif p is Pattern.PRICE_SENSITIVE:
        return [(kind, d, None, catalog.PRICE_COMPLAINT) for d in _within(rng, history, 365, 1)]
    elif p is Pattern.COMPETITOR_THREATENED:
        days = _within(rng, history, 300, rng.randint(0, 1))
    else:
        days = _within(rng, history, HISTORY_DAYS - 1, 1 if rng.random() < 0.15 else 0)
    return [(kind, d, None, rng.choice(catalog.COMPLAINT_TEXTS)) for d in days]


def _competitor(rng: random.Random, plan: AccountPlan, history: History) -> list[Event]:
    p = plan.pattern
    if p is Pattern.COMPETITOR_THREATENED:
        days = _within(rng, history, 300, rng.randint(2, 4))
    elif p is Pattern.LAPSING:
        days = [history.first + plan.active_days - rng.randint(0, 60)]
    elif p is Pattern.PRICE_SENSITIVE or (p is Pattern.DECLINING and rng.random() < 0.5):
        days = _within(rng, history, 365, 1)
    else:
        days = _within(rng, history, HISTORY_DAYS - 1, 1 if rng.random() < 0.05 else 0)
    events: list[Event] = []
    for day in days:
        template, pct = rng.choice(catalog.COMPETITOR_TEXTS), rng.randint(5, 15)
        texts = (template[0].format(pct=pct), template[1].format(pct=pct))
        events.append((EventKind.COMPETITOR.value, day, None, texts))
    return events
