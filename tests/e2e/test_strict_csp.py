"""Every role's main pages under the strict Content-Security-Policy, in Chromium: the header is
there, and nothing is refused (Chromium reports a refused inline script or style, or an eval,
as a console error, which the `problems` fixture collects)."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from assessments.models import Assessment
from assessments.services import assessment_start
from tests.e2e.conftest import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

REQUIRED = ("default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'")


def visit(page: Page, path: str) -> None:
    response = page.goto(path, wait_until="networkidle")
    assert response is not None and response.status == 200, f"{path}: {response}"
    policy = response.headers.get("content-security-policy", "")
    assert all(directive in policy for directive in REQUIRED), f"{path}: {policy!r}"
    assert "unsafe" not in policy


def test_the_login_page_and_signing_in_through_it(page: Page, problems, account_manager):
    visit(page, "/login/")
    page.locator("input[name=username]").fill("am1")
    page.locator("input[name=password]").fill("pw")
    page.locator("input[name=password]").press("Enter")
    expect(page).to_have_url(re.compile(r"://[^/]+/$"))
    assert problems == []


def test_an_account_managers_pages(page: Page, problems, sign_in, account_manager, account_at_risk):
    sign_in(account_manager)
    submitted = Assessment.objects.filter(account=account_at_risk).first()
    draft = assessment_start(account=account_at_risk, by=account_manager)
    for path in (
        "/",
        "/accounts/",
        f"/accounts/{account_at_risk.pk}/",
        reverse("assessments:account", args=[account_at_risk.pk]),
        reverse("assessments:detail", args=[submitted.pk]),
        reverse("assessments:edit", args=[draft.pk]),
    ):
        visit(page, path)
    visit(page, f"/accounts/{account_at_risk.pk}/")
    page.wait_for_function("() => window.Chart && Chart.getChart('assessment-chart')")

    # htmx refreshes the list while typing, under the policy (no eval, no injected style).
    visit(page, "/accounts/")
    with page.expect_response(lambda r: "/accounts/?" in r.url and r.status == 200):
        page.locator("input[name=q]").fill("Quiet")
    expect(page.get_by_test_id("account-table")).to_contain_text("Quiet Buyer Ltd")
    screenshot(page, "csp-account-list")
    assert problems == []


def test_a_sales_managers_pages(page: Page, problems, sign_in, sales_manager, account_at_risk):
    sign_in(sales_manager)
    for path in (
        "/",
        "/accounts/?risk=high&sort=-at_stake",
        f"/accounts/{account_at_risk.pk}/",
        reverse("segments:capacity"),
    ):
        visit(page, path)
    page.get_by_test_id("user-menu").click()  # Bootstrap's dropdown, positioned by script
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    assert problems == []


def test_an_admins_pages_and_the_django_admin(
    page: Page, problems, sign_in, admin_user, account_manager, account_at_risk
):
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    sign_in(admin_user)
    for path in (
        "/",
        f"/accounts/{account_at_risk.pk}/",
        reverse("segments:decision_model"),
        reverse("segments:settings"),
        reverse("segments:capacity"),
        reverse("risk:settings"),
        reverse("admin:index"),
        reverse("admin:users_user_changelist"),
        reverse("admin:users_user_change", args=[account_manager.pk]),
        reverse("admin:axes_accessattempt_changelist"),
    ):
        visit(page, path)
    assert problems == []
