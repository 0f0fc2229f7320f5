"""Each role's main pages on `make run`'s demo, in English and in Hebrew: every page answers,
reads in the user's language with no English left on a Hebrew page, shows no number with
more than two decimals and no console error (walk.check).

With E2E_SCREENSHOTS=<dir> this is also where docs/screenshots/ comes from (`make
screenshots`): what the window shows at 1280x800, every page in English, a few in Hebrew."""

import pytest
from playwright.sync_api import Page

from assessments.models import Assessment, AssessmentStatus
from playbooks.models import Task
from tests.e2e.conftest import screenshot
from tests.e2e.demo_portfolio import DemoPortfolio
from tests.e2e.walk import speaking, visit
from users.models import Language

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ROLES = {"account-manager": "am1", "sales-manager": "manager", "admin": "admin"}
# (name, path) per role, pictured; {planned} is an account of am1 (in the manager's team) with
# a growth plan. CHECKED_TOO: pages behind them, checked but not pictured.
PAGES: dict[str, list[tuple[str, str]]] = {
    "account-manager": [
        ("home", "/"),
        ("dashboard", "/dashboard/"),
        ("account-list", "/accounts/"),
        ("account-page", "/accounts/{planned}/"),
        ("growth-plan", "/accounts/{planned}/plan/"),
        ("assessments", "/accounts/{planned}/assessments/"),
        ("tasks", "/tasks/"),
    ],
    "sales-manager": [
        ("home", "/"),
        ("dashboard", "/dashboard/"),
        ("account-list", "/accounts/"),
        ("account-page", "/accounts/{planned}/"),
        ("growth-plan", "/accounts/{planned}/plan/"),
        ("tasks", "/tasks/"),
        ("imports", "/imports/"),
        ("capacity", "/segments/capacity/"),
        ("people", "/people/"),
        ("audit-log", "/audit/"),
    ],
    "admin": [
        ("home", "/"),
        ("dashboard", "/dashboard/"),
        ("people", "/people/"),
        ("teams", "/people/teams/"),
        ("audit-log", "/audit/"),
        ("risk-settings", "/risk/settings/"),
        ("segment-settings", "/segments/settings/"),
        ("decision-model", "/segments/decision-model/"),
        ("playbooks", "/playbooks/"),
    ],
}
CHECKED_TOO: dict[str, list[str]] = {
    "account-manager": ["/tasks/{task}/", "/assessments/{assessment}/"],
    "sales-manager": ["/segments/capacity/?detail=1", "/tasks/results/", "/people/{am1}/"],
    "admin": ["/accounts/", "/people/{am1}/", "/people/teams/{team}/", "/imports/"],
}
# The pages also pictured in Hebrew (right to left): a few are enough to show it.
IN_HEBREW_TOO = {
    ("account-manager", "home"),
    ("sales-manager", "dashboard"),
    ("sales-manager", "account-list"),
    ("sales-manager", "account-page"),
    ("admin", "people"),
}


@pytest.mark.browser_context_args(viewport={"width": 1280, "height": 800})
@pytest.mark.parametrize("language", [Language.ENGLISH, Language.HEBREW])
@pytest.mark.parametrize("role", ROLES)
def test_each_roles_main_pages_read_cleanly(
    page: Page, problems, sign_in, demo_portfolio: DemoPortfolio, role, language
):
    demo = demo_portfolio
    sign_in(speaking(demo.user(ROLES[role]), language))
    ids = {
        "planned": demo.planned.pk,
        "task": Task.objects.filter(assignee=demo.am1).order_by("pk").first().pk,
        "assessment": Assessment.objects.filter(author=demo.am1, status=AssessmentStatus.SUBMITTED)
        .first()
        .pk,
        "am1": demo.am1.pk,
        "team": demo.am1.team_id,
    }
    for name, path in PAGES[role]:
        visit(page, path.format(**ids), language)
        if language == Language.ENGLISH or (role, name) in IN_HEBREW_TOO:
            screenshot(page, f"{role}-{name}-{language}", full_page=False)
    for path in CHECKED_TOO[role]:
        visit(page, path.format(**ids), language)
    assert problems == []
