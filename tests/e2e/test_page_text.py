"""The browser walk's text checks, on text whose answer is known (no browser, no database: these
run with the ordinary suite)."""

from tests.e2e.page_text import arrows_pointing_back, long_decimals, untranslated


def test_a_hebrew_sentence_with_data_and_allowed_words_passes():
    text = "מזהה ERP‏ DEMO-000042 · ייצוא: CSV · XLSX · ממשק הניהול של Django · KAM Portal"
    assert untranslated(text, ["DEMO-000042"]) == []


def test_an_english_phrase_left_on_a_hebrew_page_is_reported_whole():
    assert untranslated("לוח בקרה\nShow the numbers as a table\nחשבונות") == [
        "Show the numbers as a table"
    ]


def test_an_allowed_word_does_not_excuse_the_english_beside_it():
    assert untranslated("API tokens") == ["tokens"]
    assert untranslated("APIs") == ["APIs"]  # whole words only


def test_data_values_are_taken_out_before_looking():
    data = ["Orion Agro Modiin Group Ltd", "Daniel Weiss", "Late delivery again."]
    text = "Orion Agro Modiin Group Ltd · מנהל לקוח: Daniel Weiss · Late delivery again. Low"
    assert untranslated(text, data) == ["Low"]


def test_a_data_value_never_joins_the_words_either_side():
    assert untranslated("Weekly Daniel Weiss report", ["Daniel Weiss"]) == ["Weekly", "report"]


def test_addresses_and_numbers_are_not_words():
    text = "noa@example.com https://kam.example.com/login/ 58,196 ₪ 28/11/2026 12% 0.7"
    assert untranslated(text) == []


def test_long_decimals_are_found_and_short_ones_pass():
    text = "0.700000000000000 Low · 0.7 · 72.5 · 80.00 · 1,234.567 · ₪58,196 · 3.14159"
    assert long_decimals(text) == ["0.700000000000000", "1,234.567", "3.14159"]


def test_dates_times_and_dotted_numbers_are_not_decimals():
    assert long_decimals("28.11.2026 10:30 127.0.0.1 version 1.2.3 DEMO-000001 58,196") == []


def test_a_right_pointing_arrow_is_found_and_a_left_pointing_one_passes():
    text = "ציון לפי ריצה: 69.6 → 96.2\nקיבולת 25 ← 30\nבלי חץ"
    assert arrows_pointing_back(text) == ["ציון לפי ריצה: 69.6 → 96.2"]
