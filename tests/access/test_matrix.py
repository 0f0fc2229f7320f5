"""Every route of the URL configuration, requested by every actor, answers what the access
matrix (tests/access/matrix.py) says; a route the matrix does not name fails."""

import datetime as dt
import functools
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import pytest
from django.http import HttpResponse
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.views.static import serve

from accounts.models import Account, AccountEvent, Contact
from api.models import ApiToken, TokenScope
from api.tokens import service_account_create, token_create
from assessments.models import Assessment
from assessments.services import assessment_start
from imports.models import ImportRun, ImportSource
from plans.enums import GoalKind
from plans.models import Action, Goal, GrowthPlan
from segmentation.enums import RunStatus
from segmentation.models import NightlyRun
from segmentation.segments.decision import DecisionModel
from segmentation.segments.services import decision_version_create
from tests.access.matrix import ACTORS, ADMIN_SITE, LOGIN, MATRIX, POST_DATA, Outcome
from tests.access.playbook_objects import a_playbook, task_on, token_for
from tests.access.support import made_once
from tests.factories import (
    AccountEventFactory,
    AccountFactory,
    AccountManagerFactory,
    AdminFactory,
    ContactFactory,
    SalesManagerFactory,
    TeamFactory,
)
from tests.support import restore_question_template
from users.models import User

METHODS = ("GET", "POST")
JSON_METHODS = ("PUT", "PATCH", "DELETE")  # the API's; sent with an empty JSON body


def walk(
    resolver: URLResolver, namespace: str = "", kwargs: tuple[str, ...] = ()
) -> Iterator[tuple[str, tuple[str, ...]]]:
    """(route name, URL keyword arguments) of every URL pattern, however deeply included.

    The Django admin's URLs all go through one staff check: they count as the one route
    ADMIN_SITE. Static and media files (served only under DEBUG) are not pages.
    """
    for entry in resolver.url_patterns:
        names = kwargs + tuple(entry.pattern.regex.groupindex)
        if isinstance(entry, URLResolver):
            inner = ":".join(filter(None, [namespace, entry.namespace or ""]))
            yield from walk(entry, inner, names)
        elif namespace == "admin":
            yield ADMIN_SITE, ()
        elif entry.callback is not serve:
            yield _name(namespace, entry), names


def _name(namespace: str, entry: URLPattern) -> str:
    name = entry.name or f"<unnamed {entry.pattern}>"  # fails the completeness test: name it
    return f"{namespace}:{name}" if namespace else name


@functools.cache
def url_routes() -> dict[str, tuple[str, ...]]:
    return dict(walk(get_resolver()))


def test_every_route_is_in_the_matrix() -> None:
    missing = sorted(set(url_routes()) - set(MATRIX))
    assert not missing, (
        f"No row in tests/access/matrix.py for {missing}: add one per route, saying who may "
        "do what (docs/development.md#access-matrix)."
    )


def test_every_row_of_the_matrix_is_a_route() -> None:
    assert sorted(set(MATRIX) - set(url_routes())) == []


def test_every_row_gives_get_and_post() -> None:
    """GET and POST everywhere; PUT, PATCH and DELETE where the API takes them."""
    wrong = {
        route: sorted(row)
        for route, row in MATRIX.items()
        if not set(METHODS) <= set(row) <= set(METHODS + JSON_METHODS)
    }
    assert wrong == {}


def test_a_route_without_an_object_treats_every_object_alike() -> None:
    """The account-manager columns are one person there, and so are the sales-manager ones."""
    for route, kwargs in url_routes().items():
        for outcomes in MATRIX.get(route, {}).values():
            if not kwargs:
                assert outcomes.am_own == outcomes.am_team == outcomes.am_foreign, route
                assert outcomes.sm_team == outcomes.sm_other, route


