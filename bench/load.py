"""Benchmark: the three roles' mixed traffic against gunicorn at 100,000 customers, alone and
while the nightly run runs.

    python bench/load.py [--users N] [--seconds S] [--warmup S] [--reseed]

Uses bench/nightly.py's database (postgres://postgres@127.0.0.1:5432/kam_bench_nightly;
BENCH_DATABASE_URL overrides) and its helpers: created, migrated and seeded with seed_demo when
empty (100,000 customers x 50 orders, about 2.5 minutes; --reseed starts over).
Then, all on loopback: collectstatic into a temporary STATIC_ROOT; gunicorn (4 workers x 4 threads)
with the production settings (a generated SECRET_KEY; plain HTTP, the bench playing the TLS
proxy); a Celery worker of 2 processes under `nice -n 10`, as in the compose stack, on Redis
db 7 (BENCH_BROKER_URL overrides); the web workers' shared cache on Redis db 8, emptied
first (BENCH_CACHE_URL overrides); locust
(bench/locustfile.py) with N users, for a warm-up and then two phases of S seconds each:
  1. the traffic alone;
  2. the same traffic while `manage.py run_nightly --wait` runs, started with the phase and
     started again whenever it completes, so that the whole phase is under the nightly load.
Every second it counts the PostgreSQL connections to the bench database (pg_stat_activity).
Prints, per phase, requests/s, p50, p95, p99 and the error rate per endpoint and role, per
role, and for the dashboard (or the home page while /dashboard/ does not exist); each nightly
run's time and status; the most connections seen against the configured limits; the load
average. Logs of every process and every request go to bench/out/load-<time>/.
"""

import argparse
import datetime as dt
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/kam_bench_nightly"
DEFAULT_BROKER = "redis://127.0.0.1:6379/7"
# The web workers share one cache, as the compose stack's CACHE_URL has them do.
DEFAULT_CACHE = "redis://127.0.0.1:6379/8"
GUNICORN_WORKERS, GUNICORN_THREADS, CELERY_CONCURRENCY = 4, 4, 2  # threads: gunicorn.conf.py
# The compose stack's worker yields the CPU to the web server: `nice -n 10` (docs/operations.md).
WORKER_PRIORITY = ["nice", "-n", "10"]
DASHBOARD_TARGET_MS = 800
NOT_MEASURED = {"login page", "login", "probe"}

sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
import nightly  # noqa: E402  (bench/nightly.py: the database and its seeding)


@dataclass
class Phase:
    name: str
    seconds: float
    log: Path
    connections: list[dict] = field(default_factory=list)
    runs: list[dict] = field(default_factory=list)
    load: tuple[float, ...] = ()


def main() -> None:
    args = _arguments()
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    broker = os.environ.get("BENCH_BROKER_URL", DEFAULT_BROKER)
    out = ROOT / "bench" / "out" / f"load-{dt.datetime.now():%Y%m%d-%H%M%S}"
    out.mkdir(parents=True)
    as_of = _prepare_database(url, broker=broker, reseed=args.reseed)
    static = Path(tempfile.mkdtemp(prefix="kam-load-static-"))
    env = _app_env(url, broker=broker, static=static)
    processes: list[subprocess.Popen] = []
    try:
        _collectstatic(env, out)
        host = _start_gunicorn(env, out, processes)
        _start_worker(env, out, processes)
        phases = _phases(args, host=host, url=url, env=env, as_of=as_of, out=out)
    finally:
        for process in reversed(processes):
            process.terminate()
            process.wait(timeout=60)
        shutil.rmtree(static, ignore_errors=True)
    _report(phases, url=url, users=args.users)
    print(f"logs: {out.relative_to(ROOT)}")


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=12, help="simulated users (default 12)")
    parser.add_argument("--seconds", type=int, default=60, help="length of each phase")
    parser.add_argument("--warmup", type=int, default=10, help="unmeasured traffic first")
    parser.add_argument("--reseed", action="store_true", help="drop the database and seed again")
    return parser.parse_args()


def _prepare_database(url: str, *, broker: str, reseed: bool) -> dt.date:
    """bench/nightly.py's database, seeded when empty; returns the last day of the history."""
    os.environ.update(DATABASE_URL=url, DEBUG="false", CELERY_BROKER_URL=broker)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kam_portal.settings.dev")
    nightly._create_database(url, drop=reseed)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", verbosity=0)
    as_of = nightly._seed(call_command, accounts=100_000, orders=50)
    connections.close_all()
    return as_of


