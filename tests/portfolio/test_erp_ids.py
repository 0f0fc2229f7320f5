"""Wherever an account appears in a list or panel, its ERP id is beside its name: two customers
may share a name (the demo's do), never an ERP id."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import Account
from segmentation.enums import RunStatus
from segmentation.models import ManagerCapacity, NightlyRun, RiskSnapshot, SegmentPin
from segmentation.pipeline import nightly_run_start
from tests.factories import AccountFactory, OrderFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def twins(account_manager):
    """Two customers of am1 with the same name."""
    return [
        AccountFactory(owner=account_manager, name="Acme Ltd", external_id=erp)
        for erp in ("ERP-001", "ERP-002")
    ]


def names_with_ids(html: str) -> list[tuple[str, str]]:
    """(name, ERP id) of every account link followed by its ERP id, in page order."""
    pattern = r'<a href="[^"]+">([^<]+)</a> <small class="ltr-id[^>]*data-testid="erp-id">([^<]+)<'
    return re.findall(pattern, html)


def body(client, user, url: str, **params) -> str:
    client.force_login(user)
    response = client.get(url, params)
    assert response.status_code == 200
    return response.text


def test_the_at_risk_panel(client, account_manager, twins):
    run = NightlyRun.objects.create(as_of=TODAY, status=RunStatus.COMPLETE)
    for account in twins:
        RiskSnapshot.objects.create(
            run=run,
            account=account,
            score=Decimal("80.0"),
            level="high",
            flags=[],
            revenue_12m=Decimal("1000"),
            gross_profit_12m=Decimal("100"),
        )
    html = body(client, account_manager, "/")
    panel = html[html.index('data-testid="at-risk"') :]
    assert sorted(names_with_ids(panel)) == [("Acme Ltd", "ERP-001"), ("Acme Ltd", "ERP-002")]


def test_the_overdue_assessments(client, account_manager, twins):
    # Never assessed and in the portfolio since before today: overdue.
    Account.objects.update(created_at=timezone.now() - dt.timedelta(days=2))
    html = body(client, account_manager, "/")
    overdue = html[html.index('data-testid="overdue-assessments"') :]
    assert sorted(names_with_ids(overdue)) == [("Acme Ltd", "ERP-001"), ("Acme Ltd", "ERP-002")]


class TestTheCapacityPage:
    @pytest.fixture
    def ranked(self, account_manager, twins):
        ManagerCapacity.objects.create(user=account_manager, capacity=1)
        for account in twins:
            OrderFactory(account=account, ordered_on=TODAY - dt.timedelta(days=2))
            SegmentPin.objects.create(account=account, segment="grow", reason="x", expires_on=TODAY)
        nightly_run_start(as_of=TODAY - dt.timedelta(days=1))

    def test_the_candidates(self, client, sales_manager, ranked):
        html = body(client, sales_manager, "/segments/capacity/", detail="1")
        assert {erp for _, erp in names_with_ids(html)} == {"ERP-001", "ERP-002"}

    def test_the_what_if(self, client, sales_manager, account_manager, ranked):
        html = body(
            client, sales_manager, "/segments/capacity/", manager=account_manager.pk, capacity=2
        )
        what_if = html[html.index('data-testid="what-if"') :]
        assert len(names_with_ids(what_if)) == 1


def test_the_account_list_has_an_erp_id_column(client, account_manager, twins):
    html = body(client, account_manager, "/accounts/")
    assert re.findall(r'data-testid="erp-id">([^<]+)<', html) == ["ERP-001", "ERP-002"]
