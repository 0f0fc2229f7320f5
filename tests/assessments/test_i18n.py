"""The assessment pages in Hebrew (the catalogue itself is checked by tests/test_i18n.py)."""

import pytest
from django.urls import reverse

from assessments.services import assessment_start


@pytest.mark.django_db
def test_a_hebrew_users_form_is_in_hebrew(client, account_manager, own_account):
    account_manager.language = "he"
    account_manager.save()
    draft = assessment_start(account=own_account, by=account_manager)
    client.force_login(account_manager)
    page = client.get(reverse("assessments:edit", args=[draft.pk])).content.decode()
    assert (
        "שמור טיוטה" in page and "מהיסטוריית ההזמנות" in page and "לא זמין עד להרצת הפילוח" in page
    )
    assert "Save draft" not in page
