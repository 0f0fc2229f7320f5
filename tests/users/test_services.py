"""People and teams: create, change, deactivate (sessions end), passwords, one-time links, teams;
every change with its audit row, and the refusals that keep the data whole."""

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import ProtectedError
from django.test import Client
from django.urls import resolve

from accounts.selectors import account_list_visible_to
from tests.factories import (
    AccountManagerFactory,
    SalesManagerFactory,
    TeamFactory,
)
from users import services
from users.audit import describe
from users.models import Language, Role, Team, User, UserChange, UserChangeKind

pytestmark = pytest.mark.django_db


def details(**overrides) -> dict:
    fields = {
        "first_name": "Tal",
        "last_name": "Levi",
        "email": "tal@example.com",
        "role": Role.ACCOUNT_MANAGER,
        "team": None,
        "language": Language.HEBREW,
    }
    return {**fields, **overrides}


def signed_in_client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


class TestCreate:
    def test_an_admin_creates_a_person_who_cannot_sign_in_yet(self, admin_user, team):
        user = services.user_create(username="tal", by=admin_user, **details(team=team))
        assert (user.role, user.team, user.language, user.email) == (
            Role.ACCOUNT_MANAGER,
            team,
            Language.HEBREW,
            "tal@example.com",
        )
        assert not user.has_usable_password()
        change = UserChange.objects.get(user=user)
        assert (change.kind, change.by, change.details) == (
            UserChangeKind.CREATED,
            admin_user,
            {"role": "account_manager", "team": "North"},
        )

    def test_only_an_admin_may(self, sales_manager):
        with pytest.raises(PermissionDenied):
            services.user_create(username="tal", by=sales_manager, **details())

    def test_a_taken_login_is_refused_by_field(self, admin_user, account_manager):
        with pytest.raises(ValidationError) as info:
            services.user_create(username="am1", by=admin_user, **details())
        assert "username" in info.value.error_dict


class TestUpdate:
    def test_it_changes_the_fields_and_audits_old_and_new(self, admin_user, account_manager, team):
        other = TeamFactory(name="South")
        services.user_update(
            user=account_manager,
            by=admin_user,
            **details(first_name="Yossi", team=other, language=Language.HEBREW),
        )
        account_manager.refresh_from_db()
        assert (account_manager.team, account_manager.first_name) == (other, "Yossi")
        change = UserChange.objects.get(kind=UserChangeKind.UPDATED)
        assert change.details["team"] == ["North", "South"]
        assert change.details["language"] == ["en", "he"]
        lines = {line.label: (line.old, line.new) for line in describe(change.details)}
        assert lines["Team"] == ("North", "South")
        assert lines["Language"] == ("English", "עברית")
        assert "Role" not in lines  # unchanged fields are not recorded

    def test_nothing_changed_writes_no_audit_row(self, admin_user, account_manager):
        current = {
            f: getattr(account_manager, f)
            for f in ("first_name", "last_name", "email", "role", "team", "language")
        }
        services.user_update(user=account_manager, by=admin_user, **current)
        assert not UserChange.objects.exists()

    def test_an_admin_cannot_change_their_own_role(self, admin_user):
        with pytest.raises(ValidationError) as info:
            services.user_update(
                user=admin_user, by=admin_user, **details(role=Role.ACCOUNT_MANAGER)
            )
        assert "role" in info.value.error_dict

    def test_a_team_lead_keeps_their_role_until_the_team_has_another_lead(
        self, admin_user, sales_manager, team
    ):
        with pytest.raises(ValidationError, match="leads North"):
            services.user_update(
                user=sales_manager, by=admin_user, **details(role=Role.ACCOUNT_MANAGER)
            )
        assert User.objects.get(pk=sales_manager.pk).role == Role.SALES_MANAGER

    def test_an_account_manager_with_accounts_keeps_the_role_until_they_are_reassigned(
        self, admin_user, account_manager, own_account
    ):
        with pytest.raises(ValidationError, match="manages 1 account"):
            services.user_update(
                user=account_manager, by=admin_user, **details(role=Role.SALES_MANAGER)
            )

    def test_the_check_reads_the_stored_role_not_the_instance(
        self, admin_user, sales_manager, team
    ):
        sales_manager.role = Role.ACCOUNT_MANAGER  # as a bound ModelForm leaves it
        with pytest.raises(ValidationError, match="leads North"):
            services.user_update(
                user=sales_manager, by=admin_user, **details(role=Role.ACCOUNT_MANAGER)
            )


