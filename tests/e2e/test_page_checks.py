"""The walk's in-browser checks (page_text.py) on pages whose answer is known, so that a check
that stopped seeing anything would fail here rather than pass every page."""

import pytest
from playwright.sync_api import Page

from tests.e2e.page_text import PRECISE, long_decimals, minus_on_the_right, page_text

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LRI, PDI = "\u2066", "\u2069"


def hebrew_page(page: Page, main: str) -> None:
    page.set_content(
        '<html lang="he" dir="rtl"><head><title>לוח בקרה</title></head><body>'
        '<nav class="navbar"><a>KAM Portal</a><ul class="dropdown-menu"><li>Log out</li></ul>'
        f"</nav><main>{main}</main><footer>Not read</footer></body></html>"
    )


def test_the_text_read_is_the_titles_the_navbars_and_mains_closed_parts_included(page: Page):
    hebrew_page(
        page,
        "<p>שלום</p><details><summary>טבלה</summary><td>Hidden row</td></details>"
        '<input placeholder="Search"><span lang="en">English</span>'
        "<script>var notText = 1;</script>",
    )
    text = page_text(page)
    for shown in ("לוח בקרה", "KAM Portal", "Log out", "שלום", "Hidden row", "Search"):
        assert shown in text
    for left_out in ("Not read", "English", "notText"):
        assert left_out not in text


def test_a_minus_drawn_right_of_its_number_is_found(page: Page):
    hebrew_page(
        page,
        "<p>-5.8 נקודות</p>"  # drawn "5.8-": found
        f"<p>{LRI}-5.8{PDI} נקודות</p>"  # isolated: "-5.8"
        "<p>נכון ל-28/11/2026</p>"  # a hyphen after a letter, not a minus
        '<p><span class="ltr">DEMO-000001</span></p>',
    )
    assert minus_on_the_right(page) == ["-5.8 נקודות"]


def test_only_figures_marked_precise_may_show_a_third_decimal(page: Page):
    hebrew_page(
        page,
        "<p>0.700000000000000</p><table data-precise-figures><tr><td>AUC 0.949</td></tr></table>",
    )
    assert "0.949" in page_text(page)  # still read for untranslated English
    assert long_decimals(page_text(page, skip=PRECISE)) == ["0.700000000000000"]
