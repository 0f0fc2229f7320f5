"""Property tests of every web form: generated bad values (NUL bytes, huge strings and numbers,
dates out of range or malformed, bytes in other encodings) posted or sent through the test
client as the role that uses the form. Never a 5xx; a refused form changes nothing."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_from_bytes

import pytest
from django.conf import settings
from django.contrib import messages
from django.contrib.messages import get_messages
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from assessments.models import Answer, Assessment
from assessments.services import assessment_start
from segmentation.churn.forms import RiskSettingsForm
from segmentation.models import (
    DecisionModelVersion,
    ManagerCapacity,
    RiskSettings,
    SegmentPin,
    SegmentSettings,
)
from segmentation.segments.decision import DecisionModel
from segmentation.segments.forms import DecisionModelForm, SegmentSettingsForm
from tests.hypothesis_support import BAD_INPUT, BAD_VALUE, bad_value_for, rolled_back
from tests.support import restore_question_template

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class World:
    admin: Any
    sales_manager: Any
    account_manager: Any
    account: Any
    assessment: Assessment


@dataclass(frozen=True)
class Case:
    """One form: who sends it, where, its good data, and what a refusal must leave unchanged."""

    role: str | None  # a World attribute, or None for an anonymous visitor
    method: str
    url: Callable[[World], str]
    base: Callable[[World], dict[str, str]]
    stored: Callable[[World], Any] = lambda world: None
    accepted: Callable[[Any], bool] = lambda response: response.status_code == 302


def strings(data: dict[str, Any]) -> dict[str, str]:
    return {key: "" if value is None else str(value) for key, value in data.items()}


def settings_base(form_class, get) -> Callable[[World], dict[str, str]]:
    return lambda world: strings(form_class(instance=get()).initial)


def decision_base(world: World) -> dict[str, str]:
    initial = DecisionModelForm.initial_from(DecisionModel())
    return strings(initial) | {"action": "save"}


def assessment_base(world: World) -> dict[str, str]:
    data = {"lock_version": world.assessment.lock_version, "q1_yes_no": "yes", "q1_count": 3}
    return strings(data | {"q9_months": 18, "q2_revenue_1y": "1000.50", "q5_scale": 4})


def succeeded(response) -> bool:
    return any(m.level == messages.SUCCESS for m in get_messages(response.wsgi_request))


def answers(world: World) -> tuple:
    rows = Answer.objects.filter(assessment=world.assessment).order_by("pk").values_list()
    version = Assessment.objects.get(pk=world.assessment.pk).lock_version
    return version, list(rows)


def rows(model) -> Callable[[World], list]:
    return lambda world: [model_to_dict(row) for row in model.objects.order_by("pk")]


CASES = {
    "login": Case(
        None, "post", lambda w: reverse("login"), lambda w: {"username": "am1", "password": "pw"}
    ),
    "language": Case(
        "account_manager",
        "post",
        lambda w: reverse("language_switch"),
        lambda w: {"language": "he", "next": "/accounts/"},
    ),
    "account list": Case(
        "sales_manager",
        "get",
        lambda w: reverse("accounts:list"),
        lambda w: {"q": "Own", "owner": str(w.account_manager.pk), "risk": "", "sort": "name"},
    ),
    "risk settings": Case(
        "admin",
        "post",
        lambda w: reverse("risk:settings"),
        settings_base(RiskSettingsForm, RiskSettings.load),
        rows(RiskSettings),
    ),
    "segment settings": Case(
        "admin",
        "post",
        lambda w: reverse("segments:settings"),
        settings_base(SegmentSettingsForm, SegmentSettings.load),
        rows(SegmentSettings),
    ),
    "decision model": Case(
        "admin",
        "post",
        lambda w: reverse("segments:decision_model"),
        decision_base,
        rows(DecisionModelVersion),
    ),
    "capacity": Case(
        "admin",
        "post",
        lambda w: reverse("segments:capacity_set"),
        lambda w: {"manager": str(w.account_manager.pk), "capacity": "12"},
        rows(ManagerCapacity),
        succeeded,
    ),
    "what-if": Case(
        "sales_manager",
        "get",
        lambda w: reverse("segments:capacity"),
        lambda w: {"manager": str(w.account_manager.pk), "capacity": "12", "detail": "1"},
    ),
    "pin": Case(
        "sales_manager",
        "post",
        lambda w: reverse("segments:pin", args=[w.account.pk]),
        lambda w: {
            "segment": "grow",
            "reason": "Growing fast",
            "expires_on": (dt.date.today() + dt.timedelta(days=30)).isoformat(),
        },
        rows(SegmentPin),
        succeeded,
    ),
    "assessment": Case(
        "account_manager",
        "post",
        lambda w: reverse("assessments:edit", args=[w.assessment.pk]),
        assessment_base,
        answers,
    ),
}


@pytest.fixture(autouse=True)
def language_restored():
    """A Hebrew user's request activates Hebrew in this thread; put the language back."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture
