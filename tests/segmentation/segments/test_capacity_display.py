"""What the capacity page and the programme notices say: "Show candidates" without a false
error, and which figure is today's capacity and which comes from the last nightly run."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from segmentation.models import SegmentPin
from segmentation.pipeline import nightly_run_start
from tests.factories import AccountFactory, OrderFactory

pytestmark = pytest.mark.django_db
CAPACITY_URL = "/segments/capacity/"
TODAY = timezone.localdate()
AS_OF = TODAY - dt.timedelta(days=1)


@pytest.fixture
def candidates(account_manager):
    """Four candidates of am1: each pinned to grow, with an order the day before the run."""
    accounts = [AccountFactory(owner=account_manager, name=f"Own {i}") for i in range(1, 5)]
    for i, account in enumerate(accounts, start=1):
        OrderFactory(account=account, ordered_on=AS_OF, revenue=Decimal(i * 1000))
        SegmentPin.objects.create(account=account, segment="grow", reason="x", expires_on=TODAY)
    return accounts


class TestShowCandidates:
    def test_it_lists_the_candidates_without_a_form_error(
        self, client, sales_manager, account_manager, candidates
    ):
        nightly_run_start(as_of=AS_OF)
        client.force_login(sales_manager)
        response = client.get(CAPACITY_URL, {"detail": "1"})
        body = response.text
        assert response.status_code == 200
        assert "This field is required." not in body and "alert-danger" not in body
        assert f'id="m{account_manager.pk}"' in body and "Own 4" in body

    def test_a_what_if_still_names_what_is_wrong(self, client, sales_manager, account_manager):
        client.force_login(sales_manager)
        body = client.get(CAPACITY_URL, {"manager": account_manager.pk}).text
        assert body.count("This field is required.") == 1
