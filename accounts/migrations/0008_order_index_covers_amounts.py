# The (account, order date) index carries revenue and gross profit, and replaces the account's
# own index, which it leads with. Built before the old ones go, so no statement runs without one.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_contact_event_external_ref"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="order",
            index=models.Index(
                fields=["account", "ordered_on"],
                include=("revenue", "gross_profit"),
                name="order_account_date_cover",
            ),
        ),
        migrations.RemoveIndex(
            model_name="order",
            name="order_account_date_idx",
        ),
        migrations.AlterField(
            model_name="order",
            name="account",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="orders",
                to="accounts.account",
            ),
        ),
    ]
