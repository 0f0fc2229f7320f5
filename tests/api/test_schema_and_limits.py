"""The schema and its documentation page, throttling, unknown URLs, the error shape."""

import pytest
from django.core.cache import cache
from django.test import override_settings
from drf_spectacular.validation import validate_schema

from api.models import ApiToken

pytestmark = pytest.mark.django_db


def test_the_schema_is_valid_openapi_3_and_only_version_1(client, account_manager):
    client.force_login(account_manager)
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")
    assert all(path.startswith("/api/v1/") for path in schema["paths"])
    assert "/api/v1/orders/bulk/" in schema["paths"]
    assert schema["components"]["securitySchemes"]["apiToken"]["scheme"] == "bearer"


def test_the_schema_needs_a_signed_in_client(client):
    assert client.get("/api/schema/").status_code == 401


def test_the_docs_page_loads_swagger_ui_from_our_static_files(client, account_manager):
    client.force_login(account_manager)
    page = client.get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "/static/api/docs.css" in page
    assert "<style" not in page and "<script>" not in page  # nothing inline: the CSP holds
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in script.content.decode()


def test_an_anonymous_visitor_of_the_docs_is_sent_to_sign_in(client):
    response = client.get("/api/docs/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_an_unknown_api_url_is_a_json_404(client, account_manager):
    client.force_login(account_manager)
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "code": "not_found", "errors": []}
    assert client.get("/no-such-page/")["Content-Type"].startswith("text/html")


def test_throttling_answers_429_in_the_error_shape(client, account_manager):
    cache.clear()
    client.force_login(account_manager)
    with override_settings(API_THROTTLE_USER="3/minute"):
        codes = [client.get("/api/v1/accounts/").status_code for _ in range(4)]
        refused = client.get("/api/v1/accounts/")
    cache.clear()
    assert codes == [200, 200, 200, 429]
    assert refused.json()["code"] == "throttled"
    assert int(refused["Retry-After"]) > 0


def test_clients_without_a_valid_token_are_throttled_by_address(client):
    """Guessing tokens is slowed down like anything else anonymous."""
    cache.clear()
    with override_settings(API_THROTTLE_ANONYMOUS="2/minute"):
        codes = [client.get("/api/v1/accounts/").status_code for _ in range(2)]
        guess = client.get("/api/v1/accounts/", HTTP_AUTHORIZATION="Bearer abcdefgh." + "x" * 40)
    cache.clear()
    assert codes == [401, 401]
    assert guess.status_code == 429


def test_no_token_model_field_holds_a_secret():
    assert {f.name for f in ApiToken._meta.fields} >= {"prefix", "key_hash", "revoked_at"}
    assert "key" not in {f.name for f in ApiToken._meta.fields}


def test_a_hebrew_user_reads_the_errors_in_hebrew(client, account_manager, foreign_account):
    account_manager.language = "he"
    account_manager.save()
    client.force_login(account_manager)
    response = client.get("/api/v1/accounts/", {"ordering": "nonsense"})
    assert response.json()["detail"].startswith("מיון לא מוכר")
    refused = client.post(
        f"/api/v1/accounts/{foreign_account.pk}/contacts/", {}, "application/json"
    )
    assert refused.status_code == 404
    denied = client.post("/api/v1/nightly-runs/", {}, "application/json")
    assert denied.json()["detail"] == "אין לך הרשאה לבצע פעולה זו."
