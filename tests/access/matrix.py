"""Who may do what: every route of the URL configuration, GET and POST, for seven actors.

`tests/access/test_matrix.py` requests every cell and fails when a route of the URL
configuration is missing here (or this table names one that no longer exists), so a new page
cannot escape the rule. Add a route by adding its row; see docs/development.md#access-matrix.

The actors (columns), in order:

- ``anonymous``: nobody signed in;
- ``am_own``, ``am_team``, ``am_foreign``: one account manager on an account they own, on an
  account a team-mate owns whose account team they are on, and on an account of another team;
- ``sm_team``, ``sm_other``: a sales manager on an account of their team, and on an account of
  another team;
- ``admin``: an admin-role user with ``is_staff`` (as seed_demo's admin), on any account.

The account (or that account's assessment) is put into the URL for `<int:pk>` and
`<int:account_pk>`: an assessment for `assessments:*` with `pk`, an account everywhere else.
For a route without an object in its URL the three account-manager columns are one person doing
the same thing, and so are the two sales-manager ones: `by_role` fills them alike.

The outcomes:

- ``200`` the page (a POST answered with the form and its errors is 200 too: it was allowed);
- ``302`` a redirect elsewhere than the login page: a POST that did its work, or a page that
  sends a signed-in user on (the login page);
- ``400`` a POST that was allowed but whose body was refused (validation);
- ``LOGIN`` a redirect to the login page (the portal's or the Django admin's) with ``next=``
  this URL: an anonymous visitor of an HTML page, or a non-staff user in the Django admin;
- ``403`` the JSON API for an anonymous client, an admin-only page, or a write on an object
  the user may see but not change;
- ``404`` an object the user may not see (never confirming that it exists);
- ``405`` a method the view does not accept.

What matters is refused (LOGIN, 403, 404, 405) against allowed (200, 302, 400); the exact
allowed code is pinned too, so a change of behaviour shows up here. POST bodies are empty except
where `POST_DATA` gives a minimal valid one; the test client does not enforce CSRF.

The Django admin is one row, ``admin:*``, checked on its index: every admin URL goes through the
same `AdminSite.admin_view` staff check.
"""

from typing import NamedTuple

LOGIN = "login"
Outcome = int | str


class Outcomes(NamedTuple):
    anonymous: Outcome
    am_own: Outcome
    am_team: Outcome
    am_foreign: Outcome
    sm_team: Outcome
    sm_other: Outcome
    admin: Outcome


ACTORS: tuple[str, ...] = Outcomes._fields


def by_role(anonymous: Outcome, am: Outcome, sm: Outcome, admin: Outcome) -> Outcomes:
    """A route without an object in its URL: one outcome per role."""
    return Outcomes(anonymous, am, am, am, sm, sm, admin)


def by_actor(*outcomes: Outcome) -> Outcomes:
    """A route with an account or an assessment in its URL: one outcome per actor."""
    return Outcomes(*outcomes)


ADMIN_SITE = "admin:*"

