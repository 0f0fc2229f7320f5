"""The people pages at /people/: per role, every page and form; the one-time link end to end."""

import smtplib

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories import AccountManagerFactory, AdminFactory, SalesManagerFactory, TeamFactory
from tests.querycount import assert_queries_do_not_grow
from users.models import Language, Role, Team, User, UserChange, UserChangeKind

pytestmark = pytest.mark.django_db

LIST = "/people/"
CREATE = "/people/new/"
TEAMS = "/people/teams/"


def url(name: str, person) -> str:
    return reverse(f"people:{name}", args=[person.pk])


def as_user(client, user):
    client.force_login(user)
    return client


def listed(response) -> list[str]:
    assert response.status_code == 200
    return [p.username for p in response.context["page"].object_list]


def message_texts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def person_data(**overrides) -> dict:
    data = {
        "first_name": "Tal",
        "last_name": "Levi",
        "email": "tal@example.com",
        "role": Role.ACCOUNT_MANAGER,
        "team": "",
        "language": Language.HEBREW,
    }
    return {**data, **overrides}


class TestTheList:
    def test_an_admin_sees_everyone_and_may_add(
        self, client, admin_user, sales_manager, account_manager, stranger
    ):
        response = as_user(client, admin_user).get(LIST)
        assert set(listed(response)) >= {"admin", "manager", "am1", "am3"}
        assert 'data-testid="person-create"' in response.content.decode()

    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ("?role=sales_manager", {"manager"}),
            ("?active=no", {"gone"}),
            ("?q=levi", {"am2"}),
            ("?q=tal%40example", {"am2"}),
        ],
    )
    def test_an_admin_filters_by_role_team_status_and_name(
        self, client, admin_user, account_manager, teammate, query, expected
    ):
        User.objects.filter(pk=teammate.pk).update(last_name="Levi", email="tal@example.com")
        AdminFactory(username="gone", is_active=False)
        assert set(listed(as_user(client, admin_user).get(LIST + query))) == expected

    def test_an_admin_filters_by_team(self, client, admin_user, account_manager, stranger):
        response = as_user(client, admin_user).get(f"{LIST}?team={account_manager.team.pk}")
        assert listed(response) == ["am1"]

    def test_a_sales_manager_sees_the_members_of_their_teams_read_only(
        self, client, sales_manager, account_manager, teammate, stranger
    ):
        teammate.is_active = False
        teammate.save()
        response = as_user(client, sales_manager).get(LIST)
        assert set(listed(response)) == {"am1", "am2"}
        html = response.content.decode()
        assert "person-create" not in html and "people-filters" not in html

    def test_an_account_manager_is_refused(self, client, account_manager):
        assert as_user(client, account_manager).get(LIST).status_code == 403

    def test_its_queries_do_not_grow_with_the_people(self, client, admin_user, team):
        client = as_user(client, admin_user)
        assert_queries_do_not_grow(
            client, LIST, add_data=lambda: AccountManagerFactory.create_batch(20, team=team)
        )


class TestCreate:
    def test_an_admin_adds_a_person(self, client, admin_user, team):
        data = person_data(username="tal", team=team.pk)
        response = as_user(client, admin_user).post(CREATE, data)
        tal = User.objects.get(username="tal")
        assert response.status_code == 302 and response.url == url("detail", tal)
        assert (tal.team, tal.role, tal.email) == (team, Role.ACCOUNT_MANAGER, "tal@example.com")
        assert UserChange.objects.get(user=tal).kind == UserChangeKind.CREATED

    def test_a_taken_login_or_e_mail_is_named_on_its_field(
        self, client, admin_user, account_manager
    ):
        User.objects.filter(pk=account_manager.pk).update(email="tal@example.com")
        response = as_user(client, admin_user).post(CREATE, person_data(username="am1"))
        assert response.status_code == 400
        errors = response.context["form"].errors
        assert "username" in errors and errors["email"] == [
            "Another person has this e-mail address."
        ]

    @pytest.mark.parametrize("who", ["sales_manager", "account_manager"])
    def test_others_are_refused(self, client, request, who):
        client = as_user(client, request.getfixturevalue(who))
        assert client.get(CREATE).status_code == 403
        assert client.post(CREATE, person_data(username="tal")).status_code == 403
        assert not User.objects.filter(username="tal").exists()


