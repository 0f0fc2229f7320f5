"""Segmentation inside the nightly run: assignments, reasons, versions, pins, capacity."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command

from accounts.models import Account, AccountStatus
from segmentation.enums import AdmissionRule, Programme, RunStatus
from segmentation.models import (
    DecisionModelVersion,
    ManagerCapacity,
    NightlyRun,
    SegmentAssignment,
    SegmentPin,
    SegmentSettings,
)
from segmentation.pipeline import nightly_run_start
from segmentation.segments import services
from segmentation.segments.capacity import Candidate, admit
from segmentation.segments.decision import DecisionModel
from segmentation.segments.rules import DEFAULT_PRECEDENCE, precedence_rank
from tests.factories import AccountFactory, OrderFactory

AS_OF = dt.date(2026, 10, 31)
pytestmark = pytest.mark.django_db


def assignments(run: NightlyRun) -> dict[int, SegmentAssignment]:
    return {a.account_id: a for a in SegmentAssignment.objects.filter(run=run)}


@pytest.fixture
def base(account_manager):
    """Ten customers of one account manager; customer i buys i x 1,000 a month all year."""
    accounts = [AccountFactory(owner=account_manager) for _ in range(10)]
    for i, account in enumerate(accounts, start=1):
        for month in range(12):
            OrderFactory(
                account=account,
                ordered_on=AS_OF - dt.timedelta(days=30 * month),
                revenue=Decimal(i * 1000),
                gross_profit=Decimal(i * 100),
            )
    return accounts


def test_the_90th_percentile_and_above_is_strategic_with_its_numbers(base):
    run = nightly_run_start(as_of=AS_OF)
    assert run.status == RunStatus.COMPLETE
    result = assignments(run)
    assert len(result) == 10
    top = result[base[-1].pk]
    assert top.segment == "strategic"
    assert top.decision_version.number == 1
    [reason] = top.reasons
    assert reason["code"] == "decision_model"
    assert reason["evidence"]["score_percentile"] == 100
    gp = next(m for m in reason["evidence"]["measures"] if m["measure"] == "gross_profit_12m")
    assert gp == {"measure": "gross_profit_12m", "value": "12000.00", "percentile": 100}
    # Customer 9 of 10 is at the 90th percentile (0.9 of the base at or below it): it qualifies.
    assert [result[a.pk].segment for a in base] == [""] * 8 + ["strategic"] * 2
    assert top.value_at_stake == Decimal("12000.00")
    assert "segmentation_s" in run.timings


def test_inactive_customers_are_not_segmented(base):
    Account.objects.filter(pk=base[0].pk).update(status=AccountStatus.CLOSED)
    run = nightly_run_start(as_of=AS_OF)
    assert base[0].pk not in assignments(run)


def test_each_assignment_records_the_version_it_used(base, admin_user):
    first = nightly_run_start(as_of=AS_OF)
    services.decision_version_create(model=DecisionModel(percentile=50), by=admin_user)
    second = nightly_run_start(as_of=AS_OF + dt.timedelta(days=1))
    assert {a.decision_version.number for a in SegmentAssignment.objects.filter(run=first)} == {1}
    assert {a.decision_version.number for a in SegmentAssignment.objects.filter(run=second)} == {2}
    assert sum(a.segment == "strategic" for a in assignments(second).values()) == 6  # 5..10
    assert DecisionModelVersion.objects.count() == 2


def test_a_pin_applies_until_it_expires(base, sales_manager):
    pinned = base[0]
    services.segment_pin_create(
        account=pinned, segment="defend", reason="Buyer left", expires_on=AS_OF, by=sales_manager
    )
    run = nightly_run_start(as_of=AS_OF)
    a = assignments(run)[pinned.pk]
    assert (a.segment, a.pin.reason) == ("defend", "Buyer left")
    later = nightly_run_start(as_of=AS_OF + dt.timedelta(days=1))
    a = assignments(later)[pinned.pk]
    assert (a.segment, a.pin) == ("", None)


def test_a_pin_is_audited(base, sales_manager):
    pin = services.segment_pin_create(
        account=base[0], segment="grow", reason="New plant", expires_on=AS_OF, by=sales_manager
    )
    assert pin.history.get().history_user == sales_manager


def test_capacity_admits_the_best_and_waitlists_the_rest(base, account_manager, admin_user):
    services.decision_version_create(model=DecisionModel(percentile=50), by=admin_user)
    services.capacity_set(user=account_manager, capacity=4, by=admin_user)
    run = nightly_run_start(as_of=AS_OF)
    result = assignments(run)
    ranked = [result[a.pk] for a in reversed(base[4:])]  # the six strategic, most profit first
    assert [a.programme_rank for a in ranked] == [1, 2, 3, 4, 5, 6]
    assert [a.programme for a in ranked] == [Programme.ADMITTED] * 4 + [Programme.WAITLISTED] * 2
    assert {a.capacity for a in ranked} == {4}
    assert {result[a.pk].programme for a in base[:4]} == {Programme.NO}


@pytest.mark.parametrize("rule", AdmissionRule.values)
def test_stored_admission_follows_the_pure_rule(base, account_manager, admin_user, rule):
    services.decision_version_create(model=DecisionModel(percentile=30), by=admin_user)
    services.segment_pin_create(
        account=base[0], segment="defend", reason="x", expires_on=AS_OF, by=admin_user
    )
    SegmentSettings.objects.update_or_create(
        pk=1, defaults={"default_capacity": 3, "admission_rule": rule}
    )
    run = nightly_run_start(as_of=AS_OF)
    rows = SegmentAssignment.objects.filter(run=run).exclude(segment="")
    pure = admit(
        [
            Candidate(
                r.account_id,
                precedence_rank(r.segment, DEFAULT_PRECEDENCE),
                r.value_at_stake,
                r.programme_value,
            )
            for r in rows
        ],
        capacity=3,
        rule=rule,
    )
    assert [
        (r.account_id, r.programme_rank, r.programme) for r in rows.order_by("programme_rank")
    ] == [tuple(a) for a in pure]
    assert {r.admission_rule for r in rows} == {rule}
    if rule == AdmissionRule.PRECEDENCE:
        assert pure[0].account_id == base[0].pk  # the pinned defend customer ranks first
    else:  # the strategic customers' gross profit outweighs the defend one's expected loss
        admitted = [r for r in rows.order_by("programme_rank") if r.programme == "admitted"]
        assert [r.account_id for r in admitted] == [a.pk for a in base[:-4:-1]]
        assert {r.value_segment for r in admitted} == {"strategic"}
        assert all(r.programme_value == r.value_at_stake for r in admitted)


def test_a_customer_without_an_account_manager_waits(base):
    orphan = AccountFactory(owner=None)
    SegmentPin.objects.create(account=orphan, segment="grow", reason="x", expires_on=AS_OF)
    run = nightly_run_start(as_of=AS_OF)
    a = assignments(run)[orphan.pk]
    assert (a.programme, a.capacity) == (Programme.WAITLISTED, None)


def test_capacity_is_per_account_manager(base, teammate):
    other = [AccountFactory(owner=teammate) for _ in range(2)]
    for account in other:
        SegmentPin.objects.create(account=account, segment="grow", reason="x", expires_on=AS_OF)
    ManagerCapacity.objects.create(user=teammate, capacity=1)
    run = nightly_run_start(as_of=AS_OF)
    result = assignments(run)
    assert [result[a.pk].programme for a in other] == [Programme.ADMITTED, Programme.WAITLISTED]
    assert result[base[-1].pk].programme == Programme.ADMITTED


def test_a_failed_segmentation_fails_the_whole_run(base, monkeypatch):
    previous = nightly_run_start(as_of=AS_OF)

    def broken(run):
        raise RuntimeError("boom")

    monkeypatch.setattr("segmentation.pipeline.FINAL_STEPS", [broken])
    with pytest.raises(RuntimeError):
        nightly_run_start(as_of=AS_OF + dt.timedelta(days=1))
    assert NightlyRun.objects.latest_complete() == previous
    assert NightlyRun.objects.filter(status=RunStatus.FAILED).count() == 1
    assert SegmentAssignment.objects.exclude(run=previous).count() == 0


def test_the_whole_pipeline_on_seeded_data(db):
    call_command("seed_demo", accounts=200, end_date=AS_OF, verbosity=0)
    run = nightly_run_start(as_of=AS_OF)
    rows = SegmentAssignment.objects.filter(run=run)
    active = Account.objects.filter(status=AccountStatus.ACTIVE).count()
    assert rows.count() == active
    segments = set(rows.values_list("segment", flat=True))
    assert {"defend", "strategic", "grow"} <= segments
    for a in rows.exclude(segment=""):
        assert a.reasons or a.pin_id, a
        assert a.programme in (Programme.ADMITTED, Programme.WAITLISTED)
    assert not rows.filter(segment="").exclude(programme=Programme.NO).exists()


def test_small_write_batches_give_the_same_result(base, teammate, monkeypatch):
    for _ in range(3):
        AccountFactory(owner=teammate)
    AccountFactory(owner=None)
    whole = nightly_run_start(as_of=AS_OF)
    expected = {
        a.account_id: (a.segment, a.programme, a.programme_rank)
        for a in SegmentAssignment.objects.filter(run=whole)
    }
    original = services._write_assignments
    monkeypatch.setattr(
        services, "_write_assignments", lambda inputs, **kw: original(inputs, **kw, batch=2)
    )
    batched = nightly_run_start(as_of=AS_OF)
    got = {
        a.account_id: (a.segment, a.programme, a.programme_rank)
        for a in SegmentAssignment.objects.filter(run=batched)
    }
    assert got == expected and len(got) == 14
