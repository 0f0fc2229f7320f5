"""What the import_* commands share: arguments, output, exit status (imports.command adds
--profile and the record of each run)."""

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import TextIO

from django.core.management.base import BaseCommand, CommandError, OutputWrapper
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.importers.pipeline import ImportReport


def add_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("file", type=Path, help=_("the CSV file (UTF-8, header row required)"))
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help=_("check the file and say what would change, without writing anything"),
    )
    parser.add_argument(
        "--skip-invalid",
        action="store_true",
        help=_("write the valid rows and put the rejected ones in <file>.rejects.csv"),
    )


def report_outcome(command: BaseCommand, report: ImportReport, options: dict) -> None:
    """The errors, the summary line, and a non-zero exit when invalid rows stopped it."""
    _print_errors(command, report)
    command.stdout.write(summary(report, dry_run=options["dry_run"]))
    if report.rejected and not options["skip_invalid"]:
        raise CommandError(
            ngettext(
                "%(count)d row is invalid; nothing was imported (fix it, or use --skip-invalid).",
                "%(count)d rows are invalid; nothing was imported "
                "(fix them, or use --skip-invalid).",
                report.rejected,
            )
            % {"count": report.rejected}
        )


def progress_stream(stderr: OutputWrapper) -> TextIO | None:
    """Where to draw the progress bar: the real stderr when the command's stderr is a terminal.

    Not the command's OutputWrapper itself: it would end every redraw of the bar with a newline.
    """
    return sys.stderr if stderr.isatty() else None


def _print_errors(command: BaseCommand, report: ImportReport) -> None:
    for line in report.errors:
        command.stderr.write(line)
    if report.rejected > len(report.errors):
        command.stderr.write(
            _("… and %(more)d more (%(total)d rejected rows in all)")
            % {"more": report.rejected - len(report.errors), "total": report.rejected}
        )


def summary(report: ImportReport, *, dry_run: bool) -> str:
    """The one-line outcome: rows read, created, updated, unchanged, rejected, time and speed."""
    text = _summary_template(report, dry_run=dry_run) % {
        "read": report.rows_read,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "rejected": report.rejected,
        "seconds": report.seconds,
        "rate": report.rows_per_second,
    }
    if report.rejects_path is not None:
        text += " " + _("Rejected rows: %(path)s") % {"path": report.rejects_path}
    return text


def _summary_template(report: ImportReport, *, dry_run: bool) -> str:
    if dry_run:
        return ngettext(
            "Dry run, nothing written: %(read)d row read; would create %(created)d, "
            "update %(updated)d, leave %(unchanged)d unchanged, reject %(rejected)d "
            "(%(seconds).1f s, %(rate).0f rows/s).",
            "Dry run, nothing written: %(read)d rows read; would create %(created)d, "
            "update %(updated)d, leave %(unchanged)d unchanged, reject %(rejected)d "
            "(%(seconds).1f s, %(rate).0f rows/s).",
            report.rows_read,
        )
    if report.written:
        return ngettext(
            "%(read)d row read: %(created)d created, %(updated)d updated, "
            "%(unchanged)d unchanged, %(rejected)d rejected (%(seconds).1f s, %(rate).0f rows/s).",
            "%(read)d rows read: %(created)d created, %(updated)d updated, "
            "%(unchanged)d unchanged, %(rejected)d rejected (%(seconds).1f s, %(rate).0f rows/s).",
            report.rows_read,
        )
    return ngettext(
        "%(read)d row read, %(rejected)d rejected: nothing written "
        "(%(seconds).1f s, %(rate).0f rows/s).",
        "%(read)d rows read, %(rejected)d rejected: nothing written "
        "(%(seconds).1f s, %(rate).0f rows/s).",
        report.rows_read,
    )
