"""The assessments app's Hebrew catalogue: complete, compiled, covering every string, in use."""

import gettext
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from assessments.services import assessment_start

APP = Path(settings.BASE_DIR) / "assessments"
PO_FILE = APP / "locale" / "he" / "LC_MESSAGES" / "django.po"
MO_FILE = PO_FILE.with_suffix(".mo")


def problems_in(po_file: Path) -> list[str]:
    """The msgids of untranslated or fuzzy entries."""
    found = []
    for selection in ("--untranslated", "--only-fuzzy"):
        command = ["msgattrib", selection, "--no-obsolete", "--no-wrap", str(po_file)]
        text = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        found += [line for line in text.splitlines() if line.startswith('msgid "')]
    return [line for line in found if line != 'msgid ""']


def catalog(mo_file: Path) -> dict:
    with mo_file.open("rb") as handle:
        return dict(gettext.GNUTranslations(handle)._catalog)


def test_every_entry_is_translated():
    assert not problems_in(PO_FILE)


def test_the_mo_is_compiled_from_the_po(tmp_path):
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", fresh, PO_FILE], check=True)
    assert catalog(MO_FILE) == catalog(fresh), f"Stale: run msgfmt -o {MO_FILE} {PO_FILE}"


@pytest.mark.slow
def test_the_catalogue_covers_every_string_of_the_app(tmp_path):
    """makemessages on a copy of the project puts this app's strings (code and templates) in the
    app's catalogue; none may come out untranslated."""
    copy = tmp_path / "src"
    ignore = (".*", "node_modules", "staticfiles", "vendor", "__pycache__", "*.sqlite3", "bench")
    shutil.copytree(settings.BASE_DIR, copy, ignore=shutil.ignore_patterns(*ignore))
    command = [sys.executable, "manage.py", "makemessages", "-l", "he", "--no-obsolete"]
    command += ["--ignore=.venv", "--ignore=node_modules", "--ignore=static/vendor"]
    subprocess.run(command, cwd=copy, check=True, capture_output=True)
    assert not problems_in(copy / "assessments" / "locale" / "he" / "LC_MESSAGES" / "django.po")


@pytest.mark.django_db
def test_a_hebrew_users_form_is_in_hebrew(client, account_manager, own_account):
    account_manager.language = "he"
    account_manager.save()
    draft = assessment_start(account=own_account, by=account_manager)
    client.force_login(account_manager)
    page = client.get(reverse("assessments:edit", args=[draft.pk])).content.decode()
    assert (
        "שמור טיוטה" in page and "מהיסטוריית ההזמנות" in page and "לא זמין עד להרצת הפילוח" in page
    )
    assert "Save draft" not in page
