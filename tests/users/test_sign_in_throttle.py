"""Sign-in throttling: ten failures in a row lock a username (from any address) and an address
(for any username) until a cool-off passes or an admin unlocks; locked attempts never reach the
password check; the lockout page is the site's own, translated."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone

from tests.factories import AccountManagerFactory, AdminFactory
from users.models import User

pytestmark = pytest.mark.django_db

LIMIT = 10


@pytest.fixture
def password_checks(monkeypatch) -> list[str]:
    """The usernames whose password was checked, in order."""
    checked: list[str] = []
    real_check = User.check_password

    def counting_check(user: User, raw_password: str) -> bool:
        checked.append(user.username)
        return real_check(user, raw_password)

    monkeypatch.setattr(User, "check_password", counting_check)
    return checked


def sign_in(client, username: str, password: str, *, address: str = "10.0.0.1", url=None):
    return client.post(
        url or reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def fail(client, username: str, times: int, *, address: str = "10.0.0.1") -> list[int]:
    return [sign_in(client, username, "wrong", address=address).status_code for _ in range(times)]


def test_nine_failures_then_the_right_password_signs_in(client, account_manager):
    assert fail(client, "am1", LIMIT - 1) == [200] * (LIMIT - 1)
    response = sign_in(client, "am1", "pw")
    assert response.status_code == 302 and signed_in(client)


def test_ten_failures_lock_the_user_and_the_right_password_is_refused_unchecked(
    client, account_manager, password_checks
):
    # The tenth failure already answers with the lockout page.
    assert fail(client, "am1", LIMIT) == [200] * (LIMIT - 1) + [429]
    assert len(password_checks) == LIMIT

    response = sign_in(client, "am1", "pw")
    assert response.status_code == 429 and not signed_in(client)
    assert len(password_checks) == LIMIT  # the eleventh attempt never reached the password


def test_the_lock_on_a_user_holds_from_every_address(client, account_manager):
    for n in range(LIMIT):
        sign_in(client, "am1", "wrong", address=f"10.0.1.{n}")
    response = sign_in(client, "am1", "pw", address="10.0.2.1")
    assert response.status_code == 429 and not signed_in(client)


def test_the_lock_on_an_address_holds_for_every_username(client, account_manager):
    others = [AccountManagerFactory(username=f"other{n}") for n in range(LIMIT)]
    for other in others:
        sign_in(client, other.username, "wrong", address="10.0.0.9")
    # am1 never failed, but the address has: refused there, welcome from elsewhere.
    assert sign_in(client, "am1", "pw", address="10.0.0.9").status_code == 429
    assert sign_in(client, "am1", "pw", address="10.0.0.10").status_code == 302


def test_unknown_usernames_count_against_the_address(client, account_manager):
    for n in range(LIMIT):
        sign_in(client, f"nobody{n}", "guess", address="10.0.0.7")
    assert sign_in(client, "am1", "pw", address="10.0.0.7").status_code == 429


def test_a_success_clears_only_the_failures_of_the_user_who_signed_in(
    client, account_manager, teammate
):
    # A colleague guesses at am1's password, signing in as themselves between guesses. Axes'
    # stock reset would wipe every failure from the address and let them guess for ever.
    fail(client, "am1", LIMIT - 1)
    assert sign_in(client, "am2", "pw").status_code == 302
    client.logout()
    assert fail(client, "am1", 1) == [429]
    assert sign_in(client, "am1", "pw", address="10.9.9.9").status_code == 429


def test_a_success_resets_the_count_for_that_user(client, account_manager):
    fail(client, "am1", LIMIT - 1)
    assert sign_in(client, "am1", "pw").status_code == 302
    client.logout()
    assert fail(client, "am1", LIMIT - 1) == [200] * (LIMIT - 1)
    assert sign_in(client, "am1", "pw").status_code == 302


def _age_attempts(minutes: int) -> None:
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=minutes))


def test_the_lock_lifts_after_the_cool_off(client, account_manager, settings):
    assert dt.timedelta(minutes=30) == settings.AXES_COOLOFF_TIME
    fail(client, "am1", LIMIT)

    _age_attempts(29)  # the last attempt was 29 minutes ago: still locked
    assert sign_in(client, "am1", "pw").status_code == 429

    _age_attempts(31)  # that refused attempt restarted the wait; now 31 minutes have passed
    response = sign_in(client, "am1", "pw")
    assert response.status_code == 302 and signed_in(client)


def test_the_limit_and_cool_off_follow_the_settings(client, account_manager, settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = dt.timedelta(minutes=5)
    assert fail(client, "am1", 3) == [200, 200, 429]
    response = sign_in(client, "am1", "pw")
    assert response.status_code == 429 and response["Retry-After"] == "300"
    _age_attempts(6)
    assert sign_in(client, "am1", "pw").status_code == 302


def test_the_lockout_page_uses_the_site_layout_in_english(client, account_manager):
    fail(client, "am1", LIMIT)
    response = sign_in(client, "am1", "pw")
    html = response.content.decode()
    assert response.status_code == 429 and response["Retry-After"] == "1800"
    assert 'data-testid="locked-out"' in html and "vendor/bootstrap.min.css" in html
    assert "Signing in is blocked for 30 minutes after the last attempt." in html
    assert "An admin can unlock it sooner." in html


def test_the_lockout_page_is_translated_to_hebrew(client, account_manager):
    client.cookies["django_language"] = "he"
    fail(client, "am1", LIMIT)
    html = sign_in(client, "am1", "pw").content.decode()
    assert 'lang="he"' in html and 'dir="rtl"' in html
    assert "ההתחברות חסומה" in html and "30 דקות" in html
    assert "Too many failed" not in html


def test_the_admin_login_is_throttled_too(client, admin_user):
    url = reverse("admin:login")
    statuses = [sign_in(client, "admin", "wrong", url=url).status_code for _ in range(LIMIT)]
    assert statuses[-1] == 429
    assert sign_in(client, "admin", "pw", url=url).status_code == 429


def test_an_admin_unlocks_a_user_in_the_django_admin(client, account_manager):
    fail(client, "am1", LIMIT, address="10.0.0.5")
    staff = AdminFactory(username="root", is_staff=True, is_superuser=True)
    admin_client = type(client)()
    admin_client.force_login(staff)
    changelist = reverse("admin:axes_accessattempt_changelist")
    listing = admin_client.get(changelist, {"q": "am1"})
    assert listing.status_code == 200 and "am1" in listing.content.decode()

    locked = list(AccessAttempt.objects.filter(username="am1").values_list("pk", flat=True))
    response = admin_client.post(
        changelist, {"action": "delete_selected", "_selected_action": locked, "post": "yes"}
    )
    assert response.status_code == 302 and locked
    assert not AccessAttempt.objects.filter(username="am1").exists()
    assert sign_in(client, "am1", "pw", address="10.0.0.5").status_code == 302