@dataclass(frozen=True)
class Actor:
    user: User | None
    account: Account
    assessment: Assessment
    run: NightlyRun
    contact: Contact
    event: AccountEvent
    token: ApiToken  # the actor's own (am1's for the anonymous visitor)
    service_account: User
    goal: Goal
    action: Action
    import_run: ImportRun


def make_actors() -> dict[str, Actor]:
    """The conftest's people: am1 owns "Own Ltd" and is on the account team of "Team Ltd" (am2's,
    same team); "Foreign Ltd" is am3's, in another sales manager's team. The admin has
    `is_staff`, as seed_demo's admin: the Django admin needs it. Each account has a draft, an
    entry in its log written by its owner, and a contact."""
    restore_question_template()
    manager = SalesManagerFactory(username="manager")
    team = TeamFactory(name="North", manager=manager)
    am1 = AccountManagerFactory(username="am1", team=team)
    am2 = AccountManagerFactory(username="am2", team=team)
    am3 = AccountManagerFactory(username="am3")  # another team, another sales manager
    admin = AdminFactory(username="admin", is_staff=True)
    own = AccountFactory(owner=am1, name="Own Ltd")
    team_account = AccountFactory(owner=am2, name="Team Ltd")
    team_account.team_members.add(am1)
    foreign = AccountFactory(owner=am3, name="Foreign Ltd")
    # A member on every account's team, for accounts:team_remove (no actor gains a sight by it).
    own.team_members.add(AccountManagerFactory(username="own-mate", team=team))
    foreign.team_members.add(AccountManagerFactory(username="foreign-mate", team=am3.team))
    accounts = (own, team_account, foreign)
    draft = {a.pk: assessment_start(account=a, by=a.owner) for a in accounts}
    contact = {a.pk: ContactFactory(account=a) for a in accounts}
    # Written by the owner: the workspace lets an entry's author edit it for 24 hours.
    event = {a.pk: AccountEventFactory(account=a, author=a.owner) for a in accounts}
    run = NightlyRun.objects.create(as_of=dt.date(2026, 10, 31), status=RunStatus.COMPLETE)
    decision_version_create(model=DecisionModel(), by=admin)  # version 1
    token = {u.pk: token_create(user=u, name="t", scope=TokenScope.FULL, by=u)[0]
             for u in (am1, manager, admin)}  # fmt: skip
    service = service_account_create(username="erp", name="ERP", by=admin)
    plan_of = {a.pk: plan_with_a_goal_and_an_action(a) for a in (own, team_account, foreign)}
    upload = ImportRun.objects.create(
        kind="orders",
        source=ImportSource.PAGE,
        created_by=manager,
        file_name="orders.csv",
        path="/nonexistent/orders.csv",
        header=["external_ref"],
    )

    def on(user: User | None, account: Account) -> Actor:
        mine = token[(user or am1).pk]
        return Actor(
            user, account, draft[account.pk], run, contact[account.pk], event[account.pk], mine,
            service, *plan_of[account.pk], upload,
        )  # fmt: skip

    actors = {
        "anonymous": on(None, own),
        "am_own": on(am1, own),
        "am_team": on(am1, team_account),
        "am_foreign": on(am1, foreign),
        "sm_team": on(manager, own),
        "sm_other": on(manager, foreign),
        "admin": on(admin, own),
    }
    assert tuple(actors) == ACTORS
    return actors


def plan_with_a_goal_and_an_action(account: Account) -> tuple[Goal, Action]:
    """Each account's growth plan, with a goal and an action for the URLs that name one."""
    plan = GrowthPlan.objects.create(account=account, review_on=dt.date(2026, 12, 1))
    goal = Goal.objects.create(plan=plan, kind=GoalKind.FREE_TEXT, text="Meet the owner")
    action = Action.objects.create(
        plan=plan, title="Call", owner=account.owner, due_on=dt.date(2026, 12, 1)
    )
    return goal, action


@pytest.fixture(scope="module")
def actors(django_db_setup, django_db_blocker) -> Iterator[dict[str, Actor]]:
    yield from made_once(django_db_blocker, make_actors)


