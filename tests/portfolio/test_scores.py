"""Churn probabilities read as whole percentages in every account table, on SQLite (`make run`)
as on PostgreSQL: SQLite returned the list's subquery as a float (0.700000000000000), which the
annotation turns back into the stored Decimal. (Until the learned probability the cell showed
the 0-100 score with one decimal; this file pinned that.)"""

import datetime as dt
import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import Account
from segmentation.churn.selectors import with_risk
from segmentation.enums import RunStatus
from segmentation.models import NightlyRun, RiskSnapshot
from tests.factories import AccountFactory
from tests.support import manage_on_sqlite

SCORES = ("0.007", "0.725", "1.000", "0.030")
SHOWN = ("1%", "73%", "100%", "3%")
# The churn-risk cell of the account table: the probability, then the level's badge.
RISK_CELL = r'<td class="text-nowrap" data-risk="[a-z]+">(.*?)</td>'


def shown_scores(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", " ", cell).split()[0] for cell in re.findall(RISK_CELL, html)]


# Runs inside `manage.py shell` on SQLite: one account per score, then the account list as
# the owner sees it in `language`; prints the page and the annotated scores.
SQLITE_SCRIPT = """
import datetime as dt, json
from decimal import Decimal
from django.test import Client, override_settings
from accounts.models import Account
from segmentation.churn.selectors import with_risk
from segmentation.models import NightlyRun, RiskSnapshot
from users.models import User

scores, language = {scores}, "{language}"
user = User.objects.create(username="am1", role="account_manager", language=language)
run = NightlyRun.objects.create(as_of=dt.date(2026, 10, 31), status="complete")
for i, score in enumerate(scores):
    account = Account.objects.create(external_id=f"C{{i}}", name=f"Customer {{i}}", owner=user)
    RiskSnapshot.objects.create(run=run, account=account, score=Decimal(score) * 100,
                                probability=Decimal(score), level="low",
                                flags=[], revenue_12m="1.10", gross_profit_12m="0.70")
client = Client(HTTP_HOST="localhost")
client.force_login(user)
# No collectstatic here: serve static names unhashed.
plain = {{"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
files = {{"BACKEND": "django.core.files.storage.FileSystemStorage"}}
with override_settings(STORAGES={{"default": files, "staticfiles": plain}}):
    html = client.get("/accounts/").content.decode()
annotated = [str(a.risk_probability) for a in with_risk(Account.objects.order_by("external_id"))]
print(json.dumps({{"html": html, "annotated": annotated}}))
"""


def sqlite_account_list(tmp_path, language: str) -> dict:
    assert manage_on_sqlite(tmp_path, "migrate", "-v0").returncode == 0
    script = SQLITE_SCRIPT.format(scores=list(SCORES), language=language)
    result = manage_on_sqlite(tmp_path, "shell", "-c", script)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.slow
@pytest.mark.parametrize("language", ["en", "he"])
def test_probabilities_read_as_percentages_on_sqlite(tmp_path, language):
    page = sqlite_account_list(tmp_path, language)
    assert sorted(shown_scores(page["html"])) == sorted(SHOWN)
    # At the source too: the annotation is the stored Decimal, not SQLite's float.
    assert page["annotated"] == list(SCORES)


@pytest.mark.django_db
class TestOnPostgresql:
    @pytest.fixture
    def scored(self, account_manager):
        run = NightlyRun.objects.create(as_of=dt.date(2026, 10, 31), status=RunStatus.COMPLETE)
        for i, score in enumerate(SCORES):
            account = AccountFactory(owner=account_manager, external_id=f"C{i}")
            RiskSnapshot.objects.create(
                run=run,
                account=account,
                score=Decimal(score) * 100,
                probability=Decimal(score),
                level="low",
                flags=[],
                revenue_12m="1.10",
                gross_profit_12m="0.70",
            )

    @pytest.mark.parametrize("language", ["en", "he"])
    def test_the_account_list_shows_percentages(self, client, account_manager, scored, language):
        account_manager.language = language
        account_manager.save()
        client.force_login(account_manager)
        html = client.get(reverse("accounts:list")).text
        assert sorted(shown_scores(html)) == sorted(SHOWN)

    def test_the_annotation_is_the_stored_decimal(self, scored):
        accounts = with_risk(Account.objects.order_by("external_id"))
        assert [str(a.risk_probability) for a in accounts] == list(SCORES)
        assert {str(a.risk_gross_profit_12m) for a in accounts} == {"0.70"}
