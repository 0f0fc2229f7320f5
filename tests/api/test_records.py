"""Contacts, events, assessments, pins, capacities, the decision model, nightly runs and the
dashboard through the API: the services' rules, the page forms' checks, If-Match."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from accounts.models import Contact
from assessments.models import Assessment, AssessmentStatus, Question
from portfolio.dashboard import dashboard
from portfolio.filters import PortfolioFilters
from segmentation.enums import RunStatus
from segmentation.models import DecisionModelVersion, ManagerCapacity, NightlyRun, SegmentPin
from tests.factories import ContactFactory, OrderFactory
from tests.support import restore_question_template

pytestmark = pytest.mark.django_db
JSON = "application/json"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def etag(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response["ETag"]


class TestContacts:
    def test_the_account_team_adds_and_changes_a_contact(
        self, client, account_manager, own_account
    ):
        client.force_login(account_manager)
        url = f"/api/v1/accounts/{own_account.pk}/contacts/"
        made = client.post(url, {"name": "Dana", "is_primary": True}, content_type=JSON)
        assert made.status_code == 201, made.json()
        contact_url = f"/api/v1/contacts/{made.json()['id']}/"
        changed = client.patch(
            contact_url, {"title": "Buyer"}, content_type=JSON, HTTP_IF_MATCH=made["ETag"]
        )
        assert changed.status_code == 200
        assert Contact.objects.get().title == "Buyer"
        stale = client.patch(
            contact_url, {"title": "CEO"}, content_type=JSON, HTTP_IF_MATCH=made["ETag"]
        )
        assert stale.status_code == 412

    def test_a_new_primary_replaces_the_current_one_and_logs_the_change(
        self, client, account_manager, own_account
    ):
        """The same service as the account page's card: the change is an organisational
        change in the log, which the churn engine reads."""
        old = ContactFactory(account=own_account, is_primary=True, name="Dana")
        client.force_login(account_manager)
        url = f"/api/v1/accounts/{own_account.pk}/contacts/"
        response = client.post(url, {"name": "Noa", "is_primary": True}, content_type=JSON)
        assert response.status_code == 201 and response.json()["is_primary"]
        old.refresh_from_db()
        assert not old.is_primary
        change = own_account.events.get(kind="org_change")
        assert "Dana" in change.text and "Noa" in change.text

    def test_the_owners_sales_manager_writes_another_team_gets_nothing(
        self, client, sales_manager, own_account, foreign_account
    ):
        contact = ContactFactory(account=own_account)
        client.force_login(sales_manager)
        assert client.get(f"/api/v1/contacts/{contact.pk}/").status_code == 200
        url = f"/api/v1/accounts/{own_account.pk}/contacts/"
        assert client.post(url, {"name": "X"}, content_type=JSON).status_code == 201
        foreign = f"/api/v1/accounts/{foreign_account.pk}/contacts/"
        assert client.post(foreign, {"name": "X"}, content_type=JSON).status_code == 404


class TestEvents:
    def test_a_satisfaction_score_goes_with_satisfaction_only(
        self, client, account_manager, own_account
    ):
        client.force_login(account_manager)
        url = f"/api/v1/accounts/{own_account.pk}/events/"
        day = "2026-01-15"
        bad = client.post(url, {"kind": "complaint", "occurred_on": day, "score": 3}, JSON)
        assert bad.status_code == 400
        assert bad.json()["errors"][0]["field"] == "score"
        good = {"kind": "satisfaction", "occurred_on": day, "score": 3}
        made = client.post(url, good, content_type=JSON)
        assert made.status_code == 201
        assert made.json()["author"] == "am1"

    def test_a_date_out_of_range_names_the_field(self, client, account_manager, own_account):
        client.force_login(account_manager)
        url = f"/api/v1/accounts/{own_account.pk}/events/"
        response = client.post(url, {"kind": "note", "occurred_on": "1800-01-01"}, JSON)
        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == "occurred_on"


class TestAssessments:
    @pytest.fixture(autouse=True)
    def questions(self, db):
        restore_question_template()

    def start(self, client, account) -> dict:
        response = client.post(f"/api/v1/accounts/{account.pk}/assessments/")
        assert response.status_code in (200, 201), response.content
        return {"id": response.json()["id"], "etag": response["ETag"], "code": response.status_code}

    def test_start_then_continue_the_same_draft(self, client, account_manager, own_account):
        client.force_login(account_manager)
        first, again = self.start(client, own_account), self.start(client, own_account)
        assert (first["code"], again["code"]) == (201, 200)
        assert first["id"] == again["id"]

    def test_save_answers_with_if_match_and_refuse_a_stale_save(
        self, client, account_manager, own_account
    ):
        client.force_login(account_manager)
        draft = self.start(client, own_account)
        url = f"/api/v1/assessments/{draft['id']}/"
        body = {"answers": [{"question": 5, "scale": 4, "note": "Partner"}]}
        saved = client.patch(url, body, content_type=JSON, HTTP_IF_MATCH=draft["etag"])
        assert saved.status_code == 200, saved.json()
        answer = next(a for a in saved.json()["answers"] if a["question"] == 5)
        assert (answer["scale"], answer["note"]) == (4, "Partner")
        stale = client.patch(url, body, content_type=JSON, HTTP_IF_MATCH=draft["etag"])
        assert stale.status_code == 412

    def test_the_pages_form_judges_the_answers(self, client, account_manager, own_account):
        client.force_login(account_manager)
        draft = self.start(client, own_account)
        url = f"/api/v1/assessments/{draft['id']}/"
        body = {"answers": [{"question": 4, "scale": 9}]}
        response = client.patch(url, body, content_type=JSON, HTTP_IF_MATCH=draft["etag"])
        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == "answers.4.scale"

    def test_submit_needs_every_main_answer_then_scores(self, client, account_manager, own_account):
        client.force_login(account_manager)
        draft = self.start(client, own_account)
        submit = f"/api/v1/assessments/{draft['id']}/submit/"
        early = client.post(submit, {"answers": []}, content_type=JSON, HTTP_IF_MATCH=draft["etag"])
        assert early.status_code == 400
        questions = Question.objects.filter(version__assessments__pk=draft["id"])
        answers = [_complete(q) for q in questions]
        done = client.post(
            submit, {"answers": answers}, content_type=JSON, HTTP_IF_MATCH=draft["etag"]
        )
        assert done.status_code == 200, done.json()
        assert done.json()["status"] == AssessmentStatus.SUBMITTED
        assert done.json()["score"] is not None

    def test_a_sales_manager_reads_but_does_not_fill(self, client, sales_manager, own_account):
        client.force_login(sales_manager)
        url = f"/api/v1/accounts/{own_account.pk}/assessments/"
        assert client.get(url).status_code == 200
        assert client.post(url).status_code == 403
        assert not Assessment.objects.exists()

    def test_questions_by_version(self, client, account_manager):
        client.force_login(account_manager)
        version = client.get("/api/v1/question-versions/1/").json()
        assert version["number"] == 1
        assert [q["number"] for q in version["questions"]] == list(range(1, 11))


def _complete(question: Question) -> dict:
    parts = {"scale": {"scale": 3}, "months": {"months": 6}, "yes_no_count": {"yes_no": True}}
    return {"question": question.number, **parts.get(question.kind, {})}


class TestPins:
    def test_a_sales_manager_pins_and_unpins_with_if_match(
        self, client, sales_manager, own_account
    ):
        client.force_login(sales_manager)
        url = f"/api/v1/accounts/{own_account.pk}/pin/"
        before = client.get(url)
        assert before.json() == {"pin": None}
        expires = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
        body = {"segment": "grow", "reason": "New plant", "expires_on": expires}
        pinned = client.put(url, body, content_type=JSON, HTTP_IF_MATCH=before["ETag"])
        assert pinned.status_code == 200, pinned.json()
        assert pinned.json()["pin"]["segment"] == "grow"
        again = client.put(url, body, content_type=JSON, HTTP_IF_MATCH=before["ETag"])
        assert again.status_code == 412
        removed = client.delete(url, HTTP_IF_MATCH=pinned["ETag"])
        assert removed.json() == {"pin": None}
        assert SegmentPin.objects.get().ended_at is not None

    def test_the_pages_form_refuses_a_past_date(self, client, admin_user, own_account):
        client.force_login(admin_user)
        url = f"/api/v1/accounts/{own_account.pk}/pin/"
        body = {"segment": "grow", "reason": "x", "expires_on": "2020-01-01"}
        response = client.put(url, body, content_type=JSON, HTTP_IF_MATCH=etag(client, url))
        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == "expires_on"


class TestAdmins:
    def test_an_admin_sets_a_capacity_with_if_match(self, client, admin_user, account_manager):
        client.force_login(admin_user)
        url = f"/api/v1/capacities/{account_manager.pk}/"
        response = client.put(url, {"capacity": 7}, JSON, HTTP_IF_MATCH=etag(client, url))
        assert response.status_code == 200, response.json()
        assert response.json()["capacity"] == 7
        assert ManagerCapacity.objects.get(user=account_manager).capacity == 7
        bad = client.put(url, {"capacity": -1}, JSON, HTTP_IF_MATCH=etag(client, url))
        assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "capacity"

    def test_a_new_decision_model_version_and_a_preview(self, client, admin_user):
        client.force_login(admin_user)
        url = "/api/v1/decision-model/versions/"
        model = {"mode": "percentile", "percentile": 80, "weights": {"revenue_12m": 1}}
        preview = client.post(url + "preview/", model, content_type=JSON)
        assert preview.json() == {"as_of": None, "changed": 0, "changes": []}  # no run yet
        made = client.post(url, model, content_type=JSON, HTTP_IF_MATCH=etag(client, url))
        assert made.status_code == 201, made.json()
        assert DecisionModelVersion.objects.get().percentile == 80
        zero = {"mode": "percentile", "percentile": 80, "weights": {"revenue_12m": 0}}
        refused = client.post(url, zero, content_type=JSON, HTTP_IF_MATCH=etag(client, url))
        assert refused.status_code == 400
        assert refused.json()["errors"][0]["field"] == "weights"

    def test_an_admin_starts_a_run_and_a_second_start_is_a_conflict(
        self, client, admin_user, own_account
    ):
        OrderFactory(account=own_account)
        client.force_login(admin_user)
        started = client.post("/api/v1/nightly-runs/", {"as_of": "2026-02-01"}, JSON)
        assert started.status_code == 201, started.json()
        assert started.json()["status"] == RunStatus.COMPLETE
        NightlyRun.objects.create(as_of=dt.date(2026, 2, 2), heartbeat_at=timezone.now())
        busy = client.post("/api/v1/nightly-runs/", {}, content_type=JSON)
        assert busy.status_code == 409
        assert busy.json()["code"] == "already_running"


def test_the_dashboards_figures_are_the_pages(client, sales_manager, own_account, foreign_account):
    client.force_login(sales_manager)
    body = client.get("/api/v1/dashboard/").json()
    board = dashboard(user=sales_manager, filters=PortfolioFilters(), today=timezone.localdate())
    assert body["accounts"] == board.accounts == 1


def test_a_run_that_fails_in_process_is_a_conflict_naming_it(
    client, admin_user, own_account, monkeypatch
):
    from segmentation import pipeline

    def broken(run, lo, hi):
        raise RuntimeError("disk full")

    monkeypatch.setattr(pipeline, "CHUNK_STEPS", [broken])
    OrderFactory(account=own_account)
    client.force_login(admin_user)
    response = client.post("/api/v1/nightly-runs/", {"as_of": "2026-02-01"}, JSON)
    assert response.status_code == 409
    assert response.json()["code"] == "run_failed"
    run = NightlyRun.objects.get()
    assert run.status == RunStatus.FAILED
    assert f"Run {run.pk} failed" in response.json()["detail"]
