"""Apps import only the apps below them: users and accounts are the base; segmentation,
assessments and workspace build on them (assessments reads segments); plans (growth plans)
builds on those, and joins the nightly run through settings.NIGHTLY_FINAL_STEPS rather than
being imported by it; playbooks (tasks) reads them all and joins the run the same way; imports
builds on accounts (it runs the accounts' import pipeline and records it); portfolio and demo
compose them all; the REST API (api) sits on top of everything it exposes.
An upward import is a piece in the wrong room."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
# Each app, and the apps it must not import.
ABOVE = {
    "users": {
        "accounts",
        "segmentation",
        "assessments",
        "workspace",
        "plans",
        "playbooks",
        "imports",
        "portfolio",
        "demo",
        "api",
    },
    "accounts": {
        "segmentation",
        "assessments",
        "workspace",
        "plans",
        "playbooks",
        "imports",
        "portfolio",
        "demo",
        "api",
    },
    "segmentation": {
        "assessments",
        "workspace",
        "plans",
        "playbooks",
        "imports",
        "portfolio",
        "demo",
        "api",
    },
    "assessments": {"workspace", "plans", "playbooks", "imports", "portfolio", "demo", "api"},
    "workspace": {"plans", "playbooks", "imports", "portfolio", "demo", "api"},
    "plans": {"playbooks", "imports", "portfolio", "demo", "api"},
    "playbooks": {"imports", "portfolio", "demo", "api"},
    # imports runs the accounts pipeline and records it; nothing below it knows of it.
    "imports": {
        "segmentation",
        "assessments",
        "workspace",
        "plans",
        "playbooks",
        "portfolio",
        "demo",
        "api",
    },
    "portfolio": {"demo", "api"},
    "kam_portal": {
        "accounts",
        "segmentation",
        "assessments",
        "workspace",
        "plans",
        "playbooks",
        "imports",
        "demo",
        "api",
    },
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