def _app_env(url: str, *, broker: str, static: Path) -> dict[str, str]:
    """The production settings on loopback; each process names itself to PostgreSQL. The
    cache (BENCH_CACHE_URL overrides) is emptied: each bench starts with nothing cached."""
    cache = os.environ.get("BENCH_CACHE_URL", DEFAULT_CACHE)
    import redis

    redis.Redis.from_url(cache).flushdb()
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "ENV_FILE": os.devnull,
        "DJANGO_SETTINGS_MODULE": "kam_portal.settings.production",
        # The bench's own key, shared with a bench that makes sessions in its own process.
        "SECRET_KEY": os.environ.setdefault("BENCH_SECRET_KEY", secrets.token_urlsafe(64)),
        "DATABASE_URL": url,
        "CELERY_BROKER_URL": broker,
        "CACHE_URL": cache,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_ROOT": str(static),
        "LOG_LEVEL": "WARNING",
    }


def _named(env: dict[str, str], name: str) -> dict[str, str]:
    sep = "&" if "?" in env["DATABASE_URL"] else "?"
    return {**env, "DATABASE_URL": f"{env['DATABASE_URL']}{sep}application_name={name}"}


def _collectstatic(env: dict[str, str], out: Path) -> None:
    with open(out / "collectstatic.log", "w") as log:
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, check=True, timeout=300,
        )  # fmt: skip


def _start_gunicorn(env: dict[str, str], out: Path, processes: list) -> str:
    port = _free_port()
    command = [
        str(BIN / "gunicorn"), "kam_portal.wsgi:application", "--bind", f"127.0.0.1:{port}",
        "--workers", str(GUNICORN_WORKERS), "--threads", str(GUNICORN_THREADS),
    ]  # fmt: skip
    processes.append(_spawn(command, _named(env, "kam-load-web"), out / "gunicorn.log"))
    host = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while not _answers(host + "/healthz"):
        if processes[-1].poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"gunicorn did not start; see {out / 'gunicorn.log'}")
        time.sleep(0.5)
    return host


def _spawn(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    """A server process whose output (the app's log included) goes to its own file."""
    with open(log, "w") as f:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=f, stderr=subprocess.STDOUT)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as answer:
            return answer.status == 200
    except OSError:
        return False


def _start_worker(env: dict[str, str], out: Path, processes: list) -> None:
    """A Celery worker of 2 processes on the bench's broker, as in the compose stack."""
    from kam_portal.celery import app

    app.control.purge()
    command = [
        *WORKER_PRIORITY, str(BIN / "celery"), "-A", "kam_portal", "worker", "--pool", "prefork",
        "--concurrency", str(CELERY_CONCURRENCY), "--loglevel", "WARNING",
        "-n", "bench-load@%h",
    ]  # fmt: skip
    processes.append(_spawn(command, _named(env, "kam-load-worker"), out / "worker.log"))
    deadline = time.monotonic() + 60
    while not app.control.ping(timeout=1.0):
        if processes[-1].poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"the Celery worker did not start; see {out / 'worker.log'}")


def _phases(args, *, host: str, url: str, env: dict, as_of: dt.date, out: Path) -> list[Phase]:
    warmup = Phase("warm-up", args.warmup, out / "warmup.jsonl")
    _locust(warmup, host=host, users=args.users, out=out)
    print(f"warm-up: {_errors(_rows(warmup.log))} errors", flush=True)
    alone = Phase("1. traffic alone", args.seconds, out / "phase1.jsonl")
    with _ConnectionPoller(url, alone.connections):
        _locust(alone, host=host, users=args.users, out=out)
    during = Phase("2. during the nightly run", args.seconds, out / "phase2.jsonl")
    with _ConnectionPoller(url, during.connections):
        nightly_runs = _NightlyLoop(env, as_of=as_of, runs=during.runs, out=out)
        nightly_runs.start()
        _locust(during, host=host, users=args.users, out=out)
        nightly_runs.stop_and_wait()
    return [alone, during]