class TestThePersonPage:
    def test_an_admin_sees_the_forms_and_the_history(self, client, admin_user, account_manager):
        client = as_user(client, admin_user)
        client.post(url("detail", account_manager), person_data(first_name="Yossi"))
        html = client.get(url("detail", account_manager)).content.decode()
        for testid in ("person-form", "password-form", "password-link", "deactivate"):
            assert f'data-testid="{testid}"' in html
        history = html.split('data-testid="people-history"')[1]
        assert "Details changed" in history and "First name" in history and "Yossi" in history

    def test_an_admin_changes_role_team_and_language(
        self, client, admin_user, account_manager, stranger
    ):
        data = person_data(team=stranger.team.pk, language=Language.ENGLISH)
        response = as_user(client, admin_user).post(url("detail", account_manager), data)
        assert response.status_code == 302
        account_manager.refresh_from_db()
        assert (account_manager.team, account_manager.language) == (stranger.team, "en")

    def test_a_refused_role_change_is_shown_on_the_role_field(
        self, client, admin_user, sales_manager, team
    ):
        data = person_data(role=Role.ACCOUNT_MANAGER)
        response = as_user(client, admin_user).post(url("detail", sales_manager), data)
        assert response.status_code == 400
        assert "leads North" in response.context["form"].errors["role"][0]
        assert User.objects.get(pk=sales_manager.pk).role == Role.SALES_MANAGER

    def test_a_sales_manager_reads_a_member(self, client, sales_manager, account_manager):
        response = as_user(client, sales_manager).get(url("detail", account_manager))
        html = response.content.decode()
        assert response.status_code == 200 and 'data-testid="person-read-only"' in html
        assert "person-form" not in html and "password-form" not in html

    def test_a_sales_manager_may_not_change_a_member(self, client, sales_manager, account_manager):
        client = as_user(client, sales_manager)
        data = person_data(first_name="Changed")
        assert client.post(url("detail", account_manager), data).status_code == 403
        for name in ("deactivate", "reactivate", "password", "password_link"):
            assert client.post(url(name, account_manager)).status_code == 403
        assert User.objects.get(pk=account_manager.pk).is_active

    def test_a_sales_manager_does_not_find_another_team(self, client, sales_manager, stranger):
        client = as_user(client, sales_manager)
        assert client.get(url("detail", stranger)).status_code == 404
        assert client.post(url("deactivate", stranger)).status_code == 404

    def test_an_account_manager_finds_no_one(self, client, account_manager, teammate):
        assert as_user(client, account_manager).get(url("detail", teammate)).status_code == 404

    def test_it_says_how_many_accounts_they_still_manage(
        self, client, admin_user, account_manager, own_account
    ):
        html = as_user(client, admin_user).get(url("detail", account_manager)).content.decode()
        assert "Manages 1 account." in html
        assert f"{reverse('accounts:list')}?owner={account_manager.pk}" in html


class TestDeactivate:
    def test_deactivating_ends_their_sessions_at_once(self, client, admin_user, account_manager):
        theirs = Client()
        theirs.force_login(account_manager)
        assert theirs.get("/").status_code == 200
        response = as_user(client, admin_user).post(url("deactivate", account_manager))
        assert response.status_code == 302
        assert "is deactivated: their sessions have ended" in message_texts(response)[0]
        assert theirs.get("/").status_code == 302  # back to the login page
        assert not User.objects.get(pk=account_manager.pk).is_active

    def test_reactivating_lets_them_sign_in_again(self, client, admin_user, account_manager):
        client = as_user(client, admin_user)
        client.post(url("deactivate", account_manager))
        client.post(url("reactivate", account_manager))
        assert User.objects.get(pk=account_manager.pk).is_active

    def test_a_refusal_is_a_message_not_an_error_page(self, client, admin_user):
        response = as_user(client, admin_user).post(url("deactivate", admin_user))
        assert response.status_code == 302
        assert message_texts(response) == ["You cannot deactivate yourself."]

    def test_an_empty_post_is_a_form_with_errors(self, client, admin_user, team):
        client = as_user(client, admin_user)
        assert client.post(CREATE).status_code == 400
        assert client.post(TEAMS).status_code == 400
        assert client.post(url("team_edit", team)).status_code == 400

    def test_a_get_is_not_allowed(self, client, admin_user, account_manager):
        assert (
            as_user(client, admin_user).get(url("deactivate", account_manager)).status_code == 405
        )


class TestSetPassword:
    def test_an_admin_sets_a_password(self, client, admin_user, account_manager):
        data = {"new_password1": "Kestrel-Harbour-42", "new_password2": "Kestrel-Harbour-42"}
        response = as_user(client, admin_user).post(url("password", account_manager), data)
        assert response.status_code == 302
        assert User.objects.get(pk=account_manager.pk).check_password("Kestrel-Harbour-42")

    @pytest.mark.parametrize(
        ("password", "shown"),
        [
            ("short", "This password is too short."),
            ("password123", "This password is too common."),
            ("40817263549", "This password is entirely numeric."),
        ],
    )
    def test_the_password_validators_are_shown_as_form_errors(
        self, client, admin_user, account_manager, password, shown
    ):
        data = {"new_password1": password, "new_password2": password}
        response = as_user(client, admin_user).post(url("password", account_manager), data)
        assert response.status_code == 400
        assert shown in response.content.decode()
        assert not User.objects.get(pk=account_manager.pk).check_password(password)

    def test_an_admin_setting_their_own_password_stays_signed_in(self, client, admin_user):
        data = {"new_password1": "Kestrel-Harbour-42", "new_password2": "Kestrel-Harbour-42"}
        client = as_user(client, admin_user)
        client.post(url("password", admin_user), data)
        assert client.get(LIST).status_code == 200


