from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from imports import command


class Command(BaseCommand):
    def add_arguments(self, parser: CommandParser) -> None:
        command.add_arguments(parser)
        parser.description = _(
            "Import orders from a CSV file, upserting on external_ref. Columns: external_ref, "
            "customer_external_id, ordered_on, channel, revenue, gross_profit, price_compared, "
            "product_category."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        command.handle(self, "orders", options)
