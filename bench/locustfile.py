"""Locust users for bench/load.py: the three roles browsing the portal with the demo logins.

    locust --headless -f bench/locustfile.py --host http://127.0.0.1:PORT -u N -r N --run-time Ts

Each simulated user signs in once (its role's demo logins in turn, password LOAD_PASSWORD,
default kam-demo) and then browses by role: the home page, the account list with filters and
pages, account pages picked from the lists, the JSON API, the capacity page (managers and admin)
and the risk settings (admin). /dashboard/ is requested only when it answers 200 for the role.

Requests go out as a TLS-terminating proxy would pass them on (X-Forwarded-Proto: https), so the
production settings' secure cookies and CSRF checks apply; the cookie jar sends the secure
cookies over the loopback connection, as the proxy's own connection would carry them. A page
answers 200 or counts as an error: a redirect (to the login page, say) is not followed.

With LOAD_LOG set, every request is appended to that file as one JSON line
[start (epoch s), role, endpoint, response ms, ok, error]; bench/load.py computes its figures
from it.
"""

import itertools
import json
import os
import random
import re

from locust import HttpUser, between, events, task
from requests.cookies import RequestsCookieJar

PASSWORD = os.environ.get("LOAD_PASSWORD", "kam-demo")
LOGINS = {
    "account manager": ["am1", "am2", "am3"],
    "sales manager": ["manager", "manager2"],
    "admin": ["admin"],
}
_next_login = {role: itertools.cycle(names) for role, names in LOGINS.items()}
ACCOUNT_ID = re.compile(r'data-account-id="(\d+)"')
OWNER_SELECT = re.compile(r'<select name="owner".*?</select>', re.DOTALL)
OPTION_VALUE = re.compile(r'<option value="(\d+)"')
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SEARCHES = ["DEMO-0001", "DEMO-00042", "Ltd", "בע", "Group", "zzz-no-match"]
SORTS = ["name", "-name", "-revenue", "revenue", "-at_stake"]
RISKS = ["", "low", "medium", "high"]


def _open_log():
    """The request log, line-buffered so that bench/load.py reads whole lines; open until exit."""
    path = os.environ.get("LOAD_LOG")
    return open(path, "a", buffering=1) if path else None


_log = _open_log()


class LoopbackCookieJar(RequestsCookieJar):
    """Keeps the session's secure cookies sendable over plain HTTP: the bench stands where the
    TLS proxy would. (A cookie policy would not do: requests copies the cookies into a jar of
    its own for each request.)"""

    def set_cookie(self, cookie, *args, **kwargs):
        cookie.secure = False
        return super().set_cookie(cookie, *args, **kwargs)


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception, context, **kw):
    if _log is None:
        return
    error = None if exception is None else str(exception)[:200]
    start = kw.get("start_time")
    row = [start, context.get("role", "?"), name, round(response_time, 1), error is None, error]
    _log.write(json.dumps(row, ensure_ascii=False) + "\n")


class PortalUser(HttpUser):
    abstract = True
    role = ""
    wait_time = between(0.5, 2.0)

    def context(self) -> dict:
        return {"role": self.role}

    def on_start(self) -> None:
        self.client.cookies = LoopbackCookieJar()
        origin = self.host.replace("http://", "https://", 1)
        self.client.headers.update({"X-Forwarded-Proto": "https", "Referer": origin + "/"})
        self.account_ids: list[int] = []
        self.owner_ids: list[str] = []
        self._login()
        self._collect(self._page("/accounts/", "accounts list"))
        if not self._probe("/dashboard/"):
            self.tasks = [t for t in self.tasks if t.__name__ != "dashboard"]

    def _login(self) -> None:
        username = next(_next_login[self.role])
        with self.client.get("/login/", name="login page", catch_response=True) as page:
            match = CSRF_INPUT.search(page.text or "")
            if page.status_code != 200 or match is None:
                page.failure(f"login page: {page.status_code}, CSRF token found: {bool(match)}")
                return
        form = {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": match[1]}
        with self.client.post(
            "/login/", data=form, name="login", allow_redirects=False, catch_response=True
        ) as answer:
            if answer.status_code != 302 or "sessionid" not in self.client.cookies:
                answer.failure(f"login as {username} refused: HTTP {answer.status_code}")

    def _page(self, path: str, name: str, params: dict | None = None) -> str:
        """GET a page that must answer 200; anything else is recorded as an error."""
        with self.client.get(
            path, params=params, name=name, allow_redirects=False, catch_response=True
        ) as answer:
            if answer.status_code != 200:
                where = answer.headers.get("Location", "")
                if answer.status_code == 0:  # no answer: the connection failed; say how
                    where = repr(answer.error)
                answer.failure(f"HTTP {answer.status_code} {where}".strip())
                return ""
            return answer.text

    def _probe(self, path: str) -> bool:
        """Whether a page exists for this role; the probe itself is not a measurement."""
        with self.client.request(
            "GET", path, allow_redirects=False, name="probe", catch_response=True
        ) as answer:
            answer.success()
            return answer.status_code == 200

    def _collect(self, html: str) -> None:
        """Remember the accounts and owners a list page showed, to browse them next."""
        ids = [int(x) for x in ACCOUNT_ID.findall(html)]
        self.account_ids = (ids + self.account_ids)[:500]
        select = OWNER_SELECT.search(html)
        if select:
            self.owner_ids = OPTION_VALUE.findall(select[0])

    @task(3)
    def home(self) -> None:
        self._page("/", "home")

    @task(3)
    def account_list(self) -> None:
        params = {"sort": random.choice(SORTS), "page": random.choice([1, 1, 2, 3, 10, 40])}
        if random.random() < 0.3:
            params["q"] = random.choice(SEARCHES)
        if random.random() < 0.3:
            params["risk"] = random.choice(RISKS)
        if self.owner_ids and random.random() < 0.3:
            params["owner"] = random.choice(self.owner_ids)
        self._collect(self._page("/accounts/", "accounts list", params))

    @task(4)
    def account_page(self) -> None:
        if self.account_ids:
            self._page(f"/accounts/{random.choice(self.account_ids)}/", "account page")

    @task(1)
    def api_list(self) -> None:
        params = {"limit": random.choice([20, 50, 100]), "offset": random.choice([0, 100, 1000])}
        with self.client.get(
            "/api/accounts/", params=params, name="api accounts", catch_response=True
        ) as answer:
            if answer.status_code != 200:
                answer.failure(f"HTTP {answer.status_code}")

    @task(2)
    def dashboard(self) -> None:
        self._page("/dashboard/", "dashboard")


class AccountManager(PortalUser):
    role = "account manager"
    weight = 3


class SalesManager(PortalUser):
    role = "sales manager"
    weight = 2

    @task(1)
    def capacity(self) -> None:
        self._page("/segments/capacity/", "capacity")


class Admin(PortalUser):
    role = "admin"
    weight = 1

    @task(1)
    def capacity(self) -> None:
        self._page("/segments/capacity/", "capacity")

    @task(1)
    def risk_settings(self) -> None:
        self._page("/risk/settings/", "risk settings")