class TestDeactivate:
    def test_their_sessions_end_at_once_and_others_stay(self, admin_user, account_manager):
        laptop, phone = signed_in_client(account_manager), signed_in_client(account_manager)
        mine = signed_in_client(admin_user)
        services.user_deactivate(user=account_manager, by=admin_user)
        for theirs in (laptop, phone):
            response = theirs.get("/")
            assert response.status_code == 302
            assert resolve(response.url.split("?")[0]).url_name == "login"
        assert mine.get("/").status_code == 200
        assert not User.objects.get(pk=account_manager.pk).is_active

    def test_a_reactivated_user_signs_in_afresh(self, admin_user, account_manager):
        laptop = signed_in_client(account_manager)
        services.user_deactivate(user=account_manager, by=admin_user)
        services.user_reactivate(user=account_manager, by=admin_user)
        assert laptop.get("/").status_code == 302  # the old session stays ended
        assert signed_in_client(account_manager).get("/").status_code == 200

    def test_it_is_audited_and_reactivation_too(self, admin_user, account_manager):
        services.user_deactivate(user=account_manager, by=admin_user)
        services.user_reactivate(user=account_manager, by=admin_user)
        kinds = list(UserChange.objects.order_by("id").values_list("kind", flat=True))
        assert kinds == [UserChangeKind.DEACTIVATED, UserChangeKind.REACTIVATED]
        assert User.objects.get(pk=account_manager.pk).is_active

    def test_an_admin_cannot_deactivate_themselves(self, admin_user):
        with pytest.raises(ValidationError, match="yourself"):
            services.user_deactivate(user=admin_user, by=admin_user)

    def test_a_team_lead_is_not_deactivated(self, admin_user, sales_manager, team):
        with pytest.raises(ValidationError, match="leads North"):
            services.user_deactivate(user=sales_manager, by=admin_user)
        assert User.objects.get(pk=sales_manager.pk).is_active

    def test_their_accounts_stay_theirs_until_reassigned(
        self, admin_user, account_manager, own_account
    ):
        services.user_deactivate(user=account_manager, by=admin_user)
        own_account.refresh_from_db()
        assert own_account.owner == account_manager

    def test_only_an_admin_may(self, sales_manager, account_manager):
        with pytest.raises(PermissionDenied):
            services.user_deactivate(user=account_manager, by=sales_manager)


class TestPasswords:
    def test_a_password_is_set_and_audited_without_the_hash(self, admin_user, account_manager):
        services.user_set_password(
            user=account_manager, password="Kestrel-Harbour-42", by=admin_user
        )
        account_manager.refresh_from_db()
        assert account_manager.check_password("Kestrel-Harbour-42")
        change = UserChange.objects.get()
        assert change.kind == UserChangeKind.PASSWORD_SET and change.details == {}

    @pytest.mark.parametrize(
        ("password", "complaint"),
        [
            ("short1!", "too short"),
            ("password123", "too common"),
            ("83629174650", "entirely numeric"),
            ("bartholomew1", "too similar"),
        ],
    )
    def test_djangos_password_validators_apply(
        self, admin_user, account_manager, password, complaint
    ):
        account_manager.first_name = "Bartholomew"
        with pytest.raises(ValidationError, match=complaint):
            services.user_set_password(user=account_manager, password=password, by=admin_user)
        assert not UserChange.objects.exists()

    def test_other_sessions_end_when_the_password_changes(self, admin_user, account_manager):
        theirs = signed_in_client(account_manager)
        services.user_set_password(
            user=account_manager, password="Kestrel-Harbour-42", by=admin_user
        )
        assert theirs.get("/").status_code == 302

    def test_a_one_time_link_carries_a_valid_token(self, admin_user, account_manager):
        path = services.user_password_link_make(user=account_manager, by=admin_user)
        match = resolve(path)
        assert match.view_name == "people:password_confirm"
        assert default_token_generator.check_token(account_manager, match.kwargs["token"])
        assert UserChange.objects.get().kind == UserChangeKind.PASSWORD_LINK

    def test_no_link_for_an_inactive_person(self, admin_user, account_manager):
        account_manager.is_active = False
        account_manager.save()
        with pytest.raises(ValidationError, match="Reactivate"):
            services.user_password_link_make(user=account_manager, by=admin_user)


class TestTeams:
    def test_an_admin_creates_a_team_with_a_lead(self, admin_user, sales_manager):
        team = services.team_create(name="East", manager=sales_manager, by=admin_user)
        assert Team.objects.get(name="East").manager == sales_manager
        change = UserChange.objects.get(team=team)
        assert change.kind == UserChangeKind.TEAM_CREATED and change.user is None

    def test_an_admin_renames_a_team_and_sets_another_lead(self, admin_user, team):
        lead = SalesManagerFactory(first_name="Rachel", last_name="Friedman")
        services.team_update(team=team, name="North-West", manager=lead, by=admin_user)
        team.refresh_from_db()
        assert (team.name, team.manager) == ("North-West", lead)
        change = UserChange.objects.get(kind=UserChangeKind.TEAM_UPDATED)
        assert change.details == {
            "name": ["North", "North-West"],
            "manager": ["manager", "Rachel Friedman"],
        }

    def test_the_new_lead_sees_the_teams_accounts(self, admin_user, team, own_account):
        lead = SalesManagerFactory()
        services.team_update(team=team, name=team.name, manager=lead, by=admin_user)
        assert own_account in account_list_visible_to(user=lead)

    @pytest.mark.parametrize("lead", ["an account manager", "an inactive sales manager"])
    def test_a_team_is_led_by_an_active_sales_manager(self, admin_user, team, lead):
        if lead == "an account manager":
            person = AccountManagerFactory()
        else:
            person = SalesManagerFactory(is_active=False)
        with pytest.raises(ValidationError) as info:
            services.team_update(team=team, name=team.name, manager=person, by=admin_user)
        assert "manager" in info.value.error_dict

    def test_only_an_admin_may(self, sales_manager, team):
        with pytest.raises(PermissionDenied):
            services.team_create(name="East", manager=sales_manager, by=sales_manager)


def test_someone_in_the_history_cannot_be_deleted(admin_user, account_manager):
    services.user_deactivate(user=account_manager, by=admin_user)
    with pytest.raises(ProtectedError):
        account_manager.delete()
