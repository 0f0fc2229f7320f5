"""The manager's controls on the account page and the account list: reassign one account or a
selection, change the account team, the change history; per role and own / team / foreign."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from accounts.models import Account, AccountChange, AccountChangeKind
from accounts.services import account_reassign, account_team_add
from tests.factories import AccountFactory, AccountManagerFactory, TeamFactory
from tests.querycount import PAGE_QUERY_CEILING, assert_queries_do_not_grow

pytestmark = pytest.mark.django_db


def detail_url(account) -> str:
    return reverse("accounts:detail", args=[account.pk])


def reassign_url(account) -> str:
    return reverse("accounts:reassign", args=[account.pk])


def team_add_url(account) -> str:
    return reverse("accounts:team_add", args=[account.pk])


def team_remove_url(account, user) -> str:
    return reverse("accounts:team_remove", args=[account.pk, user.pk])


BULK_URL = "/accounts/reassign/"
HTMX = {"HTTP_HX_REQUEST": "true"}


def as_user(client, user):
    client.force_login(user)
    return client


def message_texts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def owner_of(account) -> str:
    return Account.objects.get(pk=account.pk).owner.username


class TestReassignOnTheAccountPage:
    @pytest.mark.parametrize("who", ["sales_manager", "admin_user"])
    def test_the_form_is_offered_to_the_sales_manager_and_admins(
        self, client, request, own_account, teammate, who
    ):
        response = as_user(client, request.getfixturevalue(who)).get(detail_url(own_account))
        html = response.content.decode()
        assert 'data-testid="reassign-form"' in html
        choices = list(response.context["reassign_form"].fields["to"].queryset)
        assert teammate in choices and own_account.owner not in choices
        assert "Segments and programme status follow at the next nightly run." in html

    def test_an_account_manager_gets_no_form(self, client, account_manager, own_account):
        response = as_user(client, account_manager).get(detail_url(own_account))
        assert response.context["reassign_form"] is None
        assert 'data-testid="reassign-form"' not in response.content.decode()

    def test_nor_a_sales_manager_who_sees_it_through_a_team_member(
        self, client, sales_manager, account_manager, foreign_account
    ):
        foreign_account.team_members.add(account_manager)
        response = as_user(client, sales_manager).get(detail_url(foreign_account))
        assert response.status_code == 200 and response.context["reassign_form"] is None

    def test_a_sales_manager_reassigns_and_the_history_shows_it(
        self, client, sales_manager, teammate, own_account
    ):
        client = as_user(client, sales_manager)
        response = client.post(
            reassign_url(own_account), {"to": teammate.pk, "reason": "Holiday cover"}
        )
        assert response.status_code == 302 and response.url == detail_url(own_account)
        assert owner_of(own_account) == "am2"
        assert "next nightly run" in message_texts(response)[0]
        html = client.get(detail_url(own_account)).content.decode()
        history = html.split('data-testid="change-history"')[1]
        for text in ("Reassigned", "Holiday cover", str(sales_manager), str(teammate)):
            assert text in history

    def test_access_follows_on_the_very_next_request(
        self, client, sales_manager, account_manager, teammate, own_account
    ):
        as_user(client, sales_manager).post(
            reassign_url(own_account), {"to": teammate.pk, "reason": "Cover"}
        )
        assert as_user(client, account_manager).get(detail_url(own_account)).status_code == 404
        assert as_user(client, teammate).get(detail_url(own_account)).status_code == 200

    def test_an_admin_reassigns_across_teams(self, client, admin_user, stranger, own_account):
        as_user(client, admin_user).post(
            reassign_url(own_account), {"to": stranger.pk, "reason": "New region"}
        )
        assert owner_of(own_account) == "am3"

    def test_an_account_manager_is_refused(self, client, account_manager, teammate, own_account):
        response = as_user(client, account_manager).post(
            reassign_url(own_account), {"to": teammate.pk, "reason": "Mine"}
        )
        assert response.status_code == 403 and owner_of(own_account) == "am1"

    def test_a_team_member_is_refused(self, client, teammate, own_account):
        own_account.team_members.add(teammate)
        response = as_user(client, teammate).post(
            reassign_url(own_account), {"to": teammate.pk, "reason": "Mine now"}
        )
        assert response.status_code == 403 and owner_of(own_account) == "am1"

    def test_another_teams_sales_manager_gets_not_found(
        self, client, stranger, teammate, own_account
    ):
        response = as_user(client, stranger.team.manager).post(
            reassign_url(own_account), {"to": stranger.pk, "reason": "Take"}
        )
        assert response.status_code == 404 and owner_of(own_account) == "am1"

    def test_a_missing_reason_changes_nothing_and_says_why(
        self, client, sales_manager, teammate, own_account
    ):
        response = as_user(client, sales_manager).post(
            reassign_url(own_account), {"to": teammate.pk, "reason": ""}
        )
        assert owner_of(own_account) == "am1" and not AccountChange.objects.exists()
        assert message_texts(response) == ["Reason: Give a reason for the reassignment."]

    def test_an_account_manager_of_another_team_is_not_a_choice(
        self, client, sales_manager, stranger, own_account
    ):
        response = as_user(client, sales_manager).post(
            reassign_url(own_account), {"to": stranger.pk, "reason": "Away"}
        )
        assert owner_of(own_account) == "am1"
        assert message_texts(response)[0].startswith("New account manager: Select a valid choice")

    def test_a_get_is_not_allowed(self, client, sales_manager, own_account):
        assert as_user(client, sales_manager).get(reassign_url(own_account)).status_code == 405


class TestAccountTeamOnTheAccountPage:
    @pytest.mark.parametrize("who", ["account_manager", "sales_manager", "admin_user"])
    def test_owner_sales_manager_and_admin_add_and_remove_without_javascript(
        self, client, request, own_account, teammate, who
    ):
        client = as_user(client, request.getfixturevalue(who))
        response = client.post(team_add_url(own_account), {"user": teammate.pk})
        assert response.status_code == 302 and response.url == detail_url(own_account)
        assert list(own_account.team_members.all()) == [teammate]
        response = client.post(team_remove_url(own_account, teammate))
        assert response.status_code == 302 and not own_account.team_members.exists()
        kinds = list(AccountChange.objects.order_by("id").values_list("kind", flat=True))
        assert kinds == [AccountChangeKind.TEAM_MEMBER_ADDED, AccountChangeKind.TEAM_MEMBER_REMOVED]

    def test_with_htmx_the_answer_is_the_team_card_alone(
        self, client, account_manager, own_account, teammate
    ):
        response = as_user(client, account_manager).post(
            team_add_url(own_account), {"user": teammate.pk}, **HTMX
        )
        html = response.content.decode()
        assert response.status_code == 200 and "<html" not in html
        assert 'id="account-team"' in html and f'data-member-id="{teammate.pk}"' in html
        assert "joined the account team" in html

    def test_with_htmx_an_error_is_shown_in_the_card(
        self, client, account_manager, own_account, stranger
    ):
        response = as_user(client, account_manager).post(
            team_add_url(own_account), {"user": stranger.pk}, **HTMX
        )
        assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
        assert not own_account.team_members.exists()

    def test_the_page_shows_the_controls_to_those_who_may(
        self, client, account_manager, own_account, teammate
    ):
        own_account.team_members.add(teammate)
        html = as_user(client, account_manager).get(detail_url(own_account)).content.decode()
        assert 'data-testid="team-add-form"' in html
        assert team_remove_url(own_account, teammate) in html

    def test_a_member_sees_the_team_without_controls(self, client, own_account, teammate):
        own_account.team_members.add(teammate)
        html = as_user(client, teammate).get(detail_url(own_account)).content.decode()
        assert str(teammate) in html.split('data-testid="account-team"')[1]
        assert 'data-testid="team-add-form"' not in html
        assert team_remove_url(own_account, teammate) not in html

    def test_a_member_is_refused(self, client, own_account, teammate):
        own_account.team_members.add(teammate)
        other = AccountManagerFactory(team=teammate.team)
        client = as_user(client, teammate)
        assert client.post(team_add_url(own_account), {"user": other.pk}).status_code == 403
        assert client.post(team_remove_url(own_account, teammate)).status_code == 403

    def test_a_stranger_gets_not_found(self, client, own_account, stranger, teammate):
        own_account.team_members.add(teammate)
        client = as_user(client, stranger)
        assert client.post(team_add_url(own_account), {"user": stranger.pk}).status_code == 404
        assert client.post(team_remove_url(own_account, teammate)).status_code == 404

    def test_removing_someone_not_on_the_team_is_not_found(
        self, client, account_manager, own_account, teammate
    ):
        response = as_user(client, account_manager).post(team_remove_url(own_account, teammate))
        assert response.status_code == 404


class TestTheAccountPageQueries:
    @pytest.mark.parametrize("who", ["account_manager", "sales_manager", "admin_user"])
    def test_they_do_not_grow_with_the_history(
        self, client, request, own_account, sales_manager, account_manager, who
    ):
        mates = AccountManagerFactory.create_batch(6, team=account_manager.team)

        def add_history():
            for mate in mates[:3]:
                account_team_add(account=own_account, user=mate, by=account_manager)
            account_reassign(account=own_account, to=mates[3], by=sales_manager, reason="a")
            account_reassign(account=own_account, to=account_manager, by=sales_manager, reason="b")

        client = as_user(client, request.getfixturevalue(who))
        assert_queries_do_not_grow(client, detail_url(own_account), add_data=add_history)


def bulk(client, accounts, to, *, reason="Leaving", next_url="/accounts/?q=Ltd&sort=-name"):
    data = {"accounts": [a.pk for a in accounts], "to": to.pk, "reason": reason, "next": next_url}
    return client.post(BULK_URL, data)


class TestBulkReassign:
    def test_a_sales_manager_reassigns_the_selection_and_goes_back_to_the_filtered_list(
        self, client, sales_manager, account_manager, teammate
    ):
        accounts = AccountFactory.create_batch(3, owner=account_manager)
        response = bulk(as_user(client, sales_manager), accounts[:2], teammate)
        assert response.status_code == 302 and response.url == "/accounts/?q=Ltd&sort=-name"
        owners = [owner_of(a) for a in accounts]
        assert owners == ["am2", "am2", "am1"]
        assert AccountChange.objects.filter(reason="Leaving", by=sales_manager).count() == 2
        assert message_texts(response)[0].startswith("2 accounts reassigned to")

    def test_all_or_nothing_a_forbidden_account_is_named_and_nothing_changes(
        self, client, sales_manager, account_manager, teammate, own_account, foreign_account
    ):
        foreign_account.team_members.add(account_manager)  # visible to the sales manager
        response = bulk(as_user(client, sales_manager), [own_account, foreign_account], teammate)
        assert owner_of(own_account) == "am1" and owner_of(foreign_account) == "am3"
        assert not AccountChange.objects.exists()
        [text] = message_texts(response)
        assert "Foreign Ltd" in text and "Nothing was changed" in text

    def test_an_account_the_user_cannot_see_is_refused_without_being_named(
        self, client, sales_manager, teammate, own_account, foreign_account
    ):
        response = bulk(as_user(client, sales_manager), [own_account, foreign_account], teammate)
        assert owner_of(own_account) == "am1"
        [text] = message_texts(response)
        assert "Select a valid choice" in text and "Foreign Ltd" not in text

    def test_an_admin_reassigns_any_selection(
        self, client, admin_user, own_account, foreign_account, teammate
    ):
        bulk(as_user(client, admin_user), [own_account, foreign_account], teammate)
        assert owner_of(own_account) == owner_of(foreign_account) == "am2"

    def test_an_account_manager_is_refused(self, client, account_manager, teammate, own_account):
        response = bulk(as_user(client, account_manager), [own_account], teammate)
        assert response.status_code == 403 and owner_of(own_account) == "am1"

    def test_nothing_selected_says_so(self, client, sales_manager, teammate):
        response = bulk(as_user(client, sales_manager), [], teammate)
        assert message_texts(response) == ["Accounts: Select at least one account."]

    def test_a_reason_is_required(self, client, sales_manager, teammate, own_account):
        response = bulk(as_user(client, sales_manager), [own_account], teammate, reason=" ")
        assert owner_of(own_account) == "am1"
        assert message_texts(response) == ["Reason: Give a reason for the reassignment."]

    def test_it_goes_back_only_to_the_account_list(
        self, client, sales_manager, teammate, own_account
    ):
        client = as_user(client, sales_manager)
        for elsewhere in ("https://evil.example/accounts/", "/risk/settings/", ""):
            response = bulk(client, [own_account], teammate, next_url=elsewhere)
            assert response.url == "/accounts/"


class TestTheListWithCheckboxes:
    @pytest.mark.parametrize("who", ["sales_manager", "admin_user"])
    def test_managers_get_a_checkbox_per_row_and_a_select_all(
        self, client, request, own_account, who
    ):
        html = as_user(client, request.getfixturevalue(who)).get("/accounts/").content.decode()
        assert f'name="accounts" value="{own_account.pk}" form="bulk-reassign"' in html
        assert "data-select-all" in html and 'id="bulk-reassign"' in html
        assert "portfolio/select_all.js" in html

    def test_account_managers_get_none(self, client, account_manager, own_account):
        html = as_user(client, account_manager).get("/accounts/").content.decode()
        assert 'name="accounts"' not in html and "bulk-reassign" not in html

    def test_the_form_remembers_the_filters_of_the_list(self, client, sales_manager, own_account):
        html = as_user(client, sales_manager).get("/accounts/?q=Own&sort=-name").content.decode()
        assert 'name="next" value="/accounts/?q=Own&amp;sort=-name"' in html

    def test_the_filters_no_longer_listen_to_the_bulk_forms_select(
        self, client, sales_manager, own_account
    ):
        html = as_user(client, sales_manager).get("/accounts/").content.decode()
        assert "change from:(#account-filters select)" in html

    @pytest.mark.parametrize("who", ["sales_manager", "admin_user"])
    def test_its_queries_do_not_grow_with_the_accounts(
        self, client, request, sales_manager, account_manager, who, django_assert_max_num_queries
    ):
        second = AccountManagerFactory(team=TeamFactory(manager=sales_manager))

        def add_accounts():
            AccountFactory.create_batch(30, owner=account_manager)
            AccountFactory.create_batch(30, owner=second)

        add_accounts()
        client = as_user(client, request.getfixturevalue(who))
        assert_queries_do_not_grow(client, "/accounts/", add_data=add_accounts)
        with django_assert_max_num_queries(PAGE_QUERY_CEILING):
            client.get("/accounts/")
