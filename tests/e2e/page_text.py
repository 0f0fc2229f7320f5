"""What a reader sees on a page, checked for display defects: English left on a Hebrew page,
numbers shown with more than two decimals (`0.700000000000000` on SQLite, issue 9), and on a
Hebrew page a negative number drawn with its minus on the right ("5.8-") or an arrow from one
value to the next pointing back ("→" in a right-to-left line).

The text checks are pure functions, tested without a browser in test_page_text.py; the parts
that run in the browser are tested on known pages in test_page_checks.py. `page_defects` reads
the page and the database and calls them.

What counts as "untranslated" is Latin letters the portal itself wrote. Data is not translated:
names, ERP ids, industries, categories, e-mail addresses and the notes people typed are shown as
they were entered, in whatever language that was. So the data values in the database are taken
out of the page's text first (DATA_FIELDS), then every run of Latin words left must be one of
ALLOWED. Text inside an element marked with another `lang` (the language switcher's "English")
is that language on purpose and is left out too.
"""

import re
from collections.abc import Iterable

from django.apps import apps
from playwright.sync_api import Page

# Fields whose values a person typed or an import brought in: shown as entered, never
# translated. Not here: texts the portal writes or translates itself (questions and playbooks
# have an English and a Hebrew field, and the page must show the reader's one).
DATA_FIELDS: dict[str, tuple[str, ...]] = {
    "users.Team": ("name",),
    "users.User": ("username", "first_name", "last_name", "email"),
    "accounts.Account": ("external_id", "name", "industry"),
    "accounts.Contact": ("name", "title", "email", "phone"),
    "accounts.Order": ("product_category",),
    "accounts.AccountEvent": ("text", "competitor", "offer"),
    "accounts.AccountChange": ("reason",),
    "segmentation.SegmentPin": ("reason",),
    "assessments.Answer": ("note",),
    "plans.GrowthPlan": ("summary",),
    "plans.Goal": ("category", "text"),
    "plans.Action": ("title", "outcome"),
    "playbooks.Task": ("note",),
    "imports.ImportProfile": ("name",),
    "imports.ImportRun": ("file_name",),
    "api.ApiToken": ("name",),
}

# Latin a Hebrew page may show, each for a reason; keep it short. Each is taken out as a whole
# word, so "API" is fine while "API tokens" still leaves "tokens" to report.
ALLOWED = (
    "KAM Portal",  # the product's name: the brand in the navbar
    "Django",  # a product's name: the catalogue says "ממשק הניהול של Django"
    "English",  # a language named in itself, as the switcher and the language field do
    "ERP",  # acronyms Hebrew writes in Latin letters too: the customer's system,
    "SMS",  # a text message (an order channel),
    "API",  # the REST API,
    "CSV",  # file formats and their encoding
    "XLSX",
    "UTF",  # as in UTF-8 (the digits end the run)
    "AUC",  # the churn model's statistics on the risk settings page, named as in the
    "Brier",  # literature in Hebrew too (the area under the ROC curve; Brier's score)
    "MBG",  # the repeat-buying model's name, MBG/NBD (Batislam et al. 2007), cited as such
    "NBD",
)
ALLOWED_WORDS = re.compile(r"\b(?:" + "|".join(re.escape(a) for a in ALLOWED) + r")\b")

LATIN = re.compile(r"[A-Za-z]")
# A run: Latin words separated by spaces (a phrase left in English), with their inner
# punctuation; digits and symbols end it ("UTF-8" is the run "UTF").
LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z'’.&-]*(?:[ \u00a0]+[A-Za-z][A-Za-z'’.&-]*)*")
# E-mail addresses and web addresses are data or links, in any language.
ADDRESS = re.compile(r"\S+@\S+|https?://\S+|\b[\w-]+(?:\.[\w-]+)+/\S*")
# A decimal number with three or more places: digits, an optional thousands grouping, a point,
# 3+ digits. Not a date (28/11/2026), a time, nor part of a dotted run such as 1.2.3.
LONG_DECIMAL = re.compile(r"(?<![\d.,])\d[\d,]*\.\d{3,}(?![\d.])")


