"""The web shell: login, logout, every page behind login, navigation by role, language switch."""

import re
import uuid

import pytest
from django.urls import URLResolver, get_resolver, reverse

from tests.factories import AccountFactory, UserFactory

pytestmark = pytest.mark.django_db


def nav(response) -> str:
    """The role navigation only, so a link elsewhere on the page cannot pass a nav test."""
    html = response.content.decode()
    match = re.search(r'data-testid="role-nav">(.*?)</ul>', html, re.S)
    assert match, "role navigation missing"
    return match.group(1)


# The only pages an anonymous visitor may open; anything else in the URLconf must refuse them.
# The one-time password link is opened before its owner can sign in; the digest's one-click
# unsubscribe is opened from a mail: its signed token names the user (a bad token changes
# nothing: tests/playbooks/test_digest.py).
PUBLIC_URL_NAMES = {
    "login",
    "language_switch",
    "healthz",
    "password_confirm",
    "password_done",
    "unsubscribe",
}
SAMPLE_ARGUMENTS = {"int": "1", "str": "x", "slug": "x", "path": "x", "uuid": str(uuid.UUID(int=1))}


def site_urls(patterns=None, prefix: str = "") -> list[tuple[str, str]]:
    """(name, sample URL) for every route of the URLconf, with sample values for converters."""
    found = []
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver) and entry.namespace == "admin":
            found.append(("admin", "/" + route))  # Django's admin guards its own pages
        elif isinstance(entry, URLResolver):
            found += site_urls(entry.url_patterns, route)
        elif not route.startswith("^"):  # regex routes are the DEBUG static files
            url = re.sub(r"<(\w+):\w+>", lambda m: SAMPLE_ARGUMENTS[m.group(1)], route)
            url = re.sub(r"<\w+>", "x", url)
            found.append((entry.name or route, "/" + url))
    return found


@pytest.mark.parametrize(
    ("name", "url"), [u for u in site_urls() if u[0] not in PUBLIC_URL_NAMES], ids=lambda v: v
)
def test_every_page_refuses_anonymous_visitors(client, name, url):
    response = client.get(url)
    if response.status_code == 302:
        assert response.url.split("?")[0] in (reverse("login"), reverse("admin:login")), url
    else:  # the JSON API answers for itself
        assert response.status_code in (401, 403), (url, response.status_code)


def test_an_existing_account_page_also_requires_login(client, own_account):
    url = reverse("accounts:detail", args=[own_account.pk])
    response = client.get(url)
    assert response.status_code == 302 and response.url == f"/login/?next={url}"


