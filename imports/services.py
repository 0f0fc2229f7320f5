"""Writes of imports: upload, choose the columns, dry run, confirm, import, cancel; profiles.

The page and the management commands run the same `import_run_execute`, which runs the one
pipeline (accounts.importers.run_import) and records the outcome on the ImportRun. The tasks
(imports.tasks) are thin wrappers over `import_run_check` and `import_run_apply`.
"""

import datetime as dt
import logging
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TextIO

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.importers import (
    SPECS,
    ImportCancelled,
    ImportFileError,
    ImportOptions,
    run_import,
    staging,
)
from accounts.importers.csvfile import read_header
from accounts.importers.formats import Formats
from accounts.importers.pipeline import ImportReport
from accounts.importers.scope import scope_for
from imports import progress, uploads
from imports.models import ImportProfile, ImportRun, ImportSource, ImportStatus
from users.models import User

logger = logging.getLogger(__name__)


def suggested_mapping(kind: str, header: list[str]) -> dict[str, str]:
    """Each portal column -> the file column of the same name (any case), or "" if none."""
    by_name = {name.casefold(): name for name in header}
    return {name: by_name.get(name.casefold(), "") for name in SPECS[kind].names}


def import_run_upload(
    *, user: User, kind: str, file_name: str, path: Path, profile: ImportProfile | None
) -> ImportRun:
    """Record an uploaded file (already stored at `path`) and read its header: the run waits
    for its columns to be chosen, pre-filled from `profile` or by name."""
    run = ImportRun(kind=kind, source=ImportSource.PAGE, created_by=user, profile=profile)
    run.file_name, run.path = file_name[:255], str(path)
    try:
        run.header = read_header(path)
    except ImportFileError as exc:
        run.status, run.error, run.finished_at = ImportStatus.FAILED, str(exc), timezone.now()
        uploads.remove(run.path)
    if profile is not None:
        run.mapping = {name: profile.mapping.get(name, "") for name in SPECS[kind].names}
        run.date_format, run.number_format = profile.date_format, profile.number_format
    else:
        run.mapping = suggested_mapping(kind, run.header)
    run.save()
    return run


def import_run_configure(
    *,
    run: ImportRun,
    mapping: Mapping[str, str],
    formats: Formats,
    skip_invalid: bool,
    start_check: Callable[[int], object],
) -> bool:
    """Keep how the file is to be read and start the dry run (`start_check(run.pk)`, after the
    commit). False when the run is no longer waiting for that (already importing or over)."""
    claimed = ImportRun.objects.filter(
        pk=run.pk, status__in=(ImportStatus.UPLOADED, ImportStatus.CHECKED)
    ).update(
        mapping=dict(mapping),
        date_format=formats.date,
        number_format=formats.number,
        skip_invalid=skip_invalid,
        status=ImportStatus.CHECKING,
        cancel_requested=False,
        errors=[],
        error="",
    )
    if claimed:
        progress.clear(run.pk)
        transaction.on_commit(lambda: start_check(run.pk))
    return bool(claimed)


def import_run_confirm(*, run: ImportRun, start_apply: Callable[[int], object]) -> bool:
    """Start the import of a checked run (once: a second click finds it importing)."""
    claimed = ImportRun.objects.filter(pk=run.pk, status=ImportStatus.CHECKED).update(
        status=ImportStatus.IMPORTING
    )
    if claimed:
        progress.clear(run.pk)
        transaction.on_commit(lambda: start_apply(run.pk))
    return bool(claimed)


def import_run_cancel(*, run: ImportRun) -> bool:
    """Ask a running dry run or import to stop; it then writes nothing. A run waiting for its
    columns or for its confirmation is simply closed (discarded)."""
    waiting = (ImportStatus.UPLOADED, ImportStatus.CHECKED)
    if ImportRun.objects.filter(pk=run.pk, status__in=waiting).update(
        status=ImportStatus.CANCELLED, finished_at=timezone.now()
    ):
        _release(run)
        return True
    asked = ImportRun.objects.filter(
        Q(status__in=(ImportStatus.CHECKING, ImportStatus.IMPORTING)), pk=run.pk
    ).update(cancel_requested=True)
    if asked:
        progress.request_cancel(run.pk)
    return bool(asked)


def import_run_check(*, run_id: int) -> None:
    """The dry-run task's body: what the import would do, writing nothing."""
    _run_task(run_id, ImportStatus.CHECKING, dry_run=True)


def import_run_apply(*, run_id: int) -> None:
    """The import task's body."""
    _run_task(run_id, ImportStatus.IMPORTING, dry_run=False)


def _run_task(run_id: int, expected: str, *, dry_run: bool) -> None:
    run = ImportRun.objects.filter(pk=run_id, status=expected).select_related("created_by").first()
    if run is None:  # gone, or a second delivery of a task already done
        return
    # The report's messages are kept as text: in the importer's language, as the page shows.
    language = run.created_by.language if run.created_by else settings.LANGUAGE_CODE
    try:
        with translation.override(language):
            import_run_execute(run=run, dry_run=dry_run)
    except (ImportFileError, ImportCancelled):
        pass  # recorded on the run
    except Exception:  # recorded too; the traceback goes to the worker's log
        logger.exception("Import %s failed.", run_id)


