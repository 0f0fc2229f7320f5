from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from imports import command


class Command(BaseCommand):
    def add_arguments(self, parser: CommandParser) -> None:
        command.add_arguments(parser)
        parser.description = _(
            "Import customers from a CSV file, upserting on external_id. Columns: external_id, "
            "name, industry, owner_username."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        command.handle(self, "customers", options)
