"""The manager's controls in a real browser: a sales manager reassigns an account from its page
and a selection from the list, and changes the account team in place; an admin adds a person
and deactivates another, and reaches the settings from the navigation; one pass in Hebrew."""

import re

import pytest
from playwright.sync_api import Page, expect

from accounts.models import Account, AccountChange
from tests.e2e.conftest import screenshot
from tests.factories import AccountFactory
from users.models import Language, User

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def owner_of(account: Account) -> str:
    return Account.objects.select_related("owner").get(pk=account.pk).owner.username


def test_a_sales_manager_reassigns_an_account_from_its_page(
    page: Page, problems, sign_in, sales_manager, account_manager, teammate, own_account
):
    sign_in(sales_manager)
    page.goto(f"/accounts/{own_account.pk}/")
    form = page.get_by_test_id("reassign-form")
    form.get_by_label("New account manager").select_option(label=str(teammate))
    form.get_by_label("Reason").fill("Holiday cover")
    with page.expect_navigation():
        form.get_by_role("button", name="Reassign").click()

    expect(page.get_by_role("alert")).to_contain_text("next nightly run")
    history = page.get_by_test_id("change-history")
    expect(history).to_contain_text("Holiday cover")
    expect(history).to_contain_text(str(teammate))
    assert owner_of(own_account) == "am2"
    screenshot(page, "account-page-reassigned-en")
    assert problems == []


def test_the_account_team_changes_in_place(
    page: Page, problems, sign_in, account_manager, teammate, own_account
):
    sign_in(account_manager)
    page.goto(f"/accounts/{own_account.pk}/")
    page.evaluate("window.e2eSameDocument = true")
    card = page.get_by_test_id("account-team")
    card.get_by_label("Add to the account team").select_option(label=str(teammate))
    card.get_by_role("button", name="Add").click()

    expect(card.locator(f'[data-member-id="{teammate.pk}"]')).to_be_visible()
    expect(card.get_by_role("status")).to_contain_text("joined the account team")
    card.get_by_role("button", name=re.compile("Remove")).click()
    expect(card.locator(f'[data-member-id="{teammate.pk}"]')).to_have_count(0)
    assert page.evaluate("window.e2eSameDocument") is True  # htmx swapped the card only
    assert AccountChange.objects.count() == 2
    assert problems == []


def test_a_sales_manager_reassigns_the_selected_rows_of_the_list(
    page: Page, problems, sign_in, sales_manager, account_manager, teammate
):
    for name in ("Alpha Steel", "Beta Steel", "Gamma Foods"):
        AccountFactory(owner=account_manager, name=name)
    sign_in(sales_manager)
    page.goto("/accounts/?q=Steel")
    select_all = page.get_by_label("Select every account on this page")
    expect(select_all).to_be_visible()  # revealed by select_all.js
    select_all.check()
    expect(page.locator('input[name="accounts"]:checked')).to_have_count(2)

    bulk = page.get_by_test_id("bulk-reassign")
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url) if r.headers.get("hx-request") else None)
    bulk.get_by_label("New account manager").select_option(label=str(teammate))
    bulk.get_by_label("Reason").fill("Leaving the region")
    assert requests == []  # picking the new owner does not refresh the list's filters
    with page.expect_navigation():
        bulk.get_by_role("button", name="Reassign selected").click()

    expect(page).to_have_url(re.compile(r"/accounts/\?q=Steel$"))
    expect(page.get_by_role("alert")).to_contain_text("2 accounts reassigned to")
    owners = dict(Account.objects.values_list("name", "owner__username"))
    assert owners == {"Alpha Steel": "am2", "Beta Steel": "am2", "Gamma Foods": "am1"}
    screenshot(page, "account-list-bulk-en")
    assert problems == []


def test_an_admin_adds_a_person_and_deactivates_another(
    page: Page, problems, sign_in, admin_user, team, account_manager
):
    sign_in(admin_user)
    page.goto("/people/")
    page.get_by_test_id("person-create").click()
    form = page.get_by_test_id("person-form")
    form.get_by_label("Username").fill("noa")
    form.get_by_label("First name").fill("Noa")
    form.get_by_label("Last name").fill("Peretz")
    form.get_by_label("E-mail address").fill("noa@example.com")
    form.get_by_label("Team").select_option(label="North")
    form.get_by_label("Language").select_option(value="he")
    with page.expect_navigation():
        form.get_by_role("button", name="Add").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Noa Peretz")

    with page.expect_navigation():
        page.get_by_test_id("password-link").click()
    link = page.get_by_test_id("password-link-url").input_value()
    assert "/people/password/" in link

    page.goto(f"/people/{account_manager.pk}/")
    with page.expect_navigation():
        page.get_by_test_id("deactivate").click()
    expect(page.get_by_role("alert")).to_contain_text("is deactivated")
    assert not User.objects.get(pk=account_manager.pk).is_active
    assert User.objects.get(username="noa").team == team
    screenshot(page, "person-deactivated-en")
    assert problems == []


def test_the_settings_are_in_the_admins_navigation(page: Page, problems, sign_in, admin_user):
    sign_in(admin_user)
    page.goto("/")
    nav = page.get_by_test_id("role-nav")
    for item in ("Risk settings", "Segment settings", "Decision model"):
        nav.get_by_role("button", name="Settings").click()
        with page.expect_navigation():
            nav.get_by_role("link", name=item).click()
        expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert problems == []


def test_in_hebrew_the_new_pages_load_cleanly(
    page: Page, problems, sign_in, admin_user, sales_manager, own_account
):
    admin_user.language = Language.HEBREW
    admin_user.save(update_fields=["language"])
    sign_in(admin_user)
    for name, path in [
        ("people", "/people/"),
        ("teams", "/people/teams/"),
        ("person", f"/people/{sales_manager.pk}/"),
        ("account-page", f"/accounts/{own_account.pk}/"),
        ("risk-settings", "/risk/settings/"),
        ("segment-settings", "/segments/settings/"),
    ]:
        response = page.goto(path, wait_until="networkidle")
        assert response is not None and response.status == 200, path
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        screenshot(page, f"{name}-he")
    expect(page.get_by_role("heading", level=1)).to_have_text("הגדרות קבוצות")
    assert problems == []
