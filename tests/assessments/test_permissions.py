"""Every view, every role: owner and account-team members fill; their sales manager and admins
read (403 on write); an account manager or sales manager of another team gets a 404."""

import pytest
from django.urls import reverse

from assessments.services import assessment_start
from tests.assessments.conftest import post_data, submit_assessment

pytestmark = pytest.mark.django_db

WRITERS = ["owner", "account_team_member"]
READERS = ["sales_manager", "admin_user"]
OUTSIDERS = ["stranger", "other_sales_manager"]


@pytest.fixture
def people(account_manager, teammate, sales_manager, admin_user, stranger, own_account):
    own_account.team_members.add(teammate)
    return {
        "owner": account_manager,
        "account_team_member": teammate,
        "sales_manager": sales_manager,
        "admin_user": admin_user,
        "stranger": stranger,
        "other_sales_manager": stranger.team.manager,
    }


@pytest.fixture
def submitted(own_account, account_manager):
    return submit_assessment(account=own_account, by=account_manager, scales={5: 3})


@pytest.fixture
def draft(own_account, account_manager, submitted):
    return assessment_start(account=own_account, by=account_manager)


def expected_read(role):
    return 404 if role in OUTSIDERS else 200


def expected_write(role, ok_status):
    return {**dict.fromkeys(OUTSIDERS, 404), **dict.fromkeys(READERS, 403)}.get(role, ok_status)


@pytest.mark.parametrize("role", WRITERS + READERS + OUTSIDERS)
def test_the_account_assessments_page(client, people, role, own_account, submitted):
    client.force_login(people[role])
    response = client.get(reverse("assessments:account", args=[own_account.pk]))
    assert response.status_code == expected_read(role)


@pytest.mark.parametrize("role", WRITERS + READERS + OUTSIDERS)
def test_the_detail_page(client, people, role, submitted):
    client.force_login(people[role])
    response = client.get(reverse("assessments:detail", args=[submitted.pk]))
    assert response.status_code == expected_read(role)


@pytest.mark.parametrize("role", WRITERS + READERS + OUTSIDERS)
def test_starting_an_assessment(client, people, role, own_account):
    client.force_login(people[role])
    response = client.post(reverse("assessments:new", args=[own_account.pk]))
    assert response.status_code == expected_write(role, 302)
    assert own_account.assessments.exists() == (role in WRITERS)


@pytest.mark.parametrize("role", WRITERS + READERS + OUTSIDERS)
def test_opening_the_draft_form(client, people, role, draft):
    client.force_login(people[role])
    response = client.get(reverse("assessments:edit", args=[draft.pk]))
    assert response.status_code == expected_write(role, 200)


@pytest.mark.parametrize("role", WRITERS + READERS + OUTSIDERS)
def test_saving_the_draft(client, people, role, draft):
    client.force_login(people[role])
    response = client.post(reverse("assessments:edit", args=[draft.pk]), post_data(lock_version=1))
    assert response.status_code == expected_write(role, 302)
    draft.refresh_from_db()
    assert draft.lock_version == (2 if role in WRITERS else 1)


def test_starting_needs_a_post(client, account_manager, own_account):
    client.force_login(account_manager)
    assert client.get(reverse("assessments:new", args=[own_account.pk])).status_code == 405


def test_anonymous_users_are_sent_to_log_in(client, own_account):
    response = client.get(reverse("assessments:account", args=[own_account.pk]))
    assert response.status_code == 302 and "login" in response["Location"]
