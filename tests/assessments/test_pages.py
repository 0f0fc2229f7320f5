"""The assessment blocks on other pages, and query counts that do not grow with the data."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.services import assessment_start
from tests.assessments.conftest import ALL_FOURS, submit_assessment
from tests.factories import AccountFactory, OrderFactory

pytestmark = pytest.mark.django_db
GAP = {"claimed": "grow", "answer": 5, "revenue_growth_pct": "-40.0", "margin_pct": "10"}


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def add_history(account, author, count):
    for month in range(1, count + 1):
        submit_assessment(account=account, by=author, scales=ALL_FOURS, on=dt.date(2025, month, 1))


def test_account_page_shows_the_section_with_score_gap_and_chart(
    client, account_manager, own_account
):
    submit_assessment(
        account=own_account, by=account_manager, scales={5: 1}, on=dt.date(2026, 1, 1)
    )
    submit_assessment(
        account=own_account, by=account_manager, scales=ALL_FOURS, on=dt.date(2026, 3, 1), gap=GAP
    )
    client.force_login(account_manager)
    page = client.get(reverse("accounts:detail", args=[own_account.pk])).content.decode()
    assert 'data-testid="assessments-section"' in page
    assert "75.0" in page and "Perception gap" in page
    assert '<bdi dir="ltr">-40.0%</bdi>' in page
    assert 'id="assessment-chart-data"' in page and "trend_chart.js" in page
    assert reverse("assessments:new", args=[own_account.pk]) in page


def test_account_page_offers_to_continue_a_draft_but_not_to_readers(
    client, account_manager, sales_manager, own_account
):
    draft = assessment_start(account=own_account, by=account_manager)
    client.force_login(account_manager)
    page = client.get(reverse("accounts:detail", args=[own_account.pk])).content.decode()
    assert reverse("assessments:edit", args=[draft.pk]) in page
    client.force_login(sales_manager)
    page = client.get(reverse("accounts:detail", args=[own_account.pk])).content.decode()
    assert reverse("assessments:edit", args=[draft.pk]) not in page
    assert reverse("assessments:new", args=[own_account.pk]) not in page


def test_account_page_queries_do_not_grow_with_history(client, account_manager, own_account):
    client.force_login(account_manager)
    url = reverse("assessments:account", args=[own_account.pk])
    add_history(own_account, account_manager, 1)
    few = queries(client, url)
    add_history(own_account, account_manager, 6)
    print(f"QUERIES account_assessments={few}")
    assert queries(client, url) == few <= 10


def test_form_and_detail_queries_are_bounded(client, account_manager, own_account):
    OrderFactory.create_batch(5, account=own_account)
    submitted = submit_assessment(account=own_account, by=account_manager, scales=ALL_FOURS)
    draft = assessment_start(account=own_account, by=account_manager)
    client.force_login(account_manager)
    edit = queries(client, reverse("assessments:edit", args=[draft.pk]))
    detail = queries(client, reverse("assessments:detail", args=[submitted.pk]))
    print(f"QUERIES edit={edit} detail={detail}")
    assert edit <= 10 and detail <= 10


def test_home_pages_list_overdue_assessments_and_gaps(
    client, account_manager, sales_manager, own_account, stranger
):
    AccountFactory(owner=stranger, name="Not yours Ltd")
    submit_assessment(
        account=own_account, by=account_manager, scales=ALL_FOURS, on=dt.date(2020, 1, 1), gap=GAP
    )
    for user in (account_manager, sales_manager):
        client.force_login(user)
        page = client.get(reverse("home")).content.decode()
        assert 'data-testid="overdue-assessments"' in page, user
        assert "Own Ltd" in page and "Not yours Ltd" not in page
        assert 'data-testid="perception-gaps"' in page


def test_home_page_queries_do_not_grow_with_overdue_accounts(client, account_manager):
    client.force_login(account_manager)
    AccountFactory(owner=account_manager)
    few = queries(client, reverse("home"))
    AccountFactory.create_batch(8, owner=account_manager)
    assert queries(client, reverse("home")) == few


def test_the_form_shows_the_evidence_beside_questions_1_2_and_4(
    client, account_manager, own_account
):
    OrderFactory(account=own_account, ordered_on=dt.date.today() - dt.timedelta(days=10))
    draft = assessment_start(account=own_account, by=account_manager)
    client.force_login(account_manager)
    page = client.get(reverse("assessments:edit", args=[draft.pk])).content.decode()
    assert "not available until segmentation runs" in page
    assert 'data-testid="evidence-q2"' in page and 'data-testid="evidence-q4"' in page
    assert "1,000" in page  # the order's revenue, in the last 12 months
