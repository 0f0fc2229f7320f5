"""403, 404 and 500 pages: the site's layout, the user's language and a way back home."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db
NAVBAR = 'aria-label="Main navigation"'


def as_user(client, user, language: str):
    user.language = language
    user.save()
    client.force_login(user)
    return client


class TestForbidden:
    def test_a_sales_manager_on_the_risk_settings_gets_the_layout(self, client, sales_manager):
        response = as_user(client, sales_manager, "en").get(reverse("risk:settings"))
        assert response.status_code == 403
        body = response.text
        assert 'data-testid="error-403"' in body and "403 Forbidden" not in body
        assert "You do not have access to this page" in body
        assert NAVBAR in body and 'data-testid="user-menu"' in body
        assert f'href="{reverse("home")}"' in body

    def test_in_hebrew_for_a_hebrew_user(self, client, sales_manager):
        response = as_user(client, sales_manager, "he").get(reverse("risk:settings"))
        assert response.status_code == 403
        body = response.text
        assert 'lang="he"' in body and 'dir="rtl"' in body
        assert "אין לך גישה לדף הזה" in body and "You do not have access" not in body

    def test_an_account_manager_on_the_decision_model_too(self, client, account_manager):
        response = as_user(client, account_manager, "en").get(reverse("segments:decision_model"))
        assert response.status_code == 403 and 'data-testid="error-403"' in response.text


class TestNotFound:
    def test_a_foreign_account_is_not_found_within_the_layout(
        self, client, account_manager, foreign_account
    ):
        url = reverse("accounts:detail", args=[foreign_account.pk])
        response = as_user(client, account_manager, "en").get(url)
        assert response.status_code == 404
        body = response.text
        assert 'data-testid="error-404"' in body and NAVBAR in body
        assert "Back to the home page" in body and foreign_account.name not in body

    def test_in_hebrew_for_a_hebrew_user(self, client, account_manager):
        response = as_user(client, account_manager, "he").get("/no-such-page/")
        assert response.status_code == 404
        assert 'dir="rtl"' in response.text and "הדף לא נמצא" in response.text


@pytest.mark.urls("tests.errors.urls")
class TestServerError:
    def test_a_failing_view_shows_the_styled_page(self, client, account_manager, settings):
        settings.DEBUG = False
        client.raise_request_exception = False
        response = as_user(client, account_manager, "he").get("/boom/")
        assert response.status_code == 500
        body = response.text
        assert 'data-testid="error-500"' in body and "must not show" not in body
        assert 'dir="rtl"' in body and "css/app.css" in body and "bootstrap.rtl.min.css" in body
        assert 'href="/"' in body and "navbar" in body

    def test_it_renders_without_a_request_or_the_database(self, django_assert_num_queries):
        with django_assert_num_queries(0), translation.override("en"):
            html = render_to_string("500.html")
        assert "Something went wrong" in html and 'href="/"' in html and 'dir="ltr"' in html