class TestOneTimeLink:
    def make_link(self, client, admin_user, person) -> str:
        response = as_user(client, admin_user).post(url("password_link", person))
        assert response.status_code == 200
        return response.context["link"]

    def test_the_link_is_shown_and_e_mailed_in_their_language(
        self, client, admin_user, account_manager
    ):
        User.objects.filter(pk=account_manager.pk).update(
            email="am1@example.com", language=Language.HEBREW
        )
        account_manager.refresh_from_db()
        link = self.make_link(client, admin_user, account_manager)
        assert link.startswith("http://testserver/people/password/")
        [message] = mail.outbox
        assert message.to == ["am1@example.com"] and link in message.body
        assert message.subject == "בחירת סיסמה לפורטל לקוחות מפתח"  # Hebrew, as they chose
        assert "שם המשתמש שלך הוא am1." in message.body

    def test_without_an_e_mail_address_the_page_says_so(self, client, admin_user, account_manager):
        response = as_user(client, admin_user).post(url("password_link", account_manager))
        assert "no e-mail address" in response.content.decode() and not mail.outbox

    def test_a_mail_failure_still_shows_the_link(
        self, client, admin_user, account_manager, monkeypatch
    ):
        User.objects.filter(pk=account_manager.pk).update(email="am1@example.com")

        def fail(*args, **kwargs):
            raise smtplib.SMTPConnectError(421, "no mail server")

        monkeypatch.setattr("users.people_views.send_mail", fail)
        response = as_user(client, admin_user).post(url("password_link", account_manager))
        html = response.content.decode()
        assert "could not be sent" in html and response.context["link"] in html

    def test_the_person_sets_their_password_once_through_it(
        self, client, admin_user, account_manager
    ):
        link = self.make_link(client, admin_user, account_manager)
        anonymous = Client()
        form_page = anonymous.get(link, follow=True)
        assert form_page.status_code == 200 and form_page.context["validlink"]
        new = {"new_password1": "Kestrel-Harbour-42", "new_password2": "Kestrel-Harbour-42"}
        done = anonymous.post(form_page.redirect_chain[-1][0], new)
        assert done.status_code == 302 and done.url == reverse("people:password_done")
        assert User.objects.get(pk=account_manager.pk).check_password("Kestrel-Harbour-42")
        audit = UserChange.objects.filter(user=account_manager).order_by("id").last()
        assert (audit.kind, audit.by, audit.details) == (
            UserChangeKind.PASSWORD_SET,
            account_manager,
            {"through": "link"},
        )
        again = Client().get(link, follow=True)
        assert not again.context["validlink"]
        assert "has been used already or has expired" in again.content.decode()

    def test_the_validators_apply_on_the_link_page_too(self, client, admin_user, account_manager):
        link = self.make_link(client, admin_user, account_manager)
        anonymous = Client()
        form_page = anonymous.get(link, follow=True)
        weak = {"new_password1": "password123", "new_password2": "password123"}
        response = anonymous.post(form_page.redirect_chain[-1][0], weak)
        assert "This password is too common." in response.content.decode()

    def test_the_done_page_is_open(self, client):
        assert client.get(reverse("people:password_done")).status_code == 200


class TestTeams:
    def test_an_admin_lists_and_adds_teams(self, client, admin_user, team, sales_manager):
        client = as_user(client, admin_user)
        assert "North" in client.get(TEAMS).content.decode()
        response = client.post(TEAMS, {"name": "East", "manager": sales_manager.pk})
        assert response.status_code == 302
        assert Team.objects.get(name="East").manager == sales_manager

    def test_an_admin_renames_a_team_and_sets_its_lead(self, client, admin_user, team):
        lead = SalesManagerFactory()
        response = as_user(client, admin_user).post(
            url("team_edit", team), {"name": "North-West", "manager": lead.pk}
        )
        assert response.status_code == 302
        team.refresh_from_db()
        assert (team.name, team.manager) == ("North-West", lead)

    def test_only_an_active_sales_manager_may_lead(self, client, admin_user, team, account_manager):
        response = as_user(client, admin_user).post(
            url("team_edit", team), {"name": "North", "manager": account_manager.pk}
        )
        assert response.status_code == 400 and "manager" in response.context["form"].errors

    def test_a_taken_name_is_refused(self, client, admin_user, team, sales_manager):
        TeamFactory(name="South")
        response = as_user(client, admin_user).post(
            url("team_edit", team), {"name": "South", "manager": sales_manager.pk}
        )
        assert response.status_code == 400 and "name" in response.context["form"].errors

    @pytest.mark.parametrize("who", ["sales_manager", "account_manager"])
    def test_others_are_refused(self, client, request, team, who):
        client = as_user(client, request.getfixturevalue(who))
        assert client.get(TEAMS).status_code == 403
        assert client.get(url("team_edit", team)).status_code == 403

    def test_a_missing_team_is_not_found(self, client, admin_user):
        assert as_user(client, admin_user).get("/people/teams/999999/").status_code == 404
