"""Benchmark: page latency under concurrent clients, on the 100,000-customer database.

    .venv/bin/python bench/pages.py [--clients 8] [--seconds 30] [--database-url URL]

Serves the portal with gunicorn (4 workers, the production settings on loopback, one cache in
Redis shared by the workers, as bench/load.py sets them up) against bench/nightly.py's database
(seeded when empty, as bench/load.py does), and measures, one page at a time, `--clients`
clients requesting it back to back for `--seconds`: the dashboard of a sales manager of 20,000
accounts and of the admin, the account list, an account page, and `/healthz` (the floor: no
database work). Prints requests/s, p50, p95 and the error count per page, and the targets of
issue 9 (dashboard p95 under 300 ms for the sales manager, under 600 ms for the admin). The
dashboard is cached per reader, night and data version, so most of those answers are cached; the
script then times the dashboard with its cache emptied before each request (one at a time, in
process), what the first reader after new data waits.

The sales manager of 20,000 accounts is made for the bench: a team "Bench" led by `bench_sm`,
whose two account managers own 10,000 accounts each (taken from the demo's `am3`); the nightly
run is then rerun so that segments and risk follow. Sessions are created directly (no sign-in
throttling in the way); requests carry `X-Forwarded-Proto: https` like the TLS proxy would.
"""

import argparse
import http.client
import os
import secrets
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load

TARGETS_MS = {"dashboard, sales manager": 300, "dashboard, admin": 600}
BENCH_ACCOUNTS = 20_000


@dataclass
class Result:
    label: str
    seconds: float
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] if ordered else 0.0


def main() -> None:
    args = _arguments()
    # Sessions made here must be valid in gunicorn: both sign with the same key.
    os.environ["SECRET_KEY"] = os.environ.setdefault("BENCH_SECRET_KEY", secrets.token_urlsafe(64))
    load._prepare_database(args.database_url, broker=load.DEFAULT_BROKER, reseed=False)
    cookies = _bench_users_and_sessions()
    out = Path(tempfile.mkdtemp(prefix="kam-pages-"))
    env = load._app_env(args.database_url, broker=load.DEFAULT_BROKER, static=out / "static")
    load._collectstatic(env, out)
    processes: list = []
    try:
        host = load._start_gunicorn(env, out, processes)
        results = [
            _measure(label, host + path, cookies[who], args.clients, args.seconds)
            for label, path, who in _pages(cookies)
        ]
    finally:
        for process in processes:
            process.terminate()
    _report(results, clients=args.clients)
    _report_cold(_cold_dashboards())


COLD_REPEATS = 5


def _cold_dashboards() -> dict[str, list[float]]:
    """The dashboard with its cache emptied before every request, one request at a time, in
    this process (Django's test client): what the first reader of a new night, or of new
    data, waits. Gunicorn's workers keep their own cache, so the figures above are mostly
    cached answers."""
    from django.conf import settings
    from django.test import override_settings

    # This process has not collected the static files: plain static URLs.
    plain = {**settings.STORAGES, "staticfiles": {"BACKEND": STATIC_PLAIN}}
    with override_settings(STORAGES=plain):
        return {username: _cold_times(username) for username in ("bench_sm", "admin")}


STATIC_PLAIN = "django.contrib.staticfiles.storage.StaticFilesStorage"


def _cold_times(username: str) -> list[float]:
    from django.core.cache import cache
    from django.test import Client

    from users.models import User

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username=username))
    times = []
    for _ in range(COLD_REPEATS):
        cache.clear()
        started = time.perf_counter()
        status = client.get("/dashboard/").status_code
        times.append((time.perf_counter() - started) * 1000)
        assert status == 200, status
    return times


def _report_cold(found: dict[str, list[float]]) -> None:
    print(f"\ndashboard with an empty cache, {COLD_REPEATS} requests one at a time:")
    for username, times in found.items():
        print(
            f"  {username:10} median {statistics.median(times):6.0f} ms, "
            f"best {min(times):6.0f} ms, worst {max(times):6.0f} ms"
        )


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--database-url", default=load.DEFAULT_URL)
    return parser.parse_args()


