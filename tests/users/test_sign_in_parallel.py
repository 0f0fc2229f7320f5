"""The sign-in limit holds when the guesses arrive all at once: twenty wrong passwords sent in
parallel to the live server (a threaded WSGI server, one database connection per request) get
exactly ten password checks; the other ten are refused unchecked."""

import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar

import pytest
from axes.models import AccessAttempt

from users.models import User

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

LIMIT = 10
PARALLEL = 20
# The real password hasher (PBKDF2) takes a good fraction of a second; the tests' MD5 takes
# microseconds. Holding each check this long opens the window in which parallel attempts
# would all read "no failures yet" if nothing serialised them.
CHECK_SECONDS = 0.2


@pytest.fixture
def slow_password_checks(monkeypatch) -> list[str]:
    checked: list[str] = []
    lock = threading.Lock()
    real_check = User.check_password

    def slow_check(user: User, raw_password: str) -> bool:
        with lock:
            checked.append(user.username)
        time.sleep(CHECK_SECONDS)
        return real_check(user, raw_password)

    monkeypatch.setattr(User, "check_password", slow_check)
    return checked


def login_form(base_url: str) -> tuple[urllib.request.OpenerDirector, str]:
    """An opener holding the CSRF cookie, and the form's CSRF token."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    html = opener.open(f"{base_url}/login/", timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    return opener, token


def post_sign_in(base_url: str, username: str, password: str) -> int:
    opener, token = login_form(base_url)
    body = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token}
    ).encode()
    try:
        return opener.open(f"{base_url}/login/", data=body, timeout=60).status
    except urllib.error.HTTPError as error:
        return error.code


def test_parallel_wrong_passwords_get_no_more_checks_than_the_limit(
    live_server, account_manager, slow_password_checks
):
    with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
        statuses = list(
            pool.map(lambda _: post_sign_in(live_server.url, "am1", "wrong"), range(PARALLEL))
        )

    assert len(slow_password_checks) == LIMIT
    assert sorted(statuses) == [200] * (LIMIT - 1) + [429] * (PARALLEL - LIMIT + 1)
    assert post_sign_in(live_server.url, "am1", "pw") == 429
    assert len(slow_password_checks) == LIMIT
    # Every refused attempt still counted: the cool-off runs from the last one.
    assert AccessAttempt.objects.get(username="am1").failures_since_start == PARALLEL + 1