def world(admin_user, sales_manager, account_manager, own_account) -> World:
    restore_question_template()
    assessment = assessment_start(account=own_account, by=account_manager)
    return World(admin_user, sales_manager, account_manager, own_account, assessment)


def send(client, world: World, case: Case, data: dict[str, str] | bytes, **extra):
    user = getattr(world, case.role) if case.role else None
    if user is not None:
        client.force_login(user)
    before = case.stored(world)
    if isinstance(data, bytes):  # sent as it is, whatever charset the header claims
        response = client.generic(case.method.upper(), case.url(world), data, **extra)
    else:
        response = getattr(client, case.method)(case.url(world), data, **extra)
    assert response.status_code < 500
    if not case.accepted(response):
        assert case.stored(world) == before, "a refused form changed what is stored"
    return response


@st.composite
def with_bad_values(draw, base: dict[str, str], extra_fields: tuple[str, ...] = ()):
    """`base` with one to three fields given bad values (aimed at each field's kind), maybe
    one dropped, maybe an unknown field added."""
    names = sorted(base) + list(extra_fields)
    chosen = draw(st.lists(st.sampled_from(names), min_size=1, max_size=3, unique=True))
    bad = {name: draw(bad_value_for(base.get(name, ""))) for name in chosen}
    dropped = draw(st.sets(st.sampled_from(sorted(base)), max_size=1))
    return {k: v for k, v in base.items() if k not in dropped} | bad


@pytest.mark.parametrize("name", CASES)
@BAD_INPUT
@given(data=st.data())
def test_bad_values_never_give_a_5xx_and_a_refusal_writes_nothing(client, world, name, data):
    case = CASES[name]
    with rolled_back():
        values = data.draw(with_bad_values(case.base(world), ("action", "page", "submit")))
        send(client, world, case, values)


CHARSETS = st.sampled_from(["utf-8", "latin-1", "utf-16", "cp1255", "no-such-charset"])


@pytest.mark.parametrize("name", [n for n, c in CASES.items() if c.method == "post"])
@BAD_INPUT
@given(data=st.data(), charset=CHARSETS)
def test_bytes_in_any_encoding_never_give_a_5xx(client, world, name, data, charset):
    case = CASES[name]
    base = case.base(world)
    with rolled_back():
        raw = data.draw(st.dictionaries(st.sampled_from(sorted(base)), st.binary(max_size=40)))
        fields = {k: v.encode("utf-8") for k, v in base.items()} | raw
        body = "&".join(f"{k}={quote_from_bytes(v)}" for k, v in fields.items()).encode()
        content_type = f"application/x-www-form-urlencoded; charset={charset}"
        send(client, world, case, body, content_type=content_type)


@BAD_INPUT
@given(limit=BAD_VALUE, offset=BAD_VALUE)
def test_the_api_takes_any_limit_and_offset(client, world, limit, offset):
    with rolled_back():
        client.force_login(world.account_manager)
        response = client.get("/api/accounts/", {"limit": limit, "offset": offset})
        assert response.status_code == 200
        assert len(response.json()["results"]) <= 500


def test_a_good_post_of_each_form_is_accepted(client, world):
    """The base data is good, so the refusals above come from the bad values."""
    for name, case in CASES.items():
        with rolled_back():
            response = send(client, world, case, case.base(world))
            assert response.status_code in (200, 302), name
            if case.stored(world) is not None:
                assert case.accepted(response), name
