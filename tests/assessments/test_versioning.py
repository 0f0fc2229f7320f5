"""Editing the questions in the admin saves a new version; assessments keep the one they used."""

import pytest
from django.urls import reverse

from assessments.models import TemplateVersion
from assessments.selectors import cadence_current
from assessments.services import assessment_start, template_version_current
from tests.assessments.conftest import submit_assessment
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def admin_post_data(version: TemplateVersion, **changes) -> dict:
    """The admin change form for `version`, as posted, with `changes` applied to question fields
    (`q5__text_en="..."`)."""
    questions = list(version.questions.all())
    data = {
        "note": "Sharper wording",
        "questions-TOTAL_FORMS": str(len(questions)),
        "questions-INITIAL_FORMS": str(len(questions)),
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "1000",
    }
    editable = ["number", "kind", "weight", "text_en", "text_he", "help_en", "help_he"]
    editable += [f"label_{p}_{lang}" for p in range(1, 6) for lang in ("en", "he")]
    for i, question in enumerate(questions):
        prefix = f"questions-{i}-"
        data[prefix + "id"] = str(question.pk)
        data[prefix + "version"] = str(version.pk)
        for name in editable:
            data[prefix + name] = str(getattr(question, name))
        for key, value in changes.items():
            number, name = key[1:].split("__")
            if int(number) == question.number:
                data[prefix + name] = value
    return data


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


def test_editing_a_version_creates_the_next_one(
    client, superuser, version_1, own_account, account_manager
):
    old = submit_assessment(account=own_account, by=account_manager, scales={5: 4})
    client.force_login(superuser)
    url = reverse("admin:assessments_templateversion_change", args=[version_1.pk])
    data = admin_post_data(version_1, q5__text_en="Partner or supplier?", q5__weight="4")
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]

    new = template_version_current()
    assert new.number == 2 and new.created_by == superuser and new.note == "Sharper wording"
    assert new.questions.count() == 10
    assert new.questions.get(number=5).text_en == "Partner or supplier?"
    assert str(new.questions.get(number=5).weight) == "4.00"
    # Version 1 and the assessment filled on it are untouched.
    version_1.refresh_from_db()
    assert version_1.questions.get(number=5).text_en.startswith("How good is the relationship")
    old.refresh_from_db()
    assert old.template_version == version_1
    assert old.answers.get(question__number=5).question.text_en.startswith("How good is the")


def test_a_new_assessment_uses_the_new_version_and_carries_answers_over(
    client, superuser, version_1, own_account, account_manager
):
    submit_assessment(account=own_account, by=account_manager, scales={5: 4})
    client.force_login(superuser)
    url = reverse("admin:assessments_templateversion_change", args=[version_1.pk])
    client.post(url, admin_post_data(version_1, q5__text_en="Partner or supplier?"))
    draft = assessment_start(account=own_account, by=account_manager)
    assert draft.template_version.number == 2
    answer = draft.answers.select_related("question").get(question__number=5)
    assert (answer.question.text_en, answer.scale) == ("Partner or supplier?", 4)


def test_deleting_a_question_in_the_edit_leaves_it_out_of_the_new_version(
    client, superuser, version_1
):
    client.force_login(superuser)
    data = admin_post_data(version_1)
    data["questions-9-DELETE"] = "on"  # question 10
    client.post(reverse("admin:assessments_templateversion_change", args=[version_1.pk]), data)
    assert sorted(template_version_current().questions.values_list("number", flat=True)) == list(
        range(1, 10)
    )
    assert version_1.questions.count() == 10


def test_the_first_version_has_ten_questions_in_both_languages(version_1):
    questions = list(version_1.questions.all())
    assert [q.number for q in questions] == list(range(1, 11))
    assert all(q.text_en and q.text_he for q in questions)
    assert version_1.questions.get(number=5).label_5_he == "שותף עסקי"


def test_saving_without_edits_makes_no_new_version(client, superuser, version_1):
    client.force_login(superuser)
    data = admin_post_data(version_1)
    data["note"] = version_1.note
    url = reverse("admin:assessments_templateversion_change", args=[version_1.pk])
    assert client.post(url, data).status_code == 302
    assert template_version_current() == version_1


def test_cadence_and_margin_are_edited_in_the_admin(client, superuser):
    client.force_login(superuser)
    url = reverse("admin:assessments_assessmentsettings_change", args=[1])
    data = {
        "strategic_days": "30",
        "defend_days": "45",
        "grow_days": "180",
        "default_days": "60",
        "perception_gap_margin_pct": "15",
    }
    assert client.post(url, data).status_code == 302
    assert cadence_current().days_for("defend") == 45 and cadence_current().days_for(None) == 60


def test_the_admin_pages_render(client, superuser, version_1, own_account, account_manager):
    assessment = submit_assessment(account=own_account, by=account_manager, scales={5: 4})
    client.force_login(superuser)
    urls = [
        reverse("admin:assessments_templateversion_changelist"),
        reverse("admin:assessments_templateversion_change", args=[version_1.pk]),
        reverse("admin:assessments_templateversion_add"),
        reverse("admin:assessments_assessmentsettings_changelist"),
        reverse("admin:assessments_assessment_changelist"),
        reverse("admin:assessments_assessment_change", args=[assessment.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url
