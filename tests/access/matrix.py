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

The account (or that account's assessment, log entry or contact) is put into the URL for
`<int:pk>` and `<int:account_pk>`: an assessment for `assessments:*` with `pk`, a log entry for
`workspace:event_*` (written by the account's owner an hour ago, so only the owner may still
change it), a contact for `workspace:contact_*`, an account everywhere else.
For a route without an object in its URL the three account-manager columns are one person doing
the same thing, and so are the two sales-manager ones: `by_role` fills them alike.

The outcomes:

- ``200`` the page (a POST answered with the form and its errors is 200 too: it was allowed);
- ``302`` a redirect elsewhere than the login page: a POST that did its work, or a page that
  sends a signed-in user on (the login page);
- ``400`` a POST that was allowed but whose body was refused (validation);
- ``LOGIN`` a redirect to the login page (the portal's or the Django admin's) with ``next=``
  this URL: an anonymous visitor of an HTML page, or a non-staff user in the Django admin;
- ``401`` the REST API (version 1, /api/v1/) for an anonymous client;
- ``403`` the old JSON API for an anonymous client, an admin-only page, or a write on an object
  the user may see but not change;
- ``428`` an API write the user may make, refused only for want of If-Match (docs/api.md);
- ``404`` an object the user may not see (never confirming that it exists);
- ``405`` a method the view does not accept.

Besides GET and POST, an API row may give PUT, PATCH and DELETE (sent with an empty JSON
body).

What matters is refused (LOGIN, 401, 403, 404, 405) against allowed (200, 201, 302, 400,
428); the exact
allowed code is pinned too, so a change of behaviour shows up here. POST bodies are empty except
where `POST_DATA` gives a minimal valid one; the test client does not enforce CSRF.

The Django admin is one row, ``admin:*``, checked on its index: every admin URL goes through the
same `AdminSite.admin_view` staff check.
"""

from typing import NamedTuple

from django.utils import timezone

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
    "audit:log": {
        "GET":  by_role(LOGIN,    403,          200,        200),
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
    # Reassigning and the account team (accounts/access.py); an empty POST is refused by the
    # form after the access check, and answered with a redirect back (302)
    #                    anonymous am_own  am_team  am_foreign  sm_team  sm_other  admin
    "accounts:reassign": {
        "GET":  by_actor(LOGIN,    405,    405,     405,        405,     405,      405),
        "POST": by_actor(LOGIN,    403,    403,     404,        302,     404,      302),
    },
    "accounts:team_add": {
        "GET":  by_actor(LOGIN,    405,    405,     405,        405,     405,      405),
        "POST": by_actor(LOGIN,    302,    403,     404,        302,     404,      302),
    },
    # <user_pk>: a member of the account's team (make_actors puts one on each account)
    "accounts:team_remove": {
        "GET":  by_actor(LOGIN,    405,    405,     405,        405,     405,      405),
        "POST": by_actor(LOGIN,    302,    403,     404,        302,     404,      302),
    },
    #                   anonymous account mgr   sales mgr   admin
    "accounts:reassign_selected": {
        "GET":  by_role(LOGIN,    405,          405,        405),
        "POST": by_role(LOGIN,    403,          302,        302),
    },
    # People (users/access.py): <pk> is the owner of the actor's account, <pk> of team_edit
    # that owner's team
    #                   anonymous account mgr   sales mgr   admin
    "people:list": {
        "GET":  by_role(LOGIN,    403,          200,        200),
        "POST": by_role(LOGIN,    403,          200,        200),
    },
    "people:create": {
        "GET":  by_role(LOGIN,    403,          403,        200),
        "POST": by_role(LOGIN,    403,          403,        400),
    },
    "people:teams": {
        "GET":  by_role(LOGIN,    403,          403,        200),
        "POST": by_role(LOGIN,    403,          403,        400),
    },
    "people:password_confirm": {  # a one-time link, opened before its owner can sign in
        "GET":  by_role(200,      200,          200,        200),
        "POST": by_role(200,      200,          200,        200),
    },
    "people:password_done": {
        "GET":  by_role(200,      200,          200,        200),
        "POST": by_role(405,      405,          405,        405),
    },
    #                    anonymous am_own  am_team  am_foreign  sm_team  sm_other  admin
    "people:detail": {
        "GET":  by_actor(LOGIN,    404,    404,     404,        200,     404,      200),
        "POST": by_actor(LOGIN,    404,    404,     404,        403,     404,      400),
    },
    "people:deactivate": {
        "GET":  by_actor(LOGIN,    405,    405,     405,        405,     405,      405),
        "POST": by_actor(LOGIN,    404,    404,     404,        403,     404,      302),
    },
    "people:reactivate": {
        "GET":  by_actor(LOGIN,    405,    405,     405,        405,     405,      405),
        "POST": by_actor(LOGIN,    404,    404,     404,        403,     404,      302),
    },
    "people:password": {
        "GET":  by_actor(LOGIN,    405,    405,     405,        405,     405,      405),
        "POST": by_actor(LOGIN,    404,    404,     404,        403,     404,      400),
    },
    "people:password_link": {
        "GET":  by_actor(LOGIN,    405,    405,     405,        405,     405,      405),
        "POST": by_actor(LOGIN,    404,    404,     404,        403,     404,      200),
    },
    "people:team_edit": {
        "GET":  by_actor(LOGIN,    403,    403,     403,        403,     403,      200),
        "POST": by_actor(LOGIN,    403,    403,     403,        403,     403,      400),
    },
    # The account page's log and contacts (workspace): everyone who sees the account reads the
    # cards; the owner, the account team, the owner's sales manager and admins write.
    #                    anonymous am_own  am_team  am_foreign  sm_team  sm_other  admin
    "workspace:log": {
        "GET":  by_actor(LOGIN,    200,    200,     404,        200,     404,      200),
        "POST": by_actor(LOGIN,    302,    302,     404,        302,     404,      302),
    },
    "workspace:contacts": {
        "GET":  by_actor(LOGIN,    200,    200,     404,        200,     404,      200),
        "POST": by_actor(LOGIN,    302,    302,     404,        302,     404,      302),
    },
    "workspace:contact_edit": {
        "GET":  by_actor(LOGIN,    200,    200,     404,        200,     404,      200),
        "POST": by_actor(LOGIN,    302,    302,     404,        302,     404,      302),
    },
    "workspace:contact_end": {
        "GET":  by_actor(LOGIN,    200,    200,     404,        200,     404,      200),
        "POST": by_actor(LOGIN,    302,    302,     404,        302,     404,      302),
    },
    # One log entry, the owner's: only its author changes it (am1 on am2's entry is refused)
    "workspace:event_edit": {
        "GET":  by_actor(LOGIN,    200,    403,     404,        403,     404,      403),
        "POST": by_actor(LOGIN,    302,    403,     404,        403,     404,      403),
    },
    "workspace:event_delete": {
        "GET":  by_actor(LOGIN,    405,    405,     405,        405,     405,      405),
        "POST": by_actor(LOGIN,    302,    403,     404,        403,     404,      403),
    },
    # An account's growth plan: everyone who sees the account reads; its owner, account team,
    # the owner's sales manager and admins write (a reader who may not is tested in
    # tests/plans/test_pages.py: no column here is one). An empty POST is the form with errors.
    #                    anonymous am_own  am_team  am_foreign  sm_team  sm_other  admin
    "plans:plan": {
        "GET":  by_actor(LOGIN,    200,    200,     404,        200,     404,      200),
        "POST": by_actor(LOGIN,    200,    200,     404,        200,     404,      200),
    },
    "plans:goal_new": {
        "GET":  by_actor(LOGIN,    200,    200,     404,        200,     404,      200),
        "POST": by_actor(LOGIN,    200,    200,     404,        200,     404,      200),
    },
    # One goal or action of the account's plan
    "plans:goal_edit": {
        "GET":  by_actor(LOGIN,    200,    200,     404,        200,     404,      200),
        "POST": by_actor(LOGIN,    200,    200,     404,        200,     404,      200),
    },
    "plans:goal_remove": {
        "GET":  by_actor(LOGIN,    405,    405,     405,        405,     405,      405),
        "POST": by_actor(LOGIN,    302,    302,     404,        302,     404,      302),
    },
    "plans:action_new": {
        "GET":  by_actor(LOGIN,    200,    200,     404,        200,     404,      200),
        "POST": by_actor(LOGIN,    200,    200,     404,        200,     404,      200),
    },
    "plans:action_edit": {
        "GET":  by_actor(LOGIN,    200,    200,     404,        200,     404,      200),
        "POST": by_actor(LOGIN,    200,    200,     404,        200,     404,      200),
    },
    "plans:action_status": {
        "GET":  by_actor(LOGIN,    405,    405,     405,        405,     405,      405),
        "POST": by_actor(LOGIN,    302,    302,     404,        302,     404,      302),
    },
    # Tasks: the list and its export (everyone, scoped), "did it work" (admins and sales
    # managers)
    #                   anonymous account mgr   sales mgr   admin
    "tasks:list": {
        "GET":  by_role(LOGIN,    200,          200,        200),
        "POST": by_role(LOGIN,    405,          405,        405),
    },
    "tasks:export": {
        "GET":  by_role(LOGIN,    200,          200,        200),
        "POST": by_role(LOGIN,    405,          405,        405),
    },
    "tasks:results": {
        "GET":  by_role(LOGIN,    403,          200,        200),
        "POST": by_role(LOGIN,    405,          405,        405),
    },
    # One task (on the actor's account); an empty close is answered with the form's errors
    #                    anonymous am_own  am_team  am_foreign  sm_team  sm_other  admin
    "tasks:detail": {
        "GET":  by_actor(LOGIN,    200,    200,     404,        200,     404,      200),
        "POST": by_actor(LOGIN,    200,    200,     404,        200,     404,      200),
    },
    # Playbooks: the admins' (a playbook is the object: the same for every actor of a role)
    #                   anonymous account mgr   sales mgr   admin
    "playbooks:list": {
        "GET":  by_role(LOGIN,    403,          403,        200),
        "POST": by_role(LOGIN,    405,          405,        405),
    },
    "playbooks:new": {
        "GET":  by_role(LOGIN,    403,          403,        200),
        "POST": by_role(LOGIN,    403,          403,        200),
    },
    "playbooks:edit": {
        "GET":  by_role(LOGIN,    403,          403,        200),
        "POST": by_role(LOGIN,    403,          403,        200),
    },
    "playbooks:delete": {
        "GET":  by_role(LOGIN,    405,          405,        405),
        "POST": by_role(LOGIN,    403,          403,        302),
    },
    # The e-mail digest: everyone's own setting; the unsubscribe link needs no sign-in (its
    # signed token names the user)
    "digest:settings": {
        "GET":  by_role(LOGIN,    200,          200,        200),
        "POST": by_role(LOGIN,    200,          200,        200),
    },
    "digest:unsubscribe": {
        "GET":  by_role(200,      200,          200,        200),
        "POST": by_role(200,      200,          200,        200),
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
    # API tokens (each actor revokes a token of their own) and the admins' service accounts
    #                   anonymous account mgr   sales mgr   admin
    "tokens:list": {
        "GET":  by_role(LOGIN,    200,          200,        200),
        "POST": by_role(LOGIN,    400,          400,        400),
    },
    "tokens:revoke": {
        "GET":  by_actor(LOGIN,    405,    405,     405,        405,     405,      405),
        "POST": by_actor(LOGIN,    302,    302,     302,        302,     302,      302),
    },
    "tokens:service_accounts": {
        "GET":  by_role(LOGIN,    403,          403,        200),
        "POST": by_role(LOGIN,    403,          403,        400),
    },
    "tokens:service_token": {
        "GET":  by_actor(LOGIN,    405,    405,     405,        405,     405,      405),
        "POST": by_actor(LOGIN,    403,    403,     403,        403,     403,      400),
    },
    # The REST API, version 1 (docs/api.md): an anonymous client gets a JSON 401. A write the
    # user may make but sent without If-Match is refused with 428 (precondition required): it
    # got past the access check. Bodies are empty, so a create is a 400.
    #                   anonymous account mgr   sales mgr   admin
    "api:schema": {
        "GET":  by_role(401,      200,          200,        200),
        "POST": by_role(401,      405,          405,        405),
    },
    "api:docs": {
        "GET":  by_role(LOGIN,    200,          200,        200),
        "POST": by_role(LOGIN,    405,          405,        405),
    },
    "api:v1:account-list": {
        "GET":  by_role(401,      200,          200,        200),
        "POST": by_role(401,      405,          405,        405),
    },
    "api:v1:question-version-list": {
        "GET":  by_role(401,      200,          200,        200),
        "POST": by_role(401,      405,          405,        405),
    },
    "api:v1:pin-list": {
        "GET":  by_role(401,      200,          200,        200),
        "POST": by_role(401,      405,          405,        405),
    },
    "api:v1:capacity-list": {
        "GET":  by_role(401,      200,          200,        200),
        "POST": by_role(401,      405,          405,        405),
    },
    "api:v1:dashboard": {
        "GET":  by_role(401,      200,          200,        200),
        "POST": by_role(401,      405,          405,        405),
    },
    "api:v1:order-bulk": {
        "GET":  by_role(401,      405,          405,        405),
        "POST": by_role(401,      403,          400,        400),
    },
    "api:v1:decision-model-version-list": {
        "GET":  by_role(401,      403,          403,        200),
        "POST": by_role(401,      403,          403,        428),
    },
    "api:v1:decision-model-version-preview": {
        "GET":  by_role(401,      405,          405,        405),
        "POST": by_role(401,      403,          403,        400),
    },
    "api:v1:nightly-run-list": {
        "GET":  by_role(401,      403,          403,        200),
        "POST": by_role(401,      403,          403,        201),
    },
    # Growth plans, goals and actions, and tasks on every account the user may see
    "api:v1:plan-list": {
        "GET":  by_role(401,      200,          200,        200),
        "POST": by_role(401,      405,          405,        405),
    },
    "api:v1:goal-list": {
        "GET":  by_role(401,      200,          200,        200),
        "POST": by_role(401,      405,          405,        405),
    },
    "api:v1:action-list": {
        "GET":  by_role(401,      200,          200,        200),
        "POST": by_role(401,      405,          405,        405),
    },
    "api:v1:task-list": {
        "GET":  by_role(401,      200,          200,        200),
        "POST": by_role(401,      405,          405,        405),
    },
    "api:v1:playbook-list": {
        "GET":  by_role(401,      403,          403,        200),
        "POST": by_role(401,      405,          405,        405),
    },
    # Version 1, one object (that of the actor's account: the object itself, a contact, an
    # event or the draft on it; for a capacity, the account's owner; a version is number 1)
    #                    anonymous am_own  am_team  am_foreign  sm_team  sm_other  admin
    "api:v1:question-version-detail": {
        "GET":  by_actor(401,      200,    200,     200,        200,     200,      200),
        "POST": by_actor(401,      405,    405,     405,        405,     405,      405),
    },
    "api:v1:decision-model-version-detail": {
        "GET":  by_actor(401,      403,    403,     403,        403,     403,      200),
        "POST": by_actor(401,      405,    405,     405,        405,     405,      405),
    },
    "api:v1:nightly-run-detail": {
        "GET":  by_actor(401,      403,    403,     403,        403,     403,      200),
        "POST": by_actor(401,      405,    405,     405,        405,     405,      405),
    },
    "api:v1:account-detail": {
        "GET":  by_actor(401,      200,    200,     404,        200,     404,      200),
        "POST": by_actor(401,      405,    405,     405,        405,     405,      405),
    },
    "api:v1:account-reassign": {
        "GET":  by_actor(401,      405,    405,     405,        405,     405,      405),
        "POST": by_actor(401,      403,    403,     404,        428,     404,      428),
    },
    "api:v1:account-order-list": {
        "GET":  by_actor(401,      200,    200,     404,        200,     404,      200),
        "POST": by_actor(401,      405,    405,     405,        405,     405,      405),
    },
    # Contacts and events: the account's writers, as on the account page (accounts.access)
    "api:v1:account-contact-list": {
        "GET":  by_actor(401,      200,    200,     404,        200,     404,      200),
        "POST": by_actor(401,      400,    400,     404,        400,     404,      400),
    },
    "api:v1:contact-detail": {
        "GET":  by_actor(401,      200,    200,     404,        200,     404,      200),
        "POST": by_actor(401,      405,    405,     405,        405,     405,      405),
        "PATCH": by_actor(401,     428,    428,     404,        428,     404,      428),
    },
    "api:v1:account-event-list": {
        "GET":  by_actor(401,      200,    200,     404,        200,     404,      200),
        "POST": by_actor(401,      400,    400,     404,        400,     404,      400),
    },
    "api:v1:event-detail": {
        "GET":  by_actor(401,      200,    200,     404,        200,     404,      200),
        "POST": by_actor(401,      405,    405,     405,        405,     405,      405),
    },
    "api:v1:account-assessment-list": {
        "GET":  by_actor(401,      200,    200,     404,        200,     404,      200),
        "POST": by_actor(401,      200,    200,     404,        403,     404,      403),
    },
    "api:v1:assessment-detail": {
        "GET":  by_actor(401,      200,    200,     404,        200,     404,      200),
        "POST": by_actor(401,      405,    405,     405,        405,     405,      405),
        "PATCH": by_actor(401,     428,    428,     404,        403,     404,      403),
    },
    "api:v1:assessment-submit": {
        "GET":  by_actor(401,      405,    405,     405,        405,     405,      405),
        "POST": by_actor(401,      428,    428,     404,        403,     404,      403),
    },
    "api:v1:account-pin": {
        "GET":  by_actor(401,      200,    200,     404,        200,     404,      200),
        "POST": by_actor(401,      405,    405,     405,        405,     405,      405),
        "PUT":  by_actor(401,      403,    403,     404,        428,     404,      428),
        "DELETE": by_actor(401,    403,    403,     404,        428,     404,      428),
    },
    "api:v1:capacity-detail": {
        "GET":  by_actor(401,      200,    404,     404,        200,     404,      200),
        "POST": by_actor(401,      405,    405,     405,        405,     405,      405),
        "PUT":  by_actor(401,      403,    403,     403,        403,     403,      428),
    },
    # An account's growth plan, its goals and actions (the goal or action of the account's
    # plan): its writers (the owner, account team, the owner's sales manager, admins), as on
    # the plan page. Bodies are empty: adding is a 400, a change without If-Match a 428.
    #                    anonymous am_own  am_team  am_foreign  sm_team  sm_other  admin
    "api:v1:account-plan": {
        "GET":  by_actor(401,      200,    200,     404,        200,     404,      200),
        "POST": by_actor(401,      405,    405,     405,        405,     405,      405),
        "PUT":  by_actor(401,      428,    428,     404,        428,     404,      428),
    },
    "api:v1:account-goal-list": {
        "GET":  by_actor(401,      200,    200,     404,        200,     404,      200),
        "POST": by_actor(401,      400,    400,     404,        400,     404,      400),
    },
    "api:v1:goal-detail": {
        "GET":  by_actor(401,      200,    200,     404,        200,     404,      200),
        "POST": by_actor(401,      405,    405,     405,        405,     405,      405),
        "PATCH": by_actor(401,     428,    428,     404,        428,     404,      428),
        "DELETE": by_actor(401,    428,    428,     404,        428,     404,      428),
    },
    "api:v1:account-action-list": {
        "GET":  by_actor(401,      200,    200,     404,        200,     404,      200),
        "POST": by_actor(401,      400,    400,     404,        400,     404,      400),
    },
    "api:v1:action-detail": {
        "GET":  by_actor(401,      200,    200,     404,        200,     404,      200),
        "POST": by_actor(401,      405,    405,     405,        405,     405,      405),
        "PATCH": by_actor(401,     428,    428,     404,        428,     404,      428),
    },
    "api:v1:action-close": {
        "GET":  by_actor(401,      405,    405,     405,        405,     405,      405),
        "POST": by_actor(401,      428,    428,     404,        428,     404,      428),
    },
    # A task on the actor's account: closed by the account's writers and its assignee
    "api:v1:task-detail": {
        "GET":  by_actor(401,      200,    200,     404,        200,     404,      200),
        "POST": by_actor(401,      405,    405,     405,        405,     405,      405),
    },
    "api:v1:task-close": {
        "GET":  by_actor(401,      405,    405,     405,        405,     405,      405),
        "POST": by_actor(401,      428,    428,     404,        428,     404,      428),
    },
    # A playbook: the admins' (the same for every actor of a role)
    "api:v1:playbook-detail": {
        "GET":  by_actor(401,      403,    403,     403,        403,     403,      200),
        "POST": by_actor(401,      405,    405,     405,        405,     405,      405),
    },
}
# fmt: on

# A minimal valid body where an empty one would be refused before the access check matters.
TODAY = timezone.localdate().isoformat()
ENTRY = {"kind": "meeting", "occurred_on": TODAY, "text": "Met the buyer"}
POST_DATA: dict[str, dict[str, str]] = {
    "assessments:edit": {"lock_version": "1"},  # a draft's first save
    "workspace:log": ENTRY,
    "workspace:event_edit": ENTRY,
    "workspace:contacts": {"name": "Dana Levi"},
    "workspace:contact_edit": {"name": "Dana Levi"},
    "workspace:contact_end": {"ended_on": TODAY},
    "plans:action_status": {"status": "done"},
}
