"""Every number a form takes is bounded to what its column holds, and every date to the accepted
range: an oversized value is a form error naming the field, never a 500 or a half-saved row."""

import datetime as dt

import pytest
from django import forms
from django.urls import reverse

from assessments.forms import AssessmentForm
from assessments.models import Answer, Assessment
from assessments.services import assessment_start
from kam_portal.limits import EARLIEST_DATE, LATEST_DATE, column_bounds
from segmentation.churn.forms import RiskSettingsForm
from segmentation.models import DecisionModelVersion, RiskSettings, SegmentPin, SegmentSettings
from segmentation.segments.decision import DecisionModel
from segmentation.segments.forms import (
    CapacityForm,
    DecisionModelForm,
    SegmentPinForm,
    SegmentSettingsForm,
    WhatIfForm,
)
from tests.support import restore_question_template

pytestmark = pytest.mark.django_db
INT_OVER = str(2**31)  # one more than a PostgreSQL integer holds
BIGINT_OVER = str(2**63)
BIGINT_UNDER = str(-(2**63) - 1)


def oversized(field: forms.Field) -> list[str]:
    """Values beyond any column the field could be stored in (an id may be a bigint)."""
    if isinstance(field, forms.DecimalField):
        return ["1" + "0" * 20, "1e400", "-1e400"]
    return [BIGINT_OVER, BIGINT_UNDER]


def numeric_fields(form: forms.BaseForm) -> list[str]:
    return [
        name
        for name, field in form.fields.items()
        if isinstance(field, forms.IntegerField | forms.DecimalField)
    ]


def refused(form_class, data: dict, name: str, **kwargs) -> list[str]:
    """The errors `form_class` gives each oversized value of field `name` (one per value)."""
    messages = []
    for value in oversized(form_class(**kwargs).fields[name]):
        form = form_class(data={**data, name: value}, **kwargs)
        assert not form.is_valid()
        assert name in form.errors, f"{name}={value}: {form.errors.as_data()}"
        messages.append(form.errors[name][0])
    return messages


def settings_data(form: forms.ModelForm) -> dict:
    return {name: form.initial[name] for name in form.fields}


@pytest.fixture
def assessment(account_manager, own_account):
    restore_question_template()
    return assessment_start(account=own_account, by=account_manager)


def questions(assessment) -> list:
    return list(assessment.template_version.questions.all())


class TestTheHelper:
    def test_integer_columns_give_their_postgresql_range(self):
        assert column_bounds(Answer, "count") == {"min_value": 0, "max_value": 2_147_483_647}
        assert column_bounds(Answer, "scale") == {"min_value": 0, "max_value": 32_767}
        assert column_bounds(Assessment, "account") == {
            "min_value": -(2**63),
            "max_value": 2**63 - 1,
        }

    def test_decimal_columns_give_their_digits(self):
        assert column_bounds(Answer, "revenue_1y") == {"max_digits": 16, "decimal_places": 2}


class TestAssessmentForm:
    def test_every_number_is_refused_beyond_its_column(self, assessment):
        kwargs = {"questions": questions(assessment)}
        form = AssessmentForm(**kwargs)
        names = numeric_fields(form)
        assert {"lock_version", "q1_count", "q2_revenue_1y", "q9_months"} <= set(names)
        for name in names:
            refused(AssessmentForm, {"lock_version": "1"}, name, **kwargs)
        # Both are integer columns, not bigints.
        for name in ("lock_version", "q1_count"):
            form = AssessmentForm(data={"lock_version": "1", name: INT_OVER}, **kwargs)
            assert not form.is_valid() and name in form.errors

    def test_question_1_count_of_2147483648_is_a_form_error_not_a_500(
        self, client, account_manager, assessment
    ):
        client.force_login(account_manager)
        data = {"lock_version": assessment.lock_version, "q1_count": INT_OVER, "q1_yes_no": "yes"}

        response = client.post(reverse("assessments:edit", args=[assessment.pk]), data)

        assert response.status_code == 400
        errors = response.context["form"].errors
        assert list(errors) == ["q1_count"]
        assert "less than or equal to 2147483647" in errors["q1_count"][0]
        assert not Answer.objects.filter(assessment=assessment, count__isnull=False).exists()

    def test_the_largest_count_the_column_holds_is_saved(self, client, account_manager, assessment):
        client.force_login(account_manager)
        data = {"lock_version": assessment.lock_version, "q1_count": str(2**31 - 1)}

        response = client.post(reverse("assessments:edit", args=[assessment.pk]), data)

        assert response.status_code == 302
        assert Answer.objects.get(assessment=assessment, question__number=1).count == 2**31 - 1


