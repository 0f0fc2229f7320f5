"""`python manage.py refresh_account_months`: rebuild the monthly rollup from the orders."""

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from accounts.models import AccountMonth
from accounts.rollup import account_months_refresh


class Command(BaseCommand):
    help = (
        "Rebuild every customer's revenue, gross profit and orders per month from the orders "
        "(the imports keep it current; run this after writing orders any other way)."
    )

    def handle(self, *args: object, **options: object) -> None:
        with transaction.atomic():
            account_months_refresh()
        if connection.vendor == "postgresql":  # fresh statistics for the dashboard's plans
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE accounts_accountmonth")
        self.stdout.write(f"{AccountMonth.objects.count()} customer-months rebuilt.")
