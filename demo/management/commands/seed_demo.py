"""`manage.py seed_demo`: a deterministic demo portfolio, from a few hundred to 100,000 accounts."""

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from tqdm import tqdm

from accounts.models import Account
from demo.builder import DatabaseNotEmpty, SeedSummary, demo_seed, demo_users_present
from demo.logins import DEFAULT_PASSWORD
from kam_portal.arguments import iso_date, positive_int


class Command(BaseCommand):
    help = (
        "Build a deterministic demo portfolio (users, teams, customers, contacts, orders, "
        "events) in an empty database. The same seed and end date give the same data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--accounts", type=positive_int, default=300)
        parser.add_argument(
            "--orders-per-account", type=positive_int, default=40, help="average per account"
        )
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--password", default=DEFAULT_PASSWORD)
        parser.add_argument(
            "--end-date", type=iso_date, default=None, help="last day of history (default today)"
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="if customer accounts already exist, write nothing and just print the logins",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        password = options["password"]
        if not password:
            raise CommandError(_("--password must not be empty."))
        if options["if_empty"] and Account.objects.exists():
            self.stdout.write(_("Customer accounts already exist: no demo data written."))
            self._print_logins(password)
            return
        summary = self._seed(options, password)
        self._print_summary(summary)
        self._print_logins(password)

    def _seed(self, options: dict[str, Any], password: str) -> SeedSummary:
        end_date = options["end_date"] or timezone.localdate()
        total = options["accounts"]
        bar = tqdm(total=total, unit=" accounts", disable=not sys.stderr.isatty())
        try:
            return demo_seed(
                accounts=total,
                orders_per_account=options["orders_per_account"],
                seed=options["seed"],
                password=password,
                end_date=end_date,
                progress=bar.update,
            )
        except DatabaseNotEmpty as exc:
            raise CommandError(
                _(
                    "The database already holds %(n)d customer accounts; seed_demo only writes "
                    "into an empty one. Use a fresh database or run `manage.py flush` first "
                    "(or pass --if-empty to leave existing data alone)."
                )
                % {"n": exc.accounts}
            ) from None
        finally:
            bar.close()

    def _print_summary(self, s: SeedSummary) -> None:
        self.stdout.write(
            _(
                "Demo data: %(accounts)d accounts, %(orders)d orders, %(contacts)d contacts, "
                "%(events)d events in %(seconds).1f s (%(rate)d rows/s)."
            )
            % {
                "accounts": s.accounts,
                "orders": s.orders,
                "contacts": s.contacts,
                "events": s.events,
                "seconds": s.seconds,
                "rate": s.rows / s.seconds if s.seconds else 0,
            }
        )

    def _print_logins(self, password: str) -> None:
        users = list(demo_users_present())
        if not users:
            self.stdout.write(_("No demo logins in this database."))
            return
        self.stdout.write(_("Demo logins (password for all: %s):") % password)
        for user in users:
            line = f"  {user.username:<10} {user.get_role_display():<16} {user.get_full_name()}"
            self.stdout.write(line)
        self.stdout.write(
            self.style.WARNING(
                _(
                    "Demo use only: these logins and their password are public. Never load "
                    "demo data into a production database."
                )
            )
        )