def _locust(phase: Phase, *, host: str, users: int, out: Path) -> None:
    command = [
        str(BIN / "locust"), "--headless", "-f", str(ROOT / "bench" / "locustfile.py"),
        "--host", host, "-u", str(users), "-r", str(users), "--run-time", f"{phase.seconds}s",
        "--stop-timeout", "10", "--only-summary", "--loglevel", "WARNING",
    ]  # fmt: skip
    env = {**os.environ, "LOAD_LOG": str(phase.log)}
    print(f"{phase.name}: {users} users for {phase.seconds} s ...", flush=True)
    with open(out / f"locust-{phase.log.stem}.log", "w") as log:
        # locust exits 1 when a request failed: the figures below say which.
        subprocess.run(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    phase.load = os.getloadavg()


class _ConnectionPoller(threading.Thread):
    """Counts, every second, the client connections to the bench database by application name,
    its parallel query workers, and the client connections to the whole server."""

    def __init__(self, url: str, samples: list[dict]) -> None:
        super().__init__(daemon=True)
        self.url, self.samples, self.done = url, samples, threading.Event()

    def __enter__(self) -> "_ConnectionPoller":
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.done.set()
        self.join()

    def run(self) -> None:
        import psycopg

        name = self.url.rsplit("/", 1)[1].split("?")[0]
        admin = self.url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            while not self.done.wait(1.0):
                self.samples.append(self._sample(conn, name))

    def _sample(self, conn, name: str) -> dict:
        per_app = dict(
            conn.execute(
                "SELECT application_name, COUNT(*) FROM pg_stat_activity "
                "WHERE datname = %s AND backend_type = 'client backend' GROUP BY 1",
                [name],
            ).fetchall()
        )
        parallel, server = conn.execute(
            "SELECT COUNT(*) FILTER (WHERE datname = %s AND backend_type = 'parallel worker'), "
            "COUNT(*) FILTER (WHERE backend_type = 'client backend') FROM pg_stat_activity",
            [name],
        ).fetchone()
        total = sum(per_app.values())
        return {"db": total, "apps": per_app, "parallel": parallel, "server": server}


class _NightlyLoop(threading.Thread):
    """`manage.py run_nightly --wait` with the production settings, again and again until
    stopped; records each run's start, end, exit status and last line."""

    def __init__(self, env: dict, *, as_of: dt.date, runs: list[dict], out: Path) -> None:
        super().__init__(daemon=True)
        self.env, self.as_of, self.runs, self.out = env, as_of, runs, out
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            record = self._one()
            self.runs.append(record)
            if record["returncode"] != 0:
                return  # a failed run is reported; starting it again would only repeat it

    def _one(self) -> dict:
        as_of = self.as_of.isoformat()
        command = [sys.executable, "manage.py", "run_nightly", "--as-of", as_of, "--wait"]
        started = time.time()
        with open(self.out / "nightly.log", "a") as log:
            result = subprocess.run(
                command, cwd=ROOT, env=_named(self.env, "kam-load-nightly"),
                stdout=subprocess.PIPE, stderr=log, text=True,
            )  # fmt: skip
            log.write(result.stdout)
        last = (result.stdout.strip().splitlines() or ["(no output)"])[-1]
        return {"start": started, "end": time.time(), "returncode": result.returncode, "last": last}

    def stop_and_wait(self) -> None:
        """No new run after the phase; the one under way is waited for and reported."""
        self.stopping.set()
        self.join()


# --- figures -------------------------------------------------------------------------------


def _rows(log: Path) -> list[list]:
    if not log.exists():
        return []
    with open(log) as f:
        return [json.loads(line) for line in f if line.strip()]


def _errors(rows: list[list]) -> int:
    return sum(1 for r in rows if not r[4])


def _percentile(sorted_ms: list[float], p: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    rank = max(1, -(-len(sorted_ms) * p // 100))
    return sorted_ms[int(rank) - 1]


def _line(label: str, rows: list[list], seconds: float) -> str:
    times = sorted(r[3] for r in rows)
    errors = _errors(rows)
    return (
        f"{label:<34} {len(rows):>6} {len(rows) / seconds:>7.2f} {_percentile(times, 50):>7.0f} "
        f"{_percentile(times, 95):>7.0f} {_percentile(times, 99):>7.0f} "
        f"{100 * errors / len(rows):>6.2f}%"
    )


def _table(title: str, groups: dict[str, list[list]], seconds: float) -> None:
    print(f"\n{title}")
    heads = ("reqs", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors")
    print(f"{'':<34} {heads[0]:>6} " + " ".join(f"{h:>7}" for h in heads[1:]))
    for label, rows in groups.items():
        if rows:
            print(_line(label, rows, seconds))


def _by_endpoint_and_role(rows: list[list]) -> dict[str, list[list]]:
    groups: dict[str, list[list]] = defaultdict(list)
    for row in sorted(rows, key=lambda r: (r[2], r[1])):
        groups[row[2]].append(row)
        groups[f"  {row[2]}: {row[1]}"].append(row)
    groups["all"] = rows
    return groups


def _by_role(rows: list[list]) -> dict[str, list[list]]:
    groups: dict[str, list[list]] = defaultdict(list)
    for row in sorted(rows, key=lambda r: r[1]):
        groups[row[1]].append(row)
    return groups


def _report(phases: list[Phase], *, url: str, users: int) -> None:
    limits = _limits(url)
    for phase in phases:
        rows = _rows(phase.log)
        measured = [r for r in rows if r[2] not in NOT_MEASURED]
        seconds = _span(measured) or phase.seconds
        print(f"\n=== {phase.name}: {users} users, {seconds:.0f} s of traffic ===")
        logins = [r for r in rows if r[2] == "login"]
        print(f"logins: {len(logins)}, errors {_errors(logins)} (not in the tables)")
        _table("by endpoint (and role)", _by_endpoint_and_role(measured), seconds)
        _table("by role", _by_role(measured), seconds)
        _print_errors(rows)
        _print_runs(phase, measured)
        _print_connections(phase, limits)
        print(f"load average at the end: {' '.join(f'{x:.2f}' for x in phase.load)}")

    _print_targets(phases, limits)


def _print_targets(phases: list[Phase], limits: dict[str, int]) -> None:
    rows = [r for phase in phases for r in _rows(phase.log)]
    most = max((s["db"] for phase in phases for s in phase.connections), default=0)
    runs = [run for phase in phases for run in phase.runs]
    completed = sum(1 for run in runs if run["returncode"] == 0)
    print(
        f"\ntargets: errors {_errors(rows)} of {len(rows)} requests (zero); connections at most "
        f"{most} (budget {limits['app']}, max_connections {limits['max_connections']}); "
        f"nightly runs completed {completed} of {len(runs)}; the dashboard line is above"
    )


def _span(rows: list[list]) -> float:
    starts = [r[0] for r in rows]
    return max(starts) - min(starts) if len(starts) > 1 else 0.0


def _print_errors(rows: list[list]) -> None:
    kinds: dict[str, int] = defaultdict(int)
    for row in rows:
        if not row[4]:
            kinds[f"{row[2]} ({row[1]}): {row[5].split('?')[0]}"] += 1
    for kind, count in sorted(kinds.items(), key=lambda kv: -kv[1])[:15]:
        print(f"  error x{count}: {kind}")


def _print_runs(phase: Phase, measured: list[list]) -> None:
    for run in phase.runs:
        status = "completed" if run["returncode"] == 0 else f"FAILED (exit {run['returncode']})"
        print(f"nightly run: {run['end'] - run['start']:.1f} s, {status}: {run['last']}")
    if not phase.runs:
        return
    inside = [r for r in measured if any(x["start"] <= r[0] <= x["end"] for x in phase.runs)]
    dashboard = [r for r in inside if r[2] == "dashboard"]
    name = "dashboard"
    if not dashboard:
        dashboard, name = [r for r in inside if r[2] == "home"], "home (stand-in: no /dashboard/)"
    if dashboard:
        p95 = _percentile(sorted(r[3] for r in dashboard), 95)
        verdict = "met" if p95 < DASHBOARD_TARGET_MS else "NOT met"
        print(
            f"{name} while a nightly run ran: {len(dashboard)} requests, p95 {p95:.0f} ms "
            f"(target < {DASHBOARD_TARGET_MS} ms: {verdict})"
        )


def _limits(url: str) -> dict[str, int]:
    import psycopg

    with psycopg.connect(url) as conn:
        server = int(conn.execute("SHOW max_connections").fetchone()[0])
        reserved = int(conn.execute("SHOW superuser_reserved_connections").fetchone()[0])
    from django.conf import settings

    conn_max_age = settings.DATABASES["default"]["CONN_MAX_AGE"]
    # Each gunicorn thread and each Celery child process holds at most one connection (kept for
    # CONN_MAX_AGE s), and so does run_nightly's command; the Celery parent runs no task. The
    # run's look-back reads on readers of its own while it lasts.
    from segmentation.pipeline import LOOKBACK_READERS

    app = GUNICORN_WORKERS * GUNICORN_THREADS + CELERY_CONCURRENCY + 1 + LOOKBACK_READERS
    return {
        "max_connections": server,
        "reserved": reserved,
        "app": app,
        "age": conn_max_age,
        "readers": LOOKBACK_READERS,
    }


def _print_connections(phase: Phase, limits: dict[str, int]) -> None:
    samples = phase.connections
    if not samples:
        return
    most = max(samples, key=lambda s: s["db"])
    per_app = ", ".join(f"{k or '(unnamed)'} {v}" for k, v in sorted(most["apps"].items()))
    print(
        f"PostgreSQL connections to the bench database, most seen: {most['db']} ({per_app}); "
        f"parallel query workers at most {max(s['parallel'] for s in samples)}; "
        f"the app's budget {limits['app']} (gunicorn {GUNICORN_WORKERS} workers x "
        f"{GUNICORN_THREADS} threads, Celery concurrency {CELERY_CONCURRENCY}, "
        f"run_nightly 1, the look-back's readers {limits['readers']}; "
        f"CONN_MAX_AGE {limits['age']} s); whole server at most "
        f"{max(s['server'] for s in samples)} of max_connections {limits['max_connections']} "
        f"({limits['reserved']} reserved for superusers)"
    )


if __name__ == "__main__":
    main()
