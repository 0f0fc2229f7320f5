"""What the capacity page and the programme notices say: "Show candidates" without a false
error, and which figure is today's capacity and which comes from the last nightly run."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from segmentation.models import ManagerCapacity, SegmentPin
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


@pytest.fixture
def run_at_two_then_three(account_manager, candidates):
    """The run admitted two of the four by a capacity of 2; the capacity is 3 today."""
    capacity = ManagerCapacity.objects.create(user=account_manager, capacity=2)
    nightly_run_start(as_of=AS_OF)
    capacity.capacity = 3
    capacity.save()


def notice(client, user) -> str:
    client.force_login(user)
    body = client.get("/").text
    start = body.index('data-testid="programme-overloaded"')
    return " ".join(body[start : body.index("</div>", start)].split())


class TestWhichFigureIsWhich:
    def test_the_account_manager_reads_the_run_and_todays_capacity_apart(
        self, client, account_manager, run_at_two_then_three
    ):
        text = notice(client, account_manager)
        day = AS_OF.strftime("%d/%m/%Y")
        assert (
            f"In the nightly run of {day} you had 4 candidate key accounts for 2 places: "
            "2 admitted, 2 on the waitlist."
        ) in text
        assert "Your capacity today is 3; the next nightly run admits by it." in text

    def test_with_an_unchanged_capacity_it_says_only_what_the_run_did(
        self, client, account_manager, candidates
    ):
        ManagerCapacity.objects.create(user=account_manager, capacity=2)
        nightly_run_start(as_of=AS_OF)
        text = notice(client, account_manager)
        assert "for 2 places: 2 admitted, 2 on the waitlist." in text
        assert "capacity today" not in text

    def test_the_sales_manager_reads_where_each_number_comes_from(
        self, client, sales_manager, run_at_two_then_three
    ):
        text = notice(client, sales_manager)
        day = AS_OF.strftime("%d/%m/%Y")
        assert f"Candidates in the nightly run of {day} exceed today's capacity for:" in text
        assert "am1</bdi> (4 candidates, capacity today 3)" in text

    def test_the_capacity_page_labels_each_column(
        self, client, sales_manager, run_at_two_then_three
    ):
        client.force_login(sales_manager)
        body = " ".join(client.get(CAPACITY_URL).text.split())
        day = AS_OF.strftime("%d/%m/%Y")
        assert f"are those of the nightly run of {day}." in body
        assert "Capacity today" in body and "Places in the run" in body
        assert 'data-testid="run-capacity">2 <span class="badge' in body  # changed since

    def test_the_what_if_starts_from_the_runs_places(
        self, client, sales_manager, account_manager, run_at_two_then_three
    ):
        client.force_login(sales_manager)
        body = client.get(CAPACITY_URL, {"manager": account_manager.pk, "capacity": 4}).text
        day = AS_OF.strftime("%d/%m/%Y")
        assert f"am1: from 2 places in the nightly run of {day} to 4" in body

    def test_the_hebrew_notice_is_translated(self, client, account_manager, run_at_two_then_three):
        account_manager.language = "he"
        account_manager.save()
        text = notice(client, account_manager)
        assert "In the nightly run" not in text and "הקיבולת שלך היום היא 3" in text


def test_the_notice_is_cached_but_follows_a_capacity_change_and_a_new_run_at_once(
    client, account_manager, candidates
):
    """The notice is read once per reader, run and version of the data: today's capacity and
    the next run must show on the next page."""
    capacity = ManagerCapacity.objects.create(user=account_manager, capacity=2)
    nightly_run_start(as_of=AS_OF - dt.timedelta(days=1))
    assert "capacity today" not in notice(client, account_manager)
    capacity.capacity = 3
    capacity.save()
    assert "Your capacity today is 3" in notice(client, account_manager)
    nightly_run_start(as_of=AS_OF)
    assert f"nightly run of {AS_OF.strftime('%d/%m/%Y')}" in notice(client, account_manager)
