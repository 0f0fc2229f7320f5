"""The web app when PostgreSQL cuts its connections: it reconnects, and a change that was cut
half way is not half applied. (Connections are terminated from PostgreSQL; the shared server is
never restarted.)"""

import datetime as dt
import threading

import psycopg
import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import OperationalError, connection
from django.test import RequestFactory
from django.utils import timezone

from segmentation.models import SegmentPin
from segmentation.segments.services import segment_pin_create

pytestmark = pytest.mark.django_db(transaction=True)


def admin_dsn() -> str:
    db = connection.settings_dict
    return f"host={db['HOST']} port={db['PORT']} user={db['USER']} dbname={db['NAME']}"


def terminate_the_apps_connections() -> int:
    """End every connection to the test database but the admin's doing it, as a database
    administrator (or a failover) would."""
    with psycopg.connect(admin_dsn(), autocommit=True) as admin:
        rows = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()
    return len(rows)


def serve(path: str, *, session: str) -> int:
    """One request through Django's WSGI handler, as gunicorn calls it (the test client skips
    the per-request connection check this is about), on this thread's kept connection."""
    environ = RequestFactory().get(path).environ
    environ["HTTP_COOKIE"] = f"{settings.SESSION_COOKIE_NAME}={session}"
    status: list[str] = []
    body = WSGIHandler()(environ, lambda s, headers, *_: status.append(s))
    body.close()  # as a server does: fires request_finished
    return int(status[0].split()[0])


def test_pages_still_answer_after_the_database_drops_every_connection(
    client, account_manager, own_account
):
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] > 0  # connections are kept
    client.force_login(account_manager)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    url = f"/accounts/{own_account.pk}/"
    assert serve(url, session=session) == 200
    kept = connection.connection
    assert kept is not None and terminate_the_apps_connections() >= 1
    for _ in range(3):
        assert serve(url, session=session) == 200  # checked, found dead, reconnected
    assert connection.connection is not kept


def test_a_change_cut_half_way_is_not_half_applied(own_account, sales_manager):
    """A new pin ends the pin in force, then saves itself: cut between the two, neither
    happens. The history table is held locked so the service stops after its first write."""
    today = timezone.localdate()
    old = segment_pin_create(
        account=own_account, segment="grow", reason="Before", expires_on=today, by=sales_manager
    )
    errors: list[BaseException] = []

    def pin_in_another_session() -> None:
        try:
            segment_pin_create(
                account=own_account, segment="defend", reason="Cut", by=sales_manager,
                expires_on=today + dt.timedelta(days=30),
            )  # fmt: skip
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    with psycopg.connect(admin_dsn()) as locker:
        locker.execute("LOCK TABLE segmentation_historicalsegmentpin IN ACCESS EXCLUSIVE MODE")
        worker = threading.Thread(target=pin_in_another_session)
        worker.start()
        _wait_for_a_blocked_session(locker)
        with psycopg.connect(admin_dsn(), autocommit=True) as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
        locker.rollback()
        worker.join(timeout=30)
    assert errors and isinstance(errors[0], OperationalError)
    old.refresh_from_db()
    assert old.ended_at is None  # the first write was rolled back with the cut
    assert list(SegmentPin.objects.values_list("reason", flat=True)) == ["Before"]


def _wait_for_a_blocked_session(locker: psycopg.Connection, timeout: float = 10) -> None:
    deadline = timezone.now() + dt.timedelta(seconds=timeout)
    with psycopg.connect(admin_dsn(), autocommit=True) as watcher:
        while timezone.now() < deadline:
            waiting = watcher.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            ).fetchone()[0]
            if waiting:
                return
            locker.execute("SELECT 1")  # keep the lock's transaction open
    raise AssertionError("the service never reached the locked table")
