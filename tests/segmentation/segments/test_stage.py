"""The nightly run's chunks stage each customer's order measures and relationship score for
the final step, from the churn features' pass over the orders: the staged measures equal those
the preview reads from the orders, a retried chunk does not duplicate them, and no stage row
outlives its run, complete or failed."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import AccountStatus
from segmentation import pipeline
from segmentation.churn.selectors import risk_config_get
from segmentation.enums import RunStatus
from segmentation.models import NightlyRun, SegmentAssignment, SegmentMeasureStage
from segmentation.pipeline import nightly_run_start
from segmentation.segments.decision import DecisionModel
from segmentation.segments.measures import customer_measures
from segmentation.segments.rules import SegmentConfig
from tests.factories import AccountEventFactory, AccountFactory, OrderFactory
from tests.support import stored_assessment

AS_OF = dt.date(2026, 10, 31)
pytestmark = pytest.mark.django_db
ALL_MEASURES = DecisionModel(
    weights=dict.fromkeys(("revenue_12m", "gross_profit_12m", "regularity", "yoy_growth"), 1.0)
    | {"gross_margin": 2.0, "orders_12m": 0.5}
)


@pytest.fixture
def base():
    """Six peers in one industry with different rhythms, categories and trends, a closed
    customer, one without orders, an order after as-of that must change nothing, and
    relationship assessments: a fall, a single poor one, and a latest submission without a
    score (which says nothing, so the one before it counts)."""
    accounts = [AccountFactory(industry="Retail") for _ in range(6)]
    categories = ["Tools", "Packaging", "Spare parts", ""]
    for i, account in enumerate(accounts):
        for k in range(3 + 4 * i):
            OrderFactory(
                account=account,
                ordered_on=AS_OF - dt.timedelta(days=(k * 53 + i * 7) % 700),
                revenue=Decimal(100 + 37 * k + i),
                gross_profit=Decimal(10 + 3 * k),
                product_category=categories[(i + k) % (1 + i % 4)],
            )
    OrderFactory(account=accounts[0], ordered_on=AS_OF + dt.timedelta(days=1), revenue=10**6)
    AccountFactory(industry="Retail")  # no orders
    closed = AccountFactory(industry="Retail", status=AccountStatus.CLOSED)
    OrderFactory(account=closed, ordered_on=AS_OF, product_category="Tools")
    scored = [("80", "55.5"), ("35",), ("70", "60", None)]
    for account, scores in zip(accounts[:3], scored, strict=True):
        for days_ago, score in enumerate(reversed(scores)):
            stored_assessment(account, score, noon(AS_OF - dt.timedelta(days=30 * days_ago + 5)))
    stored_assessment(accounts[3], "20", noon(AS_OF + dt.timedelta(days=1)))  # after as-of: ignored
    # Churn flags that are defend evidence, and one that is not (a note).
    for account, kind in [
        (accounts[1], "competitor"),
        (accounts[4], "complaint"),
        (accounts[5], "note"),
    ]:
        AccountEventFactory(account=account, kind=kind, occurred_on=AS_OF - dt.timedelta(days=12))
    return accounts


def noon(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def measures(run: NightlyRun, *, staged: bool) -> list:
    c = SegmentConfig(peer_share_pct=30, min_peers=3)
    return list(
        customer_measures(as_of=AS_OF, run_id=run.pk, c=c, model=ALL_MEASURES, staged=staged)
    )


def new_run() -> NightlyRun:
    return pipeline.nightly_run_claim(as_of=AS_OF, config=risk_config_get())


def stage_in_two_chunks(run: NightlyRun, accounts: list) -> None:
    middle = accounts[2].pk
    pipeline.risk_chunk_step(run, 0, middle)
    pipeline.risk_chunk_step(run, middle + 1, 10**9)


def test_staged_measures_equal_the_measures_read_from_the_orders(base):
    run = new_run()
    stage_in_two_chunks(run, base)
    from_orders = measures(run, staged=False)
    assert any(m.missing_categories for m in from_orders)  # the peer comparison is exercised
    assert any(m.missing_revenue for m in from_orders)  # and the peers' median revenue
    flagged = {m.account_id: set(m.risk_flags) for m in from_orders if m.risk_flags}
    assert flagged == {
        base[0].pk: {"relationship_falling"},
        base[1].pk: {"competitor", "poor_relationship"},
        base[4].pk: {"complaints"},
    }
    assert measures(run, staged=True) == from_orders
    # Every customer of the chunks gets a row, the closed one and the one without orders too.
    assert SegmentMeasureStage.objects.filter(run=run).count() == 8


def test_the_staged_assessment_evidence_is_the_latest_scored_submission(base):
    run = new_run()
    stage_in_two_chunks(run, base)
    by_id = {m.account_id: m.risk_flags for m in measures(run, staged=True)}
    falling = by_id[base[0].pk]["relationship_falling"]  # 80, then 55.5
    assert (falling["score"], falling["previous_score"], falling["drop"]) == (55.5, 80, 24.5)
    assert by_id[base[1].pk]["poor_relationship"]["score"] == 35  # one assessment, no change
    assert by_id[base[2].pk] == {}  # the unscored latest is skipped: 70 then 60 is no alarm
    assert by_id[base[3].pk] == {}  # submitted after as-of only


def test_a_retried_chunk_replaces_its_stage_rows(base):
    run = new_run()
    stage_in_two_chunks(run, base)
    pipeline.risk_chunk_step(run, 0, base[2].pk)
    assert SegmentMeasureStage.objects.filter(run=run).count() == 8
    assert measures(run, staged=True) == measures(run, staged=False)


def test_a_complete_run_leaves_no_stage_rows(base):
    leftover = NightlyRun.objects.create(as_of=AS_OF, status=RunStatus.FAILED)
    SegmentMeasureStage.objects.create(
        run=leftover, account_id=base[0].pk, revenue_12m=1, gross_profit_12m=1,
        revenue_prev_12m=1, orders_12m=1, months_ordered=1,
    )  # fmt: skip
    run = nightly_run_start(as_of=AS_OF, chunk_size=3)
    assert run.status == RunStatus.COMPLETE
    assert SegmentAssignment.objects.filter(run=run).count() == 7
    assert not SegmentMeasureStage.objects.exists()


def test_a_failure_in_the_final_step_leaves_the_previous_run_and_no_stage_rows(base, monkeypatch):
    done = nightly_run_start(as_of=AS_OF)
    before = sorted(SegmentAssignment.objects.filter(run=done).values_list("account_id", "segment"))
    monkeypatch.setattr(pipeline, "FINAL_STEPS", [*pipeline.FINAL_STEPS, lambda run: 1 / 0])
    with pytest.raises(ZeroDivisionError):
        nightly_run_start(as_of=AS_OF, chunk_size=3)
    failed = NightlyRun.objects.get(status=RunStatus.FAILED)
    assert not SegmentAssignment.objects.filter(run=failed).exists()
    assert not SegmentMeasureStage.objects.exists()
    assert NightlyRun.objects.latest_complete() == done
    after = sorted(SegmentAssignment.objects.filter(run=done).values_list("account_id", "segment"))
    assert after == before


def test_the_final_step_without_stage_rows_reads_the_orders(base):
    """A run whose chunks did not stage (started before an upgrade, or a direct call) still
    segments every customer on its real measures."""
    staged = nightly_run_start(as_of=AS_OF)
    run = new_run()
    pipeline.risk_chunk_step(run, 0, 10**9)
    SegmentMeasureStage.objects.filter(run=run).delete()
    pipeline.segmentation_step(run)
    columns = ("account_id", "segment", "reasons", "programme", "programme_rank")
    rows = SegmentAssignment.objects.order_by("account_id").values_list(*columns)
    assert list(rows.filter(run=run)) == list(rows.filter(run=staged))
