"""What the import_* commands share: their arguments (with --profile), the run's record, and
the output and exit status of accounts.importers.command."""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from accounts.importers import ImportFileError, command
from imports.models import ImportProfile, ImportRun, ImportSource, ImportStatus
from imports.services import import_run_execute


def add_arguments(parser: ArgumentParser) -> None:
    command.add_arguments(parser)
    parser.add_argument(
        "--profile",
        metavar="NAME",
        help=_(
            "read the file through this saved import profile: its column mapping, date and "
            "number formats (see the imports page)"
        ),
    )


def handle(cmd: BaseCommand, kind: str, options: dict[str, Any]) -> None:
    """Run the import as the page does (one pipeline), recorded in the imports history."""
    path: Path = options["file"]
    profile = _profile(kind, options.get("profile"))
    dry_run = options["dry_run"]
    run = ImportRun.objects.create(
        kind=kind,
        source=ImportSource.COMMAND,
        file_name=path.name[:255],
        path=str(path.resolve())[:1024],
        profile=profile,
        mapping=profile.mapping if profile else None,
        date_format=profile.date_format if profile else ImportRun.date_format.field.default,
        number_format=profile.number_format if profile else ImportRun.number_format.field.default,
        skip_invalid=options["skip_invalid"],
        dry_run=dry_run,
        status=ImportStatus.CHECKING if dry_run else ImportStatus.IMPORTING,
    )
    try:
        report = import_run_execute(
            run=run, dry_run=dry_run, stream=command.progress_stream(cmd.stderr)
        )
    except ImportFileError as exc:
        message = _("%(file)s: %(problem)s") % {"file": path, "problem": exc}
        raise CommandError(message) from None
    command.report_outcome(cmd, report, options)


def _profile(kind: str, name: str | None) -> ImportProfile | None:
    if not name:
        return None
    profile = ImportProfile.objects.filter(kind=kind, name=name).first()
    if profile is None:
        names = ", ".join(ImportProfile.objects.filter(kind=kind).values_list("name", flat=True))
        raise CommandError(
            _('--profile: there is no %(kind)s profile named "%(name)s" (there are: %(names)s)')
            % {"kind": kind, "name": name, "names": names or "—"}
        )
    return profile
