"""Hebrew and English: right-to-left pages, per-user language, a complete compiled catalogue."""

import gettext
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from tests.factories import AccountFactory, OrderFactory, UserFactory

BASE_DIR = Path(settings.BASE_DIR)
PO_FILE = BASE_DIR / "locale" / "he" / "LC_MESSAGES" / "django.po"


def catalogues(root: Path) -> list[Path]:
    """The project's Hebrew catalogue, and any an app keeps of its own (none today: one
    catalogue serves every app, so a message is translated once)."""
    return [
        root / PO_FILE.relative_to(BASE_DIR),
        *sorted(root.glob("*/locale/he/LC_MESSAGES/django.po")),
    ]


CATALOGUES = catalogues(BASE_DIR)
# The directories makemessages must not read (docs/development.md's command ignores the same ones).
IGNORED = (".venv", "node_modules", "static/vendor", "staticfiles")


def gettext_tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} (GNU gettext) is missing: run `make system-packages` (apt-get gettext)."
    return path


def run(*args: str, cwd: Path | None = None) -> str:
    result = subprocess.run(args, capture_output=True, text=True, cwd=cwd, check=False)
    assert result.returncode == 0, f"{' '.join(args)} failed:\n{result.stderr}"
    return result.stdout + result.stderr


def problems_in(po_file: Path) -> str:
    """The msgids of the untranslated and fuzzy entries of a catalogue, one a line."""
    found = []
    for selection in ("--untranslated", "--only-fuzzy"):
        text = run(gettext_tool("msgattrib"), selection, "--no-obsolete", "--no-wrap", str(po_file))
        found += [
            f"{selection[2:]}: {line[6:]}"
            for line in text.splitlines()
            if line.startswith('msgid "') and line != 'msgid ""'
        ]
    return "\n".join(found)


def catalog(mo_file: Path) -> dict:
    with mo_file.open("rb") as handle:
        return dict(gettext.GNUTranslations(handle)._catalog)


@pytest.mark.parametrize("po_file", CATALOGUES, ids=lambda p: str(p.relative_to(BASE_DIR)))
class TestCatalogue:
    def test_every_entry_is_translated_and_none_is_fuzzy(self, po_file):
        stats = run(gettext_tool("msgfmt"), "--statistics", "-o", "/dev/null", str(po_file))
        assert "untranslated" not in stats and "fuzzy" not in stats, (
            f"{stats}{problems_in(po_file)}"
        )

    def test_the_committed_mo_is_compiled_from_the_po(self, po_file, tmp_path):
        fresh = tmp_path / "django.mo"
        run(gettext_tool("msgfmt"), "--check-format", "-o", str(fresh), str(po_file))
        mo_file = po_file.with_suffix(".mo")
        assert mo_file.exists() and catalog(mo_file) == catalog(fresh), (
            f"{mo_file.relative_to(BASE_DIR)} is missing or stale: run "
            f"`msgfmt --check-format -o {mo_file.relative_to(BASE_DIR)} "
            f"{po_file.relative_to(BASE_DIR)}`"
        )


def msgids(po_file: Path) -> set[str]:
    text = run(gettext_tool("msgattrib"), "--no-obsolete", "--no-wrap", str(po_file))
    return {line[6:] for line in text.splitlines() if line.startswith('msgid "')} - {'""'}


def test_each_message_lives_in_exactly_one_catalogue():
    """Django reads the project catalogue first, so a message an app's catalogue also holds
    would be translated twice and the app's translation silently ignored."""
    seen: dict[str, Path] = {}
    twice = []
    for po_file in CATALOGUES:
        for msgid in msgids(po_file):
            if msgid in seen:
                twice.append(f"{msgid} in {seen[msgid].relative_to(BASE_DIR)} and {po_file}")
            seen.setdefault(msgid, po_file)
    assert not twice, "\n".join(twice)


class TestExtraction:
    @pytest.mark.slow
    def test_the_catalogue_covers_every_string_in_the_code(self, tmp_path):
        """Extract the strings of a copy of the project into a copy of the catalogue: a string
        added to the code without a Hebrew translation shows up as untranslated."""
        gettext_tool("xgettext")
        copy = tmp_path / "src"
        shutil.copytree(
            BASE_DIR,
            copy,
            ignore=shutil.ignore_patterns(
                ".*", "node_modules", "staticfiles", "vendor", "__pycache__", "*.sqlite3", "bench"
            ),
        )
        command = [sys.executable, "manage.py", "makemessages", "-l", "he", "--no-obsolete"]
        command += [f"--ignore={d}" for d in IGNORED]
        run(*command, cwd=copy)
        missing = "\n".join(filter(None, (problems_in(po) for po in catalogues(copy))))
        where = "docs/development.md, Translations"
        assert not missing, f"Strings without a Hebrew translation ({where}):\n{missing}"


@pytest.mark.django_db
class TestPages:
    def test_a_hebrew_users_page_is_right_to_left_and_in_hebrew(self, client):
        user = UserFactory(language="he")
        AccountFactory(owner=user, name="Acme")
        client.force_login(user)
        html = client.get(reverse("home")).content.decode()
        assert 'lang="he"' in html and 'dir="rtl"' in html
        assert "vendor/bootstrap.rtl.min.css" in html and "vendor/bootstrap.min.css" not in html
        assert "הלקוחות שלי" in html and "My accounts" not in html

    def test_an_english_users_page_is_left_to_right(self, client):
        user = UserFactory(language="en")
        client.force_login(user)
        html = client.get(reverse("home")).content.decode()
        assert 'lang="en"' in html and 'dir="ltr"' in html
        assert "vendor/bootstrap.min.css" in html and "bootstrap.rtl" not in html

    def test_switching_language_persists_and_turns_the_page(self, client):
        user = UserFactory(language="en")
        client.force_login(user)
        client.post(reverse("language_switch"), {"language": "he", "next": "/"})
        user.refresh_from_db()
        assert user.language == "he"
        assert 'dir="rtl"' in client.get("/").content.decode()

    def test_model_choices_and_names_are_translated(self, client, admin_user):
        admin_user.language = "he"
        admin_user.save()
        client.force_login(admin_user)
        html = client.get(reverse("home")).content.decode()
        # Role labels come from users.models.Role; shown on the admin's totals.
        assert "מנהל מכירות" in html and "מנהל לקוח" in html

    def test_amounts_are_grouped_in_hebrew_too(self, client):
        user = UserFactory(language="he")
        account = AccountFactory(owner=user)
        OrderFactory(account=account, ordered_on=timezone.localdate(), revenue=Decimal("1234567"))
        client.force_login(user)
        assert "1,234,567" in client.get(reverse("home")).content.decode()
