"""Fill, save a draft, continue, submit, through the test client, in English and in Hebrew."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.models import Assessment, AssessmentStatus, TemplateVersion
from tests.assessments.conftest import post_data, submit_assessment

pytestmark = pytest.mark.django_db


def start(client, account) -> Assessment:
    response = client.post(reverse("assessments:new", args=[account.pk]))
    assessment = Assessment.objects.get(account=account, status=AssessmentStatus.DRAFT)
    assert response["Location"] == reverse("assessments:edit", args=[assessment.pk])
    return assessment


@pytest.mark.parametrize(
    ("language", "question_5", "label_5"),
    [
        ("en", "How good is the relationship", "A business partner"),
        ("he", "עד כמה הקשר טוב", "שותף עסקי"),
    ],
)
def test_fill_save_continue_submit(
    client, account_manager, own_account, language, question_5, label_5
):
    account_manager.language = language
    account_manager.save()
    client.force_login(account_manager)
    assessment = start(client, own_account)
    edit_url = reverse("assessments:edit", args=[assessment.pk])

    page = client.get(edit_url).content.decode()
    assert question_5 in page and label_5 in page
    assert f'lang="{language}"' in page

    # Save a draft with part of the answers and a note.
    data = post_data(lock_version=1, scales={5: 2}, q5_note="Price talks only")
    data["save"] = ""
    response = client.post(edit_url, data)
    assert response.status_code == 302 and response["Location"] == edit_url

    # Continue: the form shows what was saved.
    form = client.get(edit_url).context["form"]
    assert form["q5_scale"].value() == 2 and form["q5_note"].value() == "Price talks only"
    assert form["lock_version"].value() == 2

    data = post_data(lock_version=2, q2_revenue_1y="125000.50", q5_note="Better now")
    data["submit"] = ""
    response = client.post(edit_url, data)
    assert response["Location"] == reverse("assessments:detail", args=[assessment.pk])
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED
    assert assessment.score == Decimal("75.0")
    assert assessment.answers.get(question__number=2).revenue_1y == Decimal("125000.50")

    detail = client.get(response["Location"]).content.decode()
    assert question_5 in detail and "Better now" in detail and "75.0" in detail


def test_submitted_assessments_are_read_only(client, account_manager, own_account):
    submitted = submit_assessment(account=own_account, by=account_manager, scales={5: 3})
    client.force_login(account_manager)
    edit_url = reverse("assessments:edit", args=[submitted.pk])
    assert client.get(edit_url)["Location"] == reverse("assessments:detail", args=[submitted.pk])
    response = client.post(edit_url, post_data(lock_version=submitted.lock_version, scales={5: 1}))
    assert response.status_code == 302
    assert submitted.answers.get(question__number=5).scale == 3


def test_the_second_concurrent_save_is_refused_and_keeps_the_input(
    client, account_manager, teammate, own_account
):
    own_account.team_members.add(teammate)
    client.force_login(account_manager)
    assessment = start(client, own_account)
    edit_url = reverse("assessments:edit", args=[assessment.pk])

    # The team-mate saves first, from the same starting version.
    client.force_login(teammate)
    assert client.post(edit_url, post_data(lock_version=1, scales={5: 5})).status_code == 302

    client.force_login(account_manager)
    response = client.post(edit_url, post_data(lock_version=1, scales={5: 1}, q5_note="Mine"))
    assert response.status_code == 409
    page = response.content.decode()
    assert "am2 saved this draft" in page and "not saved" in page
    assert "Mine" in page  # their input is still in the form
    assert assessment.answers.get(question__number=5).scale == 5  # the first save stands
    # The form now carries the current version: saving again, deliberately, goes through.
    assert int(response.context["form"]["lock_version"].value()) == 2
    response = client.post(edit_url, post_data(lock_version=2, scales={5: 1}))
    assert response.status_code == 302
    assert assessment.answers.get(question__number=5).scale == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("q5_scale", "7", "Choose a point from 1 to 5."),
        ("q5_scale", "abc", "Choose a point from 1 to 5."),
        ("q2_revenue_1y", "lots", "Enter a number."),
        ("q2_profit_5y", "1" * 20, "Ensure that there are no more than 16 digits in total."),
        ("q9_months", "-1", "Ensure this value is greater than or equal to 0."),
        ("q1_count", "three", "Enter a whole number."),
        ("lock_version", "x", "Enter a whole number."),
    ],
)
def test_bad_input_gets_a_field_error_not_a_500(
    client, account_manager, own_account, field, value, message
):
    client.force_login(account_manager)
    assessment = start(client, own_account)
    response = client.post(
        reverse("assessments:edit", args=[assessment.pk]),
        {**post_data(lock_version=1), field: value},
    )
    assert response.status_code == 400
    assert message in response.context["form"].errors[field]
    assessment.refresh_from_db()
    assert assessment.lock_version == 1


def test_submitting_an_incomplete_assessment_names_the_missing_answers(
    client, account_manager, own_account
):
    client.force_login(account_manager)
    assessment = start(client, own_account)
    data = post_data(lock_version=1, scales={5: 3})
    data["submit"] = ""
    response = client.post(reverse("assessments:edit", args=[assessment.pk]), data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {f"q{n}_scale" for n in (3, 4, 6, 7, 8, 10)}
    assessment.refresh_from_db()
    assert assessment.is_draft and assessment.lock_version == 1


def test_without_any_questions_starting_says_so(client, account_manager, own_account):
    TemplateVersion.objects.all().delete()
    client.force_login(account_manager)
    response = client.post(reverse("assessments:new", args=[own_account.pk]), follow=True)
    assert "There are no assessment questions yet" in response.content.decode()
    assert not own_account.assessments.exists()
