"""/healthz: answers without a login, says "ok" while the database answers, 503 when not."""

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import OperationalError, connection

from kam_portal import health

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.django_db


class UnreachableDatabase:
    def cursor(self):
        raise OperationalError('connection to server at "db" failed: secret-detail')


def test_it_answers_ok_without_a_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-cache" in response["Cache-Control"]


def test_it_answers_503_with_a_short_reason_when_the_database_is_unreachable(client, monkeypatch):
    monkeypatch.setattr(health, "connection", UnreachableDatabase())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content == b"database unavailable"


def test_it_refuses_writes(client):
    assert client.post("/healthz").status_code == 405


def test_it_answers_plain_http_under_production_settings():
    """The compose healthcheck probes http://127.0.0.1:8000/healthz from inside the container:
    production's HTTPS redirect must not catch it, while other pages still redirect."""
    db = connection.settings_dict
    script = (
        "import json, django; django.setup(); from django.test import Client; c = Client(); "
        "h = c.get('/healthz', HTTP_HOST='127.0.0.1'); o = c.get('/', HTTP_HOST='127.0.0.1'); "
        "print(json.dumps([h.status_code, h.content.decode(), o.status_code]))"
    )
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "ENV_FILE": os.devnull,
        "DJANGO_SETTINGS_MODULE": "kam_portal.settings.production",
        "SECRET_KEY": "p" * 64,
        # The test database, so that SELECT 1 has a live server to answer it.
        "DATABASE_URL": (
            f"postgres://{quote(db['USER'] or '')}:{quote(db['PASSWORD'] or '')}"
            f"@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        ),
    }
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == [200, "ok", 301]
