"""Deactivating a user ends every session they have at once, by any path, and reactivating
them later does not bring an old session back."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import AdminFactory
from users.models import User
from users.services import user_deactivate

pytestmark = pytest.mark.django_db


def signed_in_client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    assert client.get(reverse("home")).status_code == 200
    return client


def is_sent_to_login(client: Client) -> bool:
    response = client.get(reverse("home"))
    return response.status_code == 302 and response.url.startswith(reverse("login"))


def reactivate(user: User) -> None:
    user.refresh_from_db()
    user.is_active = True
    user.save()


@pytest.fixture
def staff_client(db) -> Client:
    client = Client()
    client.force_login(AdminFactory(username="root", is_staff=True, is_superuser=True))
    return client


def test_a_deactivated_user_is_sent_to_the_login_page_and_stays_out_after_reactivation(
    account_manager, admin_user
):
    laptop, phone = signed_in_client(account_manager), signed_in_client(account_manager)

    user_deactivate(user=account_manager, by=admin_user)
    assert is_sent_to_login(laptop) and is_sent_to_login(phone)

    reactivate(account_manager)
    assert is_sent_to_login(laptop) and is_sent_to_login(phone)
    signed_in_client(account_manager)  # a new sign-in works as before


def test_other_users_keep_their_sessions(account_manager, teammate, admin_user):
    theirs = signed_in_client(teammate)
    user_deactivate(user=account_manager, by=admin_user)
    assert theirs.get(reverse("home")).status_code == 200


def test_a_plain_save_that_deactivates_ends_the_sessions_too(account_manager):
    client = signed_in_client(account_manager)
    account_manager.is_active = False
    account_manager.save()
    reactivate(account_manager)
    assert is_sent_to_login(client)


def test_saving_other_fields_keeps_the_sessions(account_manager):
    client = signed_in_client(account_manager)
    account_manager.first_name = "Dana"
    account_manager.save()
    account_manager.language = "he"
    account_manager.save(update_fields=["language"])
    assert client.get(reverse("home")).status_code == 200


def test_a_stale_copy_saved_later_does_not_revive_the_sessions(account_manager, admin_user):
    client = signed_in_client(account_manager)
    stale = User.objects.get(pk=account_manager.pk)
    user_deactivate(user=account_manager, by=admin_user)
    stale.save()  # written whole, from before the deactivation (and so active again)
    assert is_sent_to_login(client)


def test_deactivating_in_the_admins_change_form_ends_the_sessions(account_manager, staff_client):
    client = signed_in_client(account_manager)
    url = reverse("admin:users_user_change", args=[account_manager.pk])
    form = staff_client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in ("password", "is_active", "groups", "user_permissions")
    }
    data |= {
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": account_manager.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": account_manager.date_joined.strftime("%H:%M:%S"),
        "team": account_manager.team_id,
    }
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    account_manager.refresh_from_db()
    assert not account_manager.is_active

    reactivate(account_manager)
    assert is_sent_to_login(client)


def test_the_admins_bulk_action_deactivates_and_ends_the_sessions(
    account_manager, teammate, staff_client
):
    clients = [signed_in_client(account_manager), signed_in_client(teammate)]
    response = staff_client.post(
        reverse("admin:users_user_changelist"),
        {"action": "deactivate", "_selected_action": [account_manager.pk, teammate.pk]},
    )
    assert response.status_code == 302
    assert not User.objects.filter(pk__in=[account_manager.pk, teammate.pk], is_active=True)
    reactivate(account_manager)
    reactivate(teammate)
    assert all(is_sent_to_login(client) for client in clients)
