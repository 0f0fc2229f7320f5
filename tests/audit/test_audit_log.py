"""The audit log: who changed what and when, for admins everything, for a sales manager the
accounts of their teams; bulk paths as one entry per run."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from audit import views
from segmentation.churn.models import RiskSettings
from segmentation.models import SegmentSettings
from segmentation.pipeline import nightly_run_start
from segmentation.segments.services import capacity_set, segment_pin_create
from tests.factories import OrderFactory

pytestmark = pytest.mark.django_db
URL = "/audit/"


def entries(html: str) -> list[str]:
    return [
        re.sub(r"\s+", " ", row)
        for row in re.findall(r'data-testid="audit-entry">(.*?)</tr>', html, re.S)
    ]


def test_a_settings_change_shows_who_and_each_field_before_and_after(client, admin_user):
    client.force_login(admin_user)
    RiskSettings.load().save()
    row = RiskSettings.load()
    row.high_level, row._history_user = 70, admin_user
    row.save()
    [latest, first] = entries(client.get(URL).text)[:2]
    assert "Churn-risk settings" in latest and str(admin_user) in latest
    assert "60 → 70" in latest and "first saved" in first


def test_in_hebrew_before_and_after_read_right_to_left(client, admin_user):
    """Found in the browser: "60 → 70" in a right-to-left line points from the new value back
    to the old one; Hebrew reads "60 ← 70"."""
    admin_user.language = "he"
    admin_user.save(update_fields=["language"])
    client.force_login(admin_user)
    RiskSettings.load().save()
    row = RiskSettings.load()
    row.high_level, row._history_user = 70, admin_user
    row.save()
    [latest, *_older] = entries(client.get(URL).text)
    assert "60 ← 70" in latest and "→" not in latest


def test_capacities_pins_and_runs_are_logged(
    client, admin_user, sales_manager, account_manager, own_account
):
    capacity_set(user=account_manager, capacity=7, by=admin_user)
    segment_pin_create(
        account=own_account, segment="grow", reason="Board decision",
        expires_on=timezone.localdate() + dt.timedelta(days=30), by=sales_manager,
    )  # fmt: skip
    OrderFactory(account=own_account, ordered_on=timezone.localdate())
    nightly_run_start(as_of=timezone.localdate())
    client.force_login(admin_user)
    text = " ".join(entries(client.get(URL).text))
    assert f"Capacity of {account_manager}: 7" in text
    assert "Pinned Own Ltd" in text and "Board decision" in text
    assert re.search(r"Nightly run as of .*: Complete, 1 customers", text)
    # One entry for the run, not one per customer it scored.
    assert text.count("Nightly run as of") == 1


def test_a_sales_manager_sees_only_their_accounts_changes(
    client, admin_user, sales_manager, own_account, foreign_account
):
    expires = timezone.localdate() + dt.timedelta(days=30)
    for account in (own_account, foreign_account):
        segment_pin_create(
            account=account, segment="grow", reason="R", expires_on=expires, by=admin_user
        )
    SegmentSettings.load().save()
    client.force_login(sales_manager)
    text = " ".join(entries(client.get(URL).text))
    assert "Own Ltd" in text and "Foreign Ltd" not in text
    assert "Segment settings" not in text and "Nightly run" not in text


def test_account_managers_have_no_audit_page(client, account_manager):
    client.force_login(account_manager)
    assert client.get(URL).status_code == 403


def test_older_changes_page_through_everything_once(
    client, admin_user, account_manager, monkeypatch
):
    monkeypatch.setattr(views, "PAGE_SIZE", 3)
    for capacity in range(1, 8):
        capacity_set(user=account_manager, capacity=capacity, by=admin_user)
    client.force_login(admin_user)
    seen, url = [], URL
    while url:
        html = client.get(url).text
        seen += entries(html)
        older = re.search(r'href="(\?before=[^"]+)" data-testid="audit-older"', html)
        url = URL + older.group(1).replace("&amp;", "&") if older else None
    capacities = [re.search(r": (\d+)<", row).group(1) for row in seen if "Capacity of" in row]
    assert capacities == ["7", "6", "5", "4", "3", "2", "1"]