def _bench_users_and_sessions() -> dict[str, str]:
    """The bench's sales manager of 20,000 accounts (made once), and a session per reader."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import transaction

    from accounts.models import Account
    from segmentation.pipeline import nightly_run_start
    from users.models import Role, Team, User

    with transaction.atomic():
        sm, made = User.objects.get_or_create(
            username="bench_sm", defaults={"role": Role.SALES_MANAGER, "language": "en"}
        )
        team, _ = Team.objects.get_or_create(name="Bench", defaults={"manager": sm})
        owners = [
            User.objects.get_or_create(
                username=f"bench_am{i}",
                defaults={"role": Role.ACCOUNT_MANAGER, "team": team, "language": "en"},
            )[0]
            for i in (1, 2)
        ]
        if made or Account.objects.filter(owner__team=team).count() != BENCH_ACCOUNTS:
            source = Account.objects.filter(owner__username="am3").order_by("pk")
            ids = list(source.values_list("pk", flat=True)[:BENCH_ACCOUNTS])
            half = len(ids) // 2
            Account.objects.filter(pk__in=ids[:half]).update(owner=owners[0])
            Account.objects.filter(pk__in=ids[half:]).update(owner=owners[1])
            made = True
    if made:
        nightly_run_start()  # segments and risk follow the new owners
    sessions = {}
    for username in ("bench_sm", "admin"):
        user = User.objects.get(username=username)
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        sessions[username] = store.session_key
    sessions["account"] = str(Account.objects.filter(owner__team=team).order_by("pk").first().pk)
    sessions["anonymous"] = ""
    return sessions


def _pages(cookies: dict[str, str]) -> list[tuple[str, str, str]]:
    return [
        ("healthz (the floor)", "/healthz", "anonymous"),
        ("dashboard, sales manager", "/dashboard/", "bench_sm"),
        ("dashboard, admin", "/dashboard/", "admin"),
        ("account list, sales manager", "/accounts/", "bench_sm"),
        ("account page, sales manager", f"/accounts/{cookies['account']}/", "bench_sm"),
    ]


def _measure(label: str, url: str, session: str, clients: int, seconds: float) -> Result:
    """`clients` threads request `url` back to back, each on its own kept-alive connection."""
    result = Result(label, seconds)
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client() -> None:
        parts = urlsplit(url)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        headers = {"X-Forwarded-Proto": "https", "Host": "127.0.0.1"}
        if session:
            headers["Cookie"] = f"sessionid={session}"
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                connection.request("GET", parts.path, headers=headers)
                answer = connection.getresponse()
                answer.read()
                ok = answer.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                connection.close()
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                if ok:
                    result.latencies_ms.append(elapsed)
                else:
                    result.errors += 1

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return result


def _report(results: list[Result], *, clients: int) -> None:
    print(f"\n{clients} clients per page, {results[0].seconds:.0f} s each; load average "
          f"{' '.join(f'{x:.1f}' for x in _loadavg())}")  # fmt: skip
    print(f"{'page':32} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'mean ms':>8} {'errors':>7}")
    for r in results:
        mean = statistics.fmean(r.latencies_ms) if r.latencies_ms else 0.0
        rate = len(r.latencies_ms) / r.seconds
        print(
            f"{r.label:32} {rate:7.1f} {r.percentile(50):8.0f} {r.percentile(95):8.0f} "
            f"{mean:8.0f} {r.errors:7d}"
        )
    for r in results:
        if r.label in TARGETS_MS:
            target = TARGETS_MS[r.label]
            verdict = "met" if r.percentile(95) < target and not r.errors else "NOT met"
            print(f"target {r.label}: p95 < {target} ms: {verdict}")


def _loadavg() -> tuple[float, float, float]:
    return os.getloadavg()


if __name__ == "__main__":
    main()