def test_the_login_page_is_open_and_uses_the_bootstrap_form(client):
    response = client.get(reverse("login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="username"' in html and 'class="btn btn-primary w-100"' in html
    assert "vendor/bootstrap.min.css" in html and "cdn" not in html.lower()


def test_signing_in_lands_on_home(client, account_manager):
    response = client.post(reverse("login"), {"username": "am1", "password": "pw"})
    assert response.status_code == 302 and response.url == reverse("home")
    assert client.get(reverse("home")).status_code == 200


def test_a_wrong_password_shows_an_error_and_no_session(client, account_manager):
    response = client.post(reverse("login"), {"username": "am1", "password": "nope"})
    assert response.status_code == 200
    assert "alert" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_is_a_post_and_ends_the_session(client, account_manager):
    client.force_login(account_manager)
    html = client.get(reverse("home")).content.decode()
    assert re.search(r'<form method="post" action="/logout/"', html)
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response.url == reverse("login")
    assert client.get(reverse("home")).status_code == 302


def test_account_manager_navigation(client, account_manager):
    client.force_login(account_manager)
    links = nav(client.get("/"))
    assert "My accounts" in links
    assert "Team<" not in links and "Django admin" not in links and "People<" not in links
    assert "Risk settings" not in links


def test_sales_manager_navigation(client, sales_manager):
    client.force_login(sales_manager)
    links = nav(client.get("/"))
    assert "Team<" in links and "Accounts<" in links and reverse("people:list") in links
    assert "My accounts" not in links and "Django admin" not in links
    assert "Risk settings" not in links and "Decision model" not in links


def test_admin_navigation(client, admin_user):
    client.force_login(admin_user)
    links = nav(client.get("/"))
    assert "Accounts<" in links and "People<" in links and "Django admin" in links
    assert reverse("people:list") in links and "My accounts" not in links


def test_the_admins_settings_are_in_the_navigation(client, admin_user):
    client.force_login(admin_user)
    links = nav(client.get("/"))
    for name, label in (
        ("risk:settings", "Risk settings"),
        ("segments:settings", "Segment settings"),
        ("segments:decision_model", "Decision model"),
    ):
        assert f'href="{reverse(name)}">{label}<' in links


def test_the_page_loads_vendored_assets_only(client, account_manager):
    client.force_login(account_manager)
    html = client.get("/").content.decode()
    for asset in ("bootstrap.min.css", "bootstrap.bundle.min.js", "htmx.min.js", "css/app.css"):
        assert f"/static/vendor/{asset}" in html or f"/static/{asset}" in html
    assert "https://" not in html.split("<body")[0]
    config = '{"includeIndicatorStyles": false, "allowEval": false}'
    assert f"<meta name=\"htmx-config\" content='{config}'>" in html


class TestLanguageSwitch:
    def test_it_saves_the_choice_on_the_user(self, client, account_manager):
        client.force_login(account_manager)
        response = client.post(reverse("language_switch"), {"language": "he", "next": "/accounts/"})
        assert response.status_code == 302 and response.url == "/accounts/"
        account_manager.refresh_from_db()
        assert account_manager.language == "he"

    def test_the_choice_outlives_the_session(self, client, account_manager):
        client.force_login(account_manager)
        client.post(reverse("language_switch"), {"language": "he"})
        client.logout()
        client.cookies.clear()
        client.force_login(account_manager)
        assert 'lang="he"' in client.get("/").content.decode()

    def test_it_never_redirects_off_site(self, client, account_manager):
        client.force_login(account_manager)
        response = client.post(
            reverse("language_switch"), {"language": "en", "next": "https://evil.example/"}
        )
        assert response.url == reverse("home")

    def test_an_unknown_language_changes_nothing_and_says_so(self, client, account_manager):
        client.force_login(account_manager)
        response = client.post(reverse("language_switch"), {"language": "xx"}, follow=True)
        account_manager.refresh_from_db()
        assert account_manager.language == "en"
        assert "Unknown language" in response.content.decode()

    def test_it_is_post_only(self, client, account_manager):
        client.force_login(account_manager)
        assert client.get(reverse("language_switch")).status_code == 405

    def test_anonymous_visitors_can_switch_on_the_login_page(self, client):
        response = client.post(reverse("language_switch"), {"language": "he", "next": "/login/"})
        assert response.status_code == 302 and response.url == "/login/"
        html = client.get("/login/").content.decode()
        assert 'lang="he"' in html and 'dir="rtl"' in html

    def test_the_login_page_follows_the_browser_language(self, client):
        html = client.get("/login/", HTTP_ACCEPT_LANGUAGE="he").content.decode()
        assert 'dir="rtl"' in html


def test_a_user_sees_their_own_language_whatever_the_browser_asks(client):
    user = UserFactory(language="he")
    AccountFactory(owner=user)
    client.force_login(user)
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'lang="he"' in html


def test_a_very_long_username_is_a_form_error_not_a_crash(client, db):
    """The sign-in log keeps 255 characters of a username: a longer one must never reach it."""
    response = client.post(reverse("login"), {"username": "x" * 1000, "password": "pw"})
    assert response.status_code == 200
    assert response.context["form"].errors