def data_values() -> list[str]:
    """Every non-empty value of DATA_FIELDS that has Latin letters, longest first (so that a
    name is taken out before a shorter name inside it)."""
    found: set[str] = set()
    for label, fields in DATA_FIELDS.items():
        model = apps.get_model(label)
        for row in model._default_manager.values_list(*fields):
            found.update(str(v).strip() for v in row if v and LATIN.search(str(v)))
    return sorted(found, key=len, reverse=True)


def without_data(text: str, data: Iterable[str]) -> str:
    """`text` with every data value and address taken out (each replaced by a line break, so
    the words either side never join into one run)."""
    for value in data:
        text = text.replace(value, "\n")
    return ADDRESS.sub("\n", text)


def untranslated(text: str, data: Iterable[str] = ()) -> list[str]:
    """The runs of Latin words in `text` that are neither data nor ALLOWED."""
    left = ALLOWED_WORDS.sub("\n", without_data(text, data))
    runs = (m.group().strip(" .'’&-") for m in LATIN_RUN.finditer(left))
    return sorted({run for run in runs if LATIN.search(run)})


def arrows_pointing_back(text: str) -> list[str]:
    """The lines of a right-to-left text with "→" (before → after): in Hebrew it points from
    the later value back to the earlier one; "←" reads the right way."""
    return sorted({line.strip() for line in text.splitlines() if "→" in line})


def long_decimals(text: str) -> list[str]:
    """Numbers in `text` shown with more than two decimals."""
    return sorted(set(LONG_DECIMAL.findall(text)))


# The reader's text of the navbar and main: every text node (a closed menu or <details> too:
# a reader opens them), the placeholders, and the page's title; never what an element in
# another language holds (lang="en" on the switcher's "English"), nor scripts, nor what the
# `skip` selector matches.
READ_TEXT = """(skip) => {
  const lang = document.documentElement.lang;
  const parts = [document.title];
  for (const root of document.querySelectorAll('body > nav, main')) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      if (el.closest('script, style, template, noscript')) continue;
      if (skip && el.closest(skip)) continue;
      const marked = el.closest('[lang]');
      if (marked && marked.lang !== lang) continue;
      parts.push(node.textContent);
    }
    root.querySelectorAll('[placeholder]').forEach(el => parts.push(el.placeholder));
  }
  return parts.join('\\n');
}"""


# Statistics an admin reads to the third decimal (a model's AUC and Brier score), marked
# `data-precise-figures` in their templates: the only numbers allowed more than two decimals.
PRECISE = "[data-precise-figures]"


def page_text(page: Page, *, skip: str = "") -> str:
    return page.evaluate(READ_TEXT, skip)


# A minus sign (a "-" that no letter or digit precedes: not the hyphen of "ל-28/11" or of an
# ERP id) drawn to the right of its first digit: "5.8-" in a right-to-left sentence, where the
# number was not isolated as left to right. Measured where the browser drew both characters.
MINUS_ON_THE_RIGHT = """() => {
  const found = [];
  const minus = /(^|[^\\p{L}\\p{N}])-(?=\\d)/gu;
  const box = (node, at) => {
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + 1);
    return range.getBoundingClientRect();
  };
  for (const root of document.querySelectorAll('body > nav, main')) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.textContent.matchAll(minus)) {
        const at = match.index + match[1].length;
        const sign = box(node, at), digit = box(node, at + 1);
        if (sign.width && digit.width && sign.left > digit.left) {
          found.push(node.textContent.trim().slice(0, 80));
        }
      }
    }
  }
  return found;
}"""


def minus_on_the_right(page: Page) -> list[str]:
    """Texts on the page with a negative number drawn "5.8-" (right to left, not isolated)."""
    return page.evaluate(MINUS_ON_THE_RIGHT)


def page_defects(page: Page, *, language: str) -> list[str]:
    """The display defects on the page now: more than two decimals in any language; on a
    Hebrew page English the portal wrote, negative numbers with the minus on the right and
    arrows pointing back."""
    text = page_text(page)
    decimals = long_decimals(page_text(page, skip=PRECISE))
    found = [f"{page.url}: more than two decimals: {n}" for n in decimals]
    if language == "he":
        found += [f"{page.url}: untranslated: {run!r}" for run in untranslated(text, data_values())]
        found += [f"{page.url}: minus on the right: {t!r}" for t in minus_on_the_right(page)]
        found += [f"{page.url}: arrow pointing back: {t!r}" for t in arrows_pointing_back(text)]
    return found
