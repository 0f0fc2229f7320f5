"""`python manage.py run_nightly [--as-of YYYY-MM-DD]`: the nightly run, now."""

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kam_portal.limits import date_problem
from segmentation.enums import RunStatus
from segmentation.models import NightlyRun, RiskModelVersion
from segmentation.pipeline import CHUNK_SIZE, RunAlreadyRunning, nightly_run_start


def iso_date(value: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--as-of: {value!r} is not a date in the form YYYY-MM-DD.") from None
    if problem := date_problem(day):
        raise CommandError(f"--as-of: {problem}.")
    return day


def wait_for_run(run: NightlyRun, *, poll: float = 0.5) -> NightlyRun:
    """Poll until the workers complete or fail the run (the task time limits bound this)."""
    while run.status == RunStatus.RUNNING:
        time.sleep(poll)
        run.refresh_from_db()
    return run


class Command(BaseCommand):
    help = "Recompute every customer's churn risk as of a date (default: yesterday)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", type=str, help="YYYY-MM-DD; data after it is ignored.")
        parser.add_argument(
            "--chunk-size", type=int, default=CHUNK_SIZE, help="Customers per parallel chunk."
        )
        parser.add_argument(
            "--wait",
            action="store_true",
            help="With a broker: wait until the workers have finished the run.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = iso_date(str(options["as_of"])) if options["as_of"] else None
        chunk_size = int(options["chunk_size"])
        if chunk_size < 1:
            raise CommandError("--chunk-size must be at least 1.")
        started = time.perf_counter()
        try:
            run = nightly_run_start(as_of=as_of, chunk_size=chunk_size)
        except RunAlreadyRunning as exc:
            raise CommandError(f"Not started: {exc}") from None
        except Exception as exc:  # the run is recorded as failed, with its traceback
            raise CommandError(
                f"The run failed ({type(exc).__name__}: {exc}); the previous results stay "
                "current. The traceback is on the run's record in Django admin."
            ) from exc
        if run.status == RunStatus.RUNNING and options["wait"]:
            run = wait_for_run(run)
        elapsed = time.perf_counter() - started
        if run.status == RunStatus.RUNNING:
            self.stdout.write(
                f"Run {run.pk} as of {run.as_of}: {run.chunks} chunks sent to the workers."
            )
            return
        if run.status == RunStatus.FAILED:
            raise CommandError(f"Run {run.pk} as of {run.as_of} failed: {run.error}")
        self.stdout.write(
            f"Run {run.pk} as of {run.as_of}: {run.status} in {elapsed:.1f} s; "
            f"{run.customers} customers, {run.flagged} flagged, {run.high_risk} high risk."
        )
        version = RiskModelVersion.objects.filter(run=run).first()
        if version is not None:
            self.stdout.write(
                f"Scored with the {version.scorer} scorer ({version.reason}); learned from "
                f"{version.customers} customers as of {version.lookback_as_of}, "
                f"{version.lost} lost in the {version.horizon_days} days after."
            )
