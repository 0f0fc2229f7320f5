"""Vendored front-end assets: pinned, present with their source maps, collectable; error pages."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import override_settings
from django.utils import translation

ROOT = Path(settings.BASE_DIR)
VENDOR = ROOT / "static" / "vendor"
PINNED = {"bootstrap": "5.3.9", "htmx.org": "2.0.11", "chart.js": "4.6.1"}
FILES = [
    "bootstrap.min.css",
    "bootstrap.rtl.min.css",
    "bootstrap.bundle.min.js",
    "htmx.min.js",
    "chart.umd.min.js",
]


def test_package_json_pins_exact_versions_and_the_lockfile_agrees():
    package = json.loads((ROOT / "package.json").read_text())
    lock = json.loads((ROOT / "package-lock.json").read_text())
    assert package["dependencies"] == PINNED
    for name, version in PINNED.items():
        assert lock["packages"][f"node_modules/{name}"]["version"] == version


def test_the_vendored_files_are_those_of_the_pinned_versions():
    recorded = dict(line.split() for line in (VENDOR / "VERSIONS").read_text().splitlines())
    assert recorded == PINNED
    assert "Bootstrap  v5.3.9" in (VENDOR / "bootstrap.rtl.min.css").read_text()[:200]
    assert "v4.6.1" in (VENDOR / "chart.umd.min.js").read_text()[:300]


@pytest.mark.parametrize("name", FILES)
def test_every_source_map_a_file_names_is_there(name):
    text = (VENDOR / name).read_text()
    marker = "sourceMappingURL="
    if marker in text:  # htmx 2.0.11 ships no source map and names none
        map_name = text.rsplit(marker, 1)[1].split()[0].rstrip("*/").strip()
        assert (VENDOR / map_name).is_file(), map_name


def test_collectstatic_with_manifest_storage_succeeds(tmp_path):
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=storages):
        call_command("collectstatic", interactive=False, verbosity=0)
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    assert {f"vendor/{name}" for name in FILES} <= set(manifest)


def test_the_server_error_page_renders_without_a_request():
    with translation.override("en"):
        html = render_to_string("500.html")
    assert "vendor/bootstrap" in html and "Something went wrong" in html
