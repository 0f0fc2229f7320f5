"""`python manage.py export_portfolio FILE.csv [--user USERNAME]`."""

import contextlib
import sys
from typing import TextIO

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kam_portal import spreadsheet
from segmentation.export import EXPORT_COLUMNS, portfolio_rows
from segmentation.models import NightlyRun
from users.models import User


class Command(BaseCommand):
    help = (
        "Write one CSV row per customer with its churn risk from the latest complete nightly run "
        "(FILE '-' writes to standard output)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument(
            "--user", help="Only the customers this user may see (the same rule as the pages)."
        )

    def handle(self, *args: object, **options: object) -> None:
        user = None
        if options["user"]:
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"--user: no user named {options['user']!r}.")
        if NightlyRun.objects.latest_complete() is None:
            self.stderr.write("No complete nightly run yet: risk columns are blank.")
        path = str(options["file"])
        if path == "-":
            with contextlib.suppress(BrokenPipeError):  # the reader (`head`) stopped early
                _write(sys.stdout, user)
            return
        try:
            with open(path, "w", newline="", encoding="utf-8") as handle:
                count = _write(handle, user)
        except OSError as exc:
            raise CommandError(f"Cannot write {path}: {exc.strerror}") from None
        self.stdout.write(f"Wrote {count} customers to {path}.")


def _write(handle: TextIO, user: User | None) -> int:
    # Names and ids come from imports and users: a cell must never run as a formula.
    writer = spreadsheet.DictWriter(handle, fieldnames=EXPORT_COLUMNS)
    writer.writeheader()
    count = 0
    for row in portfolio_rows(user=user):
        writer.writerow(row)
        count += 1
    return count
