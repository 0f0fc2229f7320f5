from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from accounts.importers import command, customers_import


class Command(BaseCommand):
    def add_arguments(self, parser):
        command.add_arguments(parser)
        parser.description = _(
            "Import customers from a CSV file, upserting on external_id. Columns: external_id, "
            "name, industry, owner_username."
        )

    def handle(self, *args, **options):
        command.handle(self, customers_import, options)