class TestSegmentForms:
    def test_decision_model_weights_and_thresholds_are_bounded(self):
        data = DecisionModelForm.initial_from(DecisionModel())
        for name in numeric_fields(DecisionModelForm()):
            refused(DecisionModelForm, data, name)

    def test_an_infinite_weight_is_a_form_error_and_saves_no_version(self, client, admin_user):
        client.force_login(admin_user)
        initial = DecisionModelForm.initial_from(DecisionModel())
        data = {name: value for name, value in initial.items() if value is not None}
        data |= {"weight_revenue_12m": "1e400", "action": "save"}

        response = client.post(reverse("segments:decision_model"), data)

        assert response.status_code == 200
        assert list(response.context["form"].errors) == ["weight_revenue_12m"]
        assert not DecisionModelVersion.objects.exists()

    @pytest.mark.parametrize("form_class", [CapacityForm, WhatIfForm])
    def test_capacity_forms_bound_the_manager_id_and_the_capacity(self, form_class):
        for name in numeric_fields(form_class()):
            refused(form_class, {"manager": "1", "capacity": "3"}, name)

    def test_a_pin_date_outside_the_range_is_refused(self, own_account):
        data = {"segment": "grow", "reason": "Because", "expires_on": "2100-01-01"}
        form = SegmentPinForm(data=data)
        assert not form.is_valid()
        assert form.errors["expires_on"] == [
            "2100-01-01 is outside the accepted dates, 1980-01-01 to 2099-12-31"
        ]
        assert SegmentPinForm(data={**data, "expires_on": str(LATEST_DATE)}).is_valid()

    def test_the_pin_date_picker_offers_only_the_range(self):
        html = str(SegmentPinForm()["expires_on"])
        assert f'min="{EARLIEST_DATE}"' in html and f'max="{LATEST_DATE}"' in html

    def test_a_far_pin_date_posted_is_a_message_not_a_pin(self, client, sales_manager, own_account):
        client.force_login(sales_manager)
        data = {"segment": "grow", "reason": "Because", "expires_on": "9999-12-31"}

        response = client.post(reverse("segments:pin", args=[own_account.pk]), data, follow=True)

        assert response.status_code == 200
        assert "outside the accepted dates" in response.content.decode()
        assert not SegmentPin.objects.exists()


class TestSettingsForms:
    def test_risk_settings_refuse_every_oversized_number(self):
        instance = RiskSettings.load()
        data = settings_data(RiskSettingsForm(instance=instance))
        for name in numeric_fields(RiskSettingsForm(instance=instance)):
            refused(RiskSettingsForm, data, name, instance=instance)

    def test_segment_settings_refuse_every_oversized_number(self):
        instance = SegmentSettings.load()
        data = settings_data(SegmentSettingsForm(instance=instance))
        for name in numeric_fields(SegmentSettingsForm(instance=instance)):
            refused(SegmentSettingsForm, data, name, instance=instance)

    @pytest.mark.parametrize(
        ("url", "form_class", "get"),
        [
            ("risk:settings", RiskSettingsForm, RiskSettings.load),
            ("segments:settings", SegmentSettingsForm, SegmentSettings.load),
        ],
    )
    def test_posting_one_is_a_form_error_not_a_500(self, client, admin_user, url, form_class, get):
        client.force_login(admin_user)
        data = settings_data(form_class(instance=get()))
        name = numeric_fields(form_class(instance=get()))[0]

        response = client.post(reverse(url), {**data, name: BIGINT_OVER})

        assert response.status_code == 200
        assert name in response.context["form"].errors


def test_today_is_in_range():
    """The range must hold the data of today and of the years ahead."""
    assert EARLIEST_DATE <= dt.date.today() <= LATEST_DATE - dt.timedelta(days=365 * 50)