def staging_table(run: ImportRun) -> str:
    """The table where a page's dry run leaves the parsed rows for its import."""
    return f"import_staging_run_{run.pk}"


def options_for(run: ImportRun, *, live: bool, dry_run: bool = True) -> ImportOptions:
    """How `run` reads its file; `live`: the page's, with its progress and cancel hooks and
    the dry run's staged rows, which the import reuses rather than read the file again."""
    if live:
        run_id = run.pk
        return ImportOptions(
            mapping=run.mapping,
            formats=Formats(run.date_format, run.number_format),
            scope=scope_for(run.created_by) if run.created_by else None,
            on_progress=lambda stage, done, total: progress.report(run_id, stage, done, total),
            should_cancel=lambda: progress.cancel_requested(run_id),
            staging_table=staging_table(run),
            staged_rows=None if dry_run else run.rows_read,
        )
    return ImportOptions(
        mapping=run.mapping, formats=Formats(run.date_format, run.number_format), scope=None
    )


def import_run_execute(
    *, run: ImportRun, dry_run: bool, stream: TextIO | None = None
) -> ImportReport:
    """Run the pipeline over `run`'s file and record how it ended, whatever happens: the
    report, or the file's error, a cancel or an unexpected failure (each re-raised)."""
    if run.cancel_requested or progress.cancel_requested(run.pk):
        _finish(run, ImportStatus.CANCELLED)
        raise ImportCancelled
    options = options_for(run, live=run.source == ImportSource.PAGE, dry_run=dry_run)
    try:
        report = run_import(
            spec=SPECS[run.kind],
            path=Path(run.path),
            dry_run=dry_run,
            skip_invalid=run.skip_invalid,
            progress=stream,
            options=options,
        )
    except ImportFileError as exc:
        _finish(run, ImportStatus.FAILED, error=str(exc))
        raise
    except ImportCancelled:
        _finish(run, ImportStatus.CANCELLED)
        raise
    except Exception as exc:
        _finish(run, ImportStatus.FAILED, error=_("unexpected error: %(error)s") % {"error": exc})
        raise
    _record(run, report, dry_run=dry_run)
    return report


def _record(run: ImportRun, report: ImportReport, *, dry_run: bool) -> None:
    run.rows_read, run.created, run.updated = report.rows_read, report.created, report.updated
    run.unchanged, run.rejected, run.seconds = report.unchanged, report.rejected, report.seconds
    run.errors = report.errors
    run.rejects_path = str(report.rejects_path or "")
    if dry_run:
        status = ImportStatus.CHECKED
    else:
        status = ImportStatus.DONE if report.written else ImportStatus.REFUSED
    _finish(run, status)


def _finish(run: ImportRun, status: str, *, error: str = "") -> None:
    """Record the outcome; a page's finished run no longer needs its upload (the rejects file,
    if any, stays for download). A dry run's run waits for confirmation instead."""
    run.status, run.error = status, error
    finished = status != ImportStatus.CHECKED or run.source == ImportSource.COMMAND
    if finished:
        run.finished_at = timezone.now()
    run.save()
    if finished and run.source == ImportSource.PAGE:
        _release(run)


def _release(run: ImportRun) -> None:
    """What a page's run holds until it ends: its upload, its staged rows, its progress."""
    uploads.remove(run.path)
    staging.drop(staging_table(run))
    progress.clear(run.pk)


def import_runs_expire(*, before: dt.datetime) -> int:
    """Close the page's runs left waiting (for their columns or their confirmation) since
    before `before`, releasing their files and staged rows; how many."""
    waiting = ImportRun.objects.filter(
        source=ImportSource.PAGE,
        status__in=(ImportStatus.UPLOADED, ImportStatus.CHECKED),
        created_at__lt=before,
    )
    expired = 0
    for run in waiting:
        if ImportRun.objects.filter(pk=run.pk, status=run.status).update(
            status=ImportStatus.CANCELLED, finished_at=timezone.now()
        ):
            _release(run)
            expired += 1
    return expired


def import_profile_save(
    *, user: User, kind: str, name: str, mapping: Mapping[str, str], formats: Formats
) -> ImportProfile:
    """Create or replace the profile `name` for `kind` (callers check who may replace it)."""
    profile, _created = ImportProfile.objects.update_or_create(
        kind=kind,
        name=name,
        defaults={
            "mapping": {key: value for key, value in mapping.items() if value},
            "date_format": formats.date,
            "number_format": formats.number,
        },
        create_defaults={
            "mapping": {key: value for key, value in mapping.items() if value},
            "date_format": formats.date,
            "number_format": formats.number,
            "created_by": user,
        },
    )
    return profile


def may_replace_profile(*, user: User, profile: ImportProfile) -> bool:
    return user.is_admin_role or profile.created_by_id == user.pk