# fmt: off
MATRIX: dict[str, dict[str, Outcomes]] = {
    # Signing in and out, the language switch, the health check: no object in the URL
    #                   anonymous account mgr   sales mgr   admin
    "login": {
        "GET":  by_role(200,      302,          302,        302),
        "POST": by_role(200,      302,          302,        302),
    },
    "logout": {
        "GET":  by_role(LOGIN,    405,          405,        405),
        "POST": by_role(LOGIN,    302,          302,        302),
    },
    "language_switch": {
        "GET":  by_role(405,      405,          405,        405),
        "POST": by_role(302,      302,          302,        302),
    },
    "healthz": {
        "GET":  by_role(200,      200,          200,        200),
        "POST": by_role(405,      405,          405,        405),
    },
    # Pages listing what the visibility rule allows (a POST renders them like a GET)
    #                   anonymous account mgr   sales mgr   admin
    "home": {
        "GET":  by_role(LOGIN,    200,          200,        200),
        "POST": by_role(LOGIN,    200,          200,        200),
    },
    "accounts:list": {
        "GET":  by_role(LOGIN,    200,          200,        200),
        "POST": by_role(LOGIN,    200,          200,        200),
    },
    "accounts:export": {
        "GET":  by_role(LOGIN,    200,          200,        200),
        "POST": by_role(LOGIN,    405,          405,        405),
    },
    "segments:capacity": {
        "GET":  by_role(LOGIN,    200,          200,        200),
        "POST": by_role(LOGIN,    200,          200,        200),
    },
    # Admin-only pages (an empty POST is answered with the form and its errors)
    #                   anonymous account mgr   sales mgr   admin
    "dashboard": {
        "GET":  by_role(LOGIN,    200,          200,        200),
        "POST": by_role(LOGIN,    405,          405,        405),
    },
    "risk:settings": {
        "GET":  by_role(LOGIN,    403,          403,        200),
        "POST": by_role(LOGIN,    403,          403,        200),
    },
    # A nightly run's page (the run is the object: the same for every actor of a role)
    "risk:run": {
        "GET":  by_role(LOGIN,    403,          403,        200),
        "POST": by_role(LOGIN,    403,          403,        200),
    },
    "risk:run_fail": {
        "GET":  by_role(LOGIN,    405,          405,        405),
        "POST": by_role(LOGIN,    403,          403,        302),
    },
    "segments:settings": {
        "GET":  by_role(LOGIN,    403,          403,        200),
        "POST": by_role(LOGIN,    403,          403,        200),
    },
    "segments:decision_model": {
        "GET":  by_role(LOGIN,    403,          403,        200),
        "POST": by_role(LOGIN,    403,          403,        200),
    },
    "segments:capacity_set": {
        "GET":  by_role(LOGIN,    405,          405,        405),
        "POST": by_role(LOGIN,    403,          403,        302),
    },
    # Imports: admins and sales managers (a sales manager's own imports; the run in the URL is
    # the sales manager's, so the admin sees it too). The run has no rejects file: 404.
    #                   anonymous account mgr   sales mgr   admin
    "imports:index": {
        "GET":  by_role(LOGIN,    403,          200,        200),
        "POST": by_role(LOGIN,    403,          200,        200),
    },
    "imports:detail": {
        "GET":  by_role(LOGIN,    403,          200,        200),
        "POST": by_role(LOGIN,    403,          200,        200),
    },
    "imports:status": {
        "GET":  by_role(LOGIN,    403,          200,        200),
        "POST": by_role(LOGIN,    405,          405,        405),
    },
    "imports:confirm": {
        "GET":  by_role(LOGIN,    405,          405,        405),
        "POST": by_role(LOGIN,    403,          302,        302),
    },
    "imports:cancel": {
        "GET":  by_role(LOGIN,    405,          405,        405),
        "POST": by_role(LOGIN,    403,          302,        302),
    },
    "imports:rejects": {
        "GET":  by_role(LOGIN,    403,          404,        404),
        "POST": by_role(LOGIN,    405,          405,        405),
    },
    ADMIN_SITE: {
        "GET":  by_role(LOGIN,    LOGIN,        LOGIN,      200),
        "POST": by_role(LOGIN,    LOGIN,        LOGIN,      200),
    },
    # One account
    #                    anonymous am_own  am_team  am_foreign  sm_team  sm_other  admin
    "accounts:detail": {
        "GET":  by_actor(LOGIN,    200,    200,     404,        200,     404,      200),
        "POST": by_actor(LOGIN,    200,    200,     404,        200,     404,      200),
    },
    "segments:pin": {
        "GET":  by_actor(LOGIN,    405,    405,     405,        405,     405,      405),
        "POST": by_actor(LOGIN,    403,    403,     404,        302,     404,      302),
    },
    "segments:unpin": {
        "GET":  by_actor(LOGIN,    405,    405,     405,        405,     405,      405),
        "POST": by_actor(LOGIN,    403,    403,     404,        302,     404,      302),
    },
    "assessments:account": {
        "GET":  by_actor(LOGIN,    200,    200,     404,        200,     404,      200),
        "POST": by_actor(LOGIN,    200,    200,     404,        200,     404,      200),
    },
    "assessments:new": {
        "GET":  by_actor(LOGIN,    405,    405,     405,        405,     405,      405),
        "POST": by_actor(LOGIN,    302,    302,     404,        403,     404,      403),
    },
    # One assessment (a draft, on the actor's account)
    #                    anonymous am_own  am_team  am_foreign  sm_team  sm_other  admin
    "assessments:detail": {
        "GET":  by_actor(LOGIN,    200,    200,     404,        200,     404,      200),
        "POST": by_actor(LOGIN,    200,    200,     404,        200,     404,      200),
    },
    "assessments:edit": {
        "GET":  by_actor(LOGIN,    200,    200,     404,        403,     404,      403),
        "POST": by_actor(LOGIN,    302,    302,     404,        403,     404,      403),
    },
    # The JSON API: an anonymous client gets a JSON 403, never a redirect to an HTML page
    #                   anonymous account mgr   sales mgr   admin
    "accounts_api:account-list": {
        "GET":  by_role(403,      200,          200,        200),
        "POST": by_role(403,      405,          405,        405),
    },
    "accounts_api:account-detail": {
        "GET":  by_actor(403,      200,    200,     404,        200,     404,      200),
        "POST": by_actor(403,      405,    405,     405,        405,     405,      405),
    },
}
# fmt: on

# A minimal valid body where an empty one would be refused before the access check matters.
POST_DATA: dict[str, dict[str, str]] = {
    "assessments:edit": {"lock_version": "1"},  # a draft's first save
}
