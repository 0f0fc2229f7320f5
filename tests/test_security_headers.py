"""Security headers: a strict Content-Security-Policy and a Permissions-Policy on every page, and
no copy of a signed-in page kept by a browser or proxy; checked under the production settings
(in a subprocess, as tests/test_settings.py does) and in-process. Templates carry no inline
script, style or event handler, which the policy would block."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from tests.test_settings import KEY, run

ROOT = Path(settings.BASE_DIR)
EXPECTED_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
PERMISSIONS = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

# Runs under kam_portal.settings.production: the headers of the login page (anonymous) and of a
# signed-in page. Only the static storage is swapped: the manifest needs a collectstatic first,
# which is not what this test is about.
PRODUCTION_PROBE = """
import json, sys, django
django.setup()
from django.test import Client, override_settings
from users.models import User
storages = {"staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
with override_settings(STORAGES=storages):
    client = Client()
    pages = {"login": client.get("/login/", secure=True)}
    client.force_login(User.objects.get(username=sys.argv[1]))
    pages["home"] = client.get("/", secure=True)
    pages["healthz"] = Client().get("/healthz", secure=True)
print(json.dumps({name: {"status": r.status_code, **r.headers} for name, r in pages.items()}))
"""


def policy(header: str) -> dict[str, str]:
    directives = (part.strip().split(" ", 1) for part in header.split(";") if part.strip())
    return dict(directives)


@pytest.fixture
def production_responses(transactional_db, account_manager) -> dict[str, dict]:
    database = settings.DATABASES["default"]
    result = run(
        "-c",
        PRODUCTION_PROBE,
        "am1",
        settings="kam_portal.settings.production",
        SECRET_KEY=KEY,
        ALLOWED_HOSTS="testserver",
        DATABASE_URL=f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/"
        f"{database['NAME']}",
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_sends_the_strict_policy_on_every_page(production_responses):
    for name in ("login", "home"):
        headers = production_responses[name]
        assert headers["status"] == 200, name
        assert policy(headers["Content-Security-Policy"]) == EXPECTED_CSP
        assert headers["Permissions-Policy"] == PERMISSIONS
        assert headers["X-Frame-Options"] == "DENY"


def test_production_forbids_storing_a_signed_in_page(production_responses):
    assert "no-store" in production_responses["home"]["Cache-Control"]
    assert "private" in production_responses["home"]["Cache-Control"]


def test_the_policy_has_no_unsafe_source(production_responses):
    header = production_responses["login"]["Content-Security-Policy"]
    assert "unsafe" not in header and "*" not in header


def test_a_signed_in_page_is_not_stored(client, account_manager):
    client.force_login(account_manager)
    for url in (reverse("home"), reverse("accounts:list"), "/api/accounts/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url


def test_an_anonymous_page_keeps_its_own_cache_headers(client, db):
    response = client.get(reverse("language_switch"))  # 405, anonymous
    assert "no-store" not in response.get("Cache-Control", "")
    assert response["Permissions-Policy"] == PERMISSIONS


def test_static_files_are_not_marked_no_store_for_a_signed_in_user(account_manager):
    with override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True):
        client = Client()  # a new client builds its middleware under these settings
        client.force_login(account_manager)
        response = client.get("/static/css/app.css")
        assert response.status_code == 200
        assert "no-store" not in response.get("Cache-Control", "")


# Inline code the policy blocks: a <script> with a body (JSON data blocks are not executed and
# are allowed), a <style> block, a style="" attribute, an on*="" handler, a javascript: URL.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
FORBIDDEN = {
    "inline script": INLINE_SCRIPT,
    "style block": re.compile(r"<style\b", re.I),
    "style attribute": re.compile(r"\sstyle\s*=", re.I),
    "event handler": re.compile(r"\son[a-z]+\s*=", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
    "hx-on": re.compile(r"\shx-on", re.I),
}


# Comments are not rendered; blanked out, keeping the line numbers. ({# #} is one line only.)
TEMPLATE_COMMENT = re.compile(r"\{#[^\n]*?#\}|(?s:\{% comment %\}.*?\{% endcomment %\})")
NOT_OURS = {"node_modules", "staticfiles", ".venv", "static"}


def project_templates() -> list[Path]:
    """templates/ and every app's <app>/templates/ (nested apps included)."""
    found = [
        path
        for path in ROOT.glob("**/templates/**/*.html")
        if not NOT_OURS & set(path.relative_to(ROOT).parts)
    ]
    return sorted(found)


@pytest.mark.parametrize("template", project_templates(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_template_carries_inline_script_or_style(template):
    text = TEMPLATE_COMMENT.sub(lambda m: "\n" * m.group().count("\n"), template.read_text())
    problems = [
        f"{what} at line {text.count(chr(10), 0, match.start()) + 1}"
        for what, pattern in FORBIDDEN.items()
        for match in pattern.finditer(text)
    ]
    assert problems == []


def test_the_template_scan_sees_every_app():
    names = {str(p.relative_to(ROOT)) for p in project_templates()}
    assert "templates/base.html" in names
    assert "segmentation/templates/segments/capacity.html" in names
    assert "users/templates/registration/login.html" in names
    assert "portfolio/templates/portfolio/account_detail.html" in names
