"""Apps import only the apps below them: users and accounts are the base; segmentation and
assessments build on them (assessments reads segments); imports builds on accounts; portfolio
and demo compose them all.
An upward import is a piece in the wrong room."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
# Each app, and the apps it must not import.
ABOVE = {
    "users": {"accounts", "segmentation", "assessments", "imports", "portfolio", "demo"},
    "accounts": {"segmentation", "assessments", "imports", "portfolio", "demo"},
    "segmentation": {"assessments", "imports", "portfolio", "demo"},
    "assessments": {"imports", "portfolio", "demo"},
    # imports runs the accounts pipeline and records it; nothing below it knows of it.
    "imports": {"segmentation", "assessments", "portfolio", "demo"},
    "kam_portal": {"accounts", "segmentation", "assessments", "imports", "demo"},
}


def imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("app", sorted(ABOVE))
def test_an_app_imports_no_app_above_it(app):
    upward = [
        f"{path.relative_to(BASE_DIR)} imports {', '.join(sorted(wrong))}"
        for path in sorted((BASE_DIR / app).rglob("*.py"))
        if "migrations" not in path.parts and (wrong := imported_apps(path) & ABOVE[app])
    ]
    assert not upward, "\n".join(upward)
