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

from accounts.models import Account
from assessments.models import Assessment
from assessments.services import assessment_start
from imports.models import ImportRun, ImportSource
from segmentation.enums import RunStatus
from segmentation.models import NightlyRun
from tests.access.matrix import ACTORS, ADMIN_SITE, LOGIN, MATRIX, POST_DATA, Outcome
from tests.access.support import made_once
from tests.factories import (
    AccountFactory,
    AccountManagerFactory,
    AdminFactory,
    SalesManagerFactory,
    TeamFactory,
)
from tests.support import restore_question_template
from users.models import User

METHODS = ("GET", "POST")


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
    assert {route: sorted(row) for route, row in MATRIX.items() if set(row) != set(METHODS)} == {}


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
    import_run: ImportRun


def make_actors() -> dict[str, Actor]:
    """The conftest's people: am1 owns "Own Ltd" and is on the account team of "Team Ltd" (am2's,
    same team); "Foreign Ltd" is am3's, in another sales manager's team. The admin has
    `is_staff`, as seed_demo's admin: the Django admin needs it. Each account has a draft."""
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
    draft = {a.pk: assessment_start(account=a, by=a.owner) for a in (own, team_account, foreign)}
    run = NightlyRun.objects.create(as_of=dt.date(2026, 10, 31), status=RunStatus.COMPLETE)
    upload = ImportRun.objects.create(
        kind="orders",
        source=ImportSource.PAGE,
        created_by=manager,
        file_name="orders.csv",
        path="/nonexistent/orders.csv",
        header=["external_ref"],
    )

    def on(user: User | None, account: Account) -> Actor:
        return Actor(user, account, draft[account.pk], run, upload)

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


@pytest.fixture(scope="module")
def actors(django_db_setup, django_db_blocker) -> Iterator[dict[str, Actor]]:
    yield from made_once(django_db_blocker, make_actors)


def url_for(route: str, actor: Actor) -> str:
    """The route's URL with the actor's object put in: an assessment for an assessments
    page's `pk`, a nightly run for a run page's, an import for an import page's, the account
    for every other `pk` and for `account_pk`."""
    if route == ADMIN_SITE:
        return reverse("admin:index")
    kwargs = {}
    for name in url_routes()[route]:
        if name == "pk" and route.startswith("assessments:"):
            kwargs[name] = actor.assessment.pk
        elif name == "pk" and route.startswith("risk:run"):
            kwargs[name] = actor.run.pk
        elif name == "pk" and route.startswith("imports:"):
            kwargs[name] = actor.import_run.pk
        elif name in ("pk", "account_pk"):
            kwargs[name] = actor.account.pk
        else:
            raise AssertionError(f"{route}: which object goes into <{name}>? Teach url_for.")
    return reverse(route, kwargs=kwargs)


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
    post = method == "POST"
    response = client.post(url, POST_DATA.get(route, {})) if post else client.get(url)
    expected = getattr(MATRIX[route][method], actor)
    assert outcome(response, url) == expected, f"{method} {url} as {actor}"
