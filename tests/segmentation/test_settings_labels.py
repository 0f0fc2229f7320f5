"""The admin's settings pages speak in sentences: no field name ("weight_overdue",
"revenue_12m=1.0") and no label Django would make from one ("Weight overdue"), in English or in
Hebrew; every field has help text and a Hebrew label of its own."""

import re
from html.parser import HTMLParser

import pytest
from django.utils import translation
from django.utils.text import capfirst

from segmentation.churn.forms import GROUPS, RiskSettingsForm
from segmentation.models import DecisionModelVersion
from segmentation.segments.forms import DecisionModelForm, SegmentSettingsForm
from tests.e2e.page_text import data_values, untranslated

pytestmark = pytest.mark.django_db

PAGES = ["/risk/settings/", "/segments/settings/", "/segments/decision-model/"]
SNAKE_CASE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
FORMS = {
    "risk settings": RiskSettingsForm,
    "segment settings": SegmentSettingsForm,
    "decision model": DecisionModelForm,
}


class VisibleText(HTMLParser):
    """The text a person reads: element text and the values shown in fields, not markup."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.hidden += 1
        shown = dict(attrs)
        for name in ("placeholder", "title", "aria-label"):
            if shown.get(name):
                self.parts.append(shown[name])

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def derived_labels() -> set[str]:
    """What Django makes of a field without a verbose name: "weight_overdue" -> "Weight
    overdue", for every field of the three forms whose name has more than one word (a one-word
    name, "percentile", is an ordinary word, as a column heading)."""
    names = {name for form in FORMS.values() for name in form().fields if "_" in name}
    return {capfirst(name.replace("_", " ")) for name in names}


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


@pytest.fixture
def admin_in(admin_user, client):
    def sign_in(language: str):
        admin_user.language = language
        admin_user.save()
        client.force_login(admin_user)
        return client

    return sign_in


@pytest.fixture
def saved_version(admin_user):
    return DecisionModelVersion.objects.create(
        number=2, weights={"revenue_12m": 1.0, "gross_margin": 0.5}, created_by=admin_user
    )


@pytest.mark.parametrize("language", ["en", "he"])
@pytest.mark.parametrize("url", PAGES)
def test_a_settings_page_shows_no_field_names(admin_in, saved_version, url, language):
    response = admin_in(language).get(url)
    assert response.status_code == 200
    text = visible_text(response.content.decode())
    assert not SNAKE_CASE.findall(text), SNAKE_CASE.findall(text)
    derived = [label for label in derived_labels() if label in text]
    assert not derived, derived


@pytest.mark.parametrize("url", PAGES)
def test_in_hebrew_a_settings_page_has_no_english_left(admin_in, saved_version, url):
    """Found by the browser walk: the risk settings' introduction glossed a term in English,
    "(backtest)". The check is the walk's (tests/e2e/page_text.py), on the served page."""
    text = visible_text(admin_in("he").get(url).content.decode())
    assert untranslated(text, data_values()) == []


def test_the_decision_models_weights_read_as_labels(admin_in, saved_version):
    text = visible_text(admin_in("en").get("/segments/decision-model/").content.decode())
    assert "Revenue, last 12 months: 1" in text and "Gross margin (%): 0.5" in text
    hebrew = visible_text(admin_in("he").get("/segments/decision-model/").content.decode())
    assert "הכנסות, 12 החודשים האחרונים: 1" in hebrew


@pytest.mark.parametrize("form_class", FORMS.values(), ids=FORMS.keys())
def test_every_field_has_a_label_of_its_own_and_help_text(form_class):
    for name, field in form_class().fields.items():
        label = str(field.label or "")
        assert label and label.lower() != name.replace("_", " "), name
        assert field.help_text, f"{name} has no help text"


@pytest.mark.parametrize("form_class", FORMS.values(), ids=FORMS.keys())
def test_every_label_and_help_text_is_translated_to_hebrew(form_class):
    english = {n: (str(f.label), str(f.help_text)) for n, f in form_class().fields.items()}
    with translation.override("he"):
        hebrew = {n: (str(f.label), str(f.help_text)) for n, f in form_class().fields.items()}
    for name, (label, help_text) in english.items():
        assert hebrew[name][0] != label, f"{name}: label not translated"
        assert hebrew[name][1] != help_text, f"{name}: help text not translated"


def test_the_risk_settings_page_groups_every_field_once():
    grouped = [name for _, names in GROUPS for name in names]
    assert sorted(grouped) == sorted(RiskSettingsForm().fields)
