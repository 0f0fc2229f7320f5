"""Shared fixtures: an owner, a team-mate and a stranger per role; service checks."""

import os
import socket

import pytest

from tests.factories import (
    AccountFactory,
    AccountManagerFactory,
    AdminFactory,
    SalesManagerFactory,
    TeamFactory,
)

IN_CI = os.environ.get("CI", "").lower() == "true"


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def pytest_sessionstart(session: pytest.Session) -> None:
    """Under CI a missing service is a failure of the whole run, never a silent skip."""
    if IN_CI and not _reachable("127.0.0.1", 5432):
        pytest.exit("PostgreSQL is not reachable on 127.0.0.1:5432 (CI=true).", returncode=3)
    if IN_CI and not _reachable("127.0.0.1", 6379):
        pytest.exit("Redis is not reachable on 127.0.0.1:6379 (CI=true).", returncode=3)


@pytest.fixture
def redis_available() -> None:
    if not _reachable("127.0.0.1", 6379):
        pytest.skip("Redis is not running on 127.0.0.1:6379")


@pytest.fixture
def sales_manager(db):
    return SalesManagerFactory(username="manager")


@pytest.fixture
def team(sales_manager):
    return TeamFactory(name="North", manager=sales_manager)


@pytest.fixture
def account_manager(team):
    return AccountManagerFactory(username="am1", team=team)


@pytest.fixture
def teammate(team):
    """Another account manager in the same team."""
    return AccountManagerFactory(username="am2", team=team)


@pytest.fixture
def stranger(db):
    """An account manager in another team, led by another sales manager."""
    return AccountManagerFactory(username="am3")


@pytest.fixture
def admin_user(db):
    return AdminFactory(username="admin")


@pytest.fixture
def own_account(account_manager):
    return AccountFactory(owner=account_manager, name="Own Ltd")


@pytest.fixture
def foreign_account(stranger):
    return AccountFactory(owner=stranger, name="Foreign Ltd")


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with an empty page cache: a cached page must come from its own data."""
    from django.core.cache import cache

    cache.clear()