def url_for(route: str, actor: Actor) -> str:
    """The route's URL with the actor's object put in: for `pk`, what the route is about (the
    actor's draft, contact, event or token, the nightly run, the service account, the account's
    owner for a capacity, a task on the account, a playbook, an import), else the account; the
    account for `account_pk`; 1 for a version's `number`; the goal or action of the account's
    growth plan for `goal_pk`, `action_pk`; the account owner's unsubscribe token for the
    digest's `token`."""
    if route == ADMIN_SITE:
        return reverse("admin:index")
    kwargs = {}
    for name in url_routes()[route]:
        if name == "pk":
            kwargs[name] = _pk_for(route, actor)
        elif name == "token" and route.startswith("digest:"):
            kwargs[name] = token_for(actor.account)
        elif name == "account_pk":
            kwargs[name] = actor.account.pk
        elif name == "number":
            kwargs[name] = 1
        elif name == "user_pk":  # a member of the account's team
            kwargs[name] = actor.account.team_members.order_by("pk").first().pk
        elif name in ("uidb64", "token"):  # a one-time link that is not valid
            kwargs[name] = "x"
        elif name == "goal_pk":
            kwargs[name] = actor.goal.pk
        elif name == "action_pk":
            kwargs[name] = actor.action.pk
        else:
            raise AssertionError(f"{route}: which object goes into <{name}>? Teach url_for.")
    return reverse(route, kwargs=kwargs)


PK_OBJECTS = {  # route prefix -> the actor's object for <pk>
    "assessments:": lambda a: a.assessment,
    "people:team_edit": lambda a: a.account.owner.team,
    "people:": lambda a: a.account.owner,
    "workspace:event_": lambda a: a.event,
    "workspace:contact_": lambda a: a.contact,
    "tasks:": lambda a: task_on(a.account),
    "playbooks:": lambda a: a_playbook(),
    "imports:": lambda a: a.import_run,
    "api:v1:assessment-": lambda a: a.assessment,
    "risk:run": lambda a: a.run,
    "api:v1:nightly-run-": lambda a: a.run,
    "api:v1:contact-": lambda a: a.contact,
    "api:v1:event-": lambda a: a.event,
    "api:v1:capacity-": lambda a: a.account.owner,
    "api:v1:goal-": lambda a: a.goal,
    "api:v1:action-": lambda a: a.action,
    "api:v1:task-": lambda a: task_on(a.account),
    "api:v1:playbook-": lambda a: a_playbook(),
    "tokens:revoke": lambda a: a.token,
    "tokens:service_token": lambda a: a.service_account,
}


def _pk_for(route: str, actor: Actor) -> int:
    for prefix, pick in PK_OBJECTS.items():
        if route.startswith(prefix):
            return pick(actor).pk
    return actor.account.pk


def outcome(response: HttpResponse, url: str) -> Outcome:
    """The status code, or LOGIN for a redirect to a login page that comes back to `url`."""
    if response.status_code == 302:
        target = urlsplit(response["Location"])
        to_login = resolve(target.path).url_name == "login"
        if to_login and parse_qs(target.query).get("next") == [url]:
            return LOGIN
    return response.status_code


CASES = [
    pytest.param(route, method, actor, id=f"{route} {method} {actor}")
    for route, row in MATRIX.items()
    for method in row
    for actor in ACTORS
]


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "method", "actor"), CASES)
def test_the_route_answers_as_the_matrix_says(client, actors, route, method, actor) -> None:
    who = actors[actor]
    url = url_for(route, who)
    if who.user is not None:
        client.force_login(who.user)
    if method == "POST":
        response = client.post(url, POST_DATA.get(route, {}))
    elif method in JSON_METHODS:
        response = client.generic(method, url, "{}", content_type="application/json")
    else:
        response = client.get(url)
    expected = getattr(MATRIX[route][method], actor)
    assert outcome(response, url) == expected, f"{method} {url} as {actor}"
