"""Personal API tokens and service accounts: shown once, stored hashed, scoped, revocable, and
revoked at once when the user's access ends."""

import hashlib

import pytest
from django.test import Client
from django.urls import reverse

from api.models import ApiToken, TokenScope
from api.tokens import service_account_create, token_create
from tests.factories import AccountFactory, AdminFactory
from users.models import User
from users.services import user_deactivate

pytestmark = pytest.mark.django_db

ACCOUNTS = "/api/v1/accounts/"
BULK = "/api/v1/orders/bulk/"


def client_with(key: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def test_a_token_signs_in_as_its_user_and_sees_what_they_see(account_manager, own_account):
    AccountFactory(name="Someone else's")
    _token, key = token_create(user=account_manager, name="s", scope="full", by=account_manager)
    response = client_with(key).get(ACCOUNTS)
    assert response.status_code == 200
    assert [row["name"] for row in response.json()["results"]] == ["Own Ltd"]


def test_only_the_secrets_hash_is_stored(account_manager):
    token, key = token_create(user=account_manager, name="s", scope="full", by=account_manager)
    prefix, secret = key.split(".")
    assert (len(prefix), len(secret)) == (8, 40)
    token.refresh_from_db()
    assert token.prefix == prefix
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(ApiToken.objects.filter(pk=token.pk).values().get())


@pytest.mark.parametrize(
    "header",
    ["Bearer nonsense", "Bearer abcdefgh.wrongwrongwrongwrongwrongwrongwrongwrong", "Bearer"],
)
def test_a_wrong_key_is_a_401_naming_bearer(account_manager, header):
    response = Client(HTTP_AUTHORIZATION=header).get(ACCOUNTS)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.json()["code"] == "authentication_failed"


def test_the_right_prefix_with_a_wrong_secret_is_refused(account_manager):
    _token, key = token_create(user=account_manager, name="s", scope="full", by=account_manager)
    forged = key.split(".")[0] + "." + "x" * 40
    assert client_with(forged).get(ACCOUNTS).status_code == 401


def test_a_revoked_token_stops_working(account_manager, client):
    token, key = token_create(user=account_manager, name="s", scope="full", by=account_manager)
    client.force_login(account_manager)
    response = client.post(reverse("tokens:revoke", args=[token.pk]))
    assert response.status_code == 302
    assert client_with(key).get(ACCOUNTS).status_code == 401


def test_deactivating_a_user_revokes_their_tokens_at_once_and_for_good(account_manager, admin_user):
    _token, key = token_create(user=account_manager, name="s", scope="full", by=account_manager)
    api = client_with(key)
    assert api.get(ACCOUNTS).status_code == 200
    user_deactivate(user=account_manager, by=admin_user)
    assert api.get(ACCOUNTS).status_code == 401
    account_manager.refresh_from_db()
    account_manager.is_active = True
    account_manager.save()
    assert api.get(ACCOUNTS).status_code == 401  # reactivation does not revive it
    assert not ApiToken.objects.active().filter(user=account_manager).exists()


def test_last_use_is_noted(account_manager):
    token, key = token_create(user=account_manager, name="s", scope="full", by=account_manager)
    client_with(key).get(ACCOUNTS)
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_an_import_only_token_reaches_only_the_imports(admin_user, own_account):
    _token, key = token_create(
        user=admin_user, name="erp", scope=TokenScope.IMPORT_ONLY, by=admin_user
    )
    api = client_with(key)
    assert api.get(ACCOUNTS).status_code == 403
    assert api.get("/api/accounts/").status_code == 403  # the old endpoint too
    response = api.post(BULK, {"orders": []}, content_type="application/json")
    assert response.status_code == 200


def test_a_service_account_imports_with_its_token_and_nothing_else(admin_user, own_account):
    erp = service_account_create(username="erp", name="ERP", by=admin_user)
    with pytest.raises(Exception, match="may only import"):
        token_create(user=erp, name="x", scope=TokenScope.FULL, by=admin_user)
    _token, key = token_create(user=erp, name="x", scope=TokenScope.IMPORT_ONLY, by=admin_user)
    order = {
        "external_ref": "ERP-1", "customer_external_id": own_account.external_id,
        "ordered_on": "2026-01-15", "revenue": "100.00",
    }  # fmt: skip
    response = client_with(key).post(BULK, {"orders": [order]}, content_type="application/json")
    assert response.status_code == 200, response.json()
    assert response.json()["created"] == 1


def test_a_service_account_cannot_sign_in_to_the_pages(admin_user, client):
    erp = service_account_create(username="erp", name="ERP", by=admin_user)
    erp.set_password("a-password-set-by-mistake")
    erp.save()
    response = client.post(
        reverse("login"), {"username": "erp", "password": "a-password-set-by-mistake"}
    )
    assert response.status_code == 200  # the form again, with its error
    assert "_auth_user_id" not in client.session


def test_a_service_account_is_not_an_account_manager_anywhere(admin_user, client):
    service_account_create(username="erp", name="ERP", by=admin_user)
    client.force_login(admin_user)
    names = [row["manager"]["username"] for row in client.get("/api/v1/capacities/").json()]
    assert "erp" not in names


def test_the_tokens_page_shows_a_new_key_once(account_manager, client):
    client.force_login(account_manager)
    created = client.post(reverse("tokens:list"), {"name": "report", "scope": "full"})
    assert created.status_code == 200
    key = created.context["key"]
    assert key in created.content.decode()
    again = client.get(reverse("tokens:list"))
    assert key not in again.content.decode()
    assert key.split(".")[0] in again.content.decode()  # the prefix tells it apart


def test_someone_elses_token_is_a_404(account_manager, teammate, client):
    theirs, _key = token_create(user=teammate, name="t", scope="full", by=teammate)
    client.force_login(account_manager)
    assert client.post(reverse("tokens:revoke", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_an_admin_makes_a_service_account_and_its_import_token(client):
    admin = AdminFactory(username="root")
    client.force_login(admin)
    response = client.post(
        reverse("tokens:service_accounts"), {"username": "erp", "name": "ERP export"}
    )
    assert response.status_code == 302
    erp = User.objects.get(username="erp")
    assert erp.is_service_account and not erp.has_usable_password()
    made = client.post(reverse("tokens:service_token", args=[erp.pk]), {"name": "nightly"})
    assert made.status_code == 200
    token = ApiToken.objects.get(user=erp)
    assert token.scope == TokenScope.IMPORT_ONLY
    assert made.context["key"].startswith(token.prefix)
    revoked = client.post(reverse("tokens:revoke", args=[token.pk]))
    assert revoked.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_a_deactivated_service_account_gets_no_new_token(client, admin_user):
    erp = service_account_create(username="erp", name="ERP", by=admin_user)
    erp.is_active = False
    erp.save()
    client.force_login(admin_user)
    response = client.post(reverse("tokens:service_token", args=[erp.pk]), {"name": "x"})
    assert response.status_code == 404
    assert not ApiToken.objects.filter(user=erp).exists()
