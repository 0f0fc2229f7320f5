"""The README is the front door and the manual lives in docs/: every relative link in them
resolves, to a file that exists and, with an #anchor, to one of its headings (GitHub's slugs)."""

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
README_MAX_LINES = 250

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
ATX_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
HTML_ANCHOR = re.compile(r"<a\s[^>]*\b(?:name|id)=\"([^\"]+)\"", re.IGNORECASE)
# [text](target) or ![alt](target), with an optional "title"; one level of nested brackets.
INLINE_LINK = re.compile(
    r"!?\[((?:[^\[\]]|\[[^\]]*\])*)\]\(\s*(<[^>]*>|[^)\s]+)(?:\s+\"[^\"]*\")?\s*\)"
)
REFERENCE_DEFINITION = re.compile(r"^ {0,3}\[([^\]]+)\]:\s*(<[^>]*>|\S+)")
CODE_SPAN = re.compile(r"(`+)(.+?)\1")
SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)  # http:, https:, mailto:, …
# What GitHub keeps in a slug: letters, digits, "_", "-" and spaces (which become "-").
NOT_IN_SLUG = re.compile(r"[^\w\- ]")
EMPHASIS_UNDERSCORES = re.compile(r"(?<![A-Za-z0-9])_+|_+(?![A-Za-z0-9])")


@dataclass(frozen=True)
class Link:
    source: Path
    line: int
    text: str
    target: str

    def __str__(self) -> str:
        return f"{_shown(self.source)}:{self.line}: [{self.text}]({self.target})"


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def prose_lines(text: str) -> list[tuple[int, str]]:
    """The lines outside fenced code blocks, numbered from 1."""
    lines, fence = [], None
    for number, line in enumerate(text.splitlines(), start=1):
        opening = FENCE.match(line)
        if fence is None and opening:
            fence = opening.group(1)
        elif fence is not None and opening and opening.group(1).startswith(fence):
            fence = None
        elif fence is None:
            lines.append((number, line))
    return lines


def heading_text(markdown: str) -> str:
    """A heading as GitHub renders it to text: code spans verbatim, links as their text,
    emphasis and HTML tags dropped."""
    parts = []
    for index, piece in enumerate(CODE_SPAN.split(markdown)):
        if index % 3 == 2:  # the inside of a code span
            parts.append(piece.strip())
        elif index % 3 == 0:
            piece = INLINE_LINK.sub(lambda m: m.group(1), piece)
            piece = re.sub(r"<[^>]+>", "", piece)
            parts.append(EMPHASIS_UNDERSCORES.sub("", piece))
    return "".join(parts)


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation other than - and _ dropped,
    each space a hyphen."""
    return NOT_IN_SLUG.sub("", heading_text(heading).strip().lower()).replace(" ", "-")


def anchors(text: str) -> set[str]:
    """Every anchor of a markdown page: its headings' slugs, a repeated one getting -1, -2, …
    (as github-slugger numbers them), and explicit <a name|id> anchors."""
    found: set[str] = set()
    occurrences: dict[str, int] = {}
    for _, line in prose_lines(text):
        found.update(HTML_ANCHOR.findall(line))
        match = ATX_HEADING.match(line)
        if not match:
            continue
        base = result = slug(match.group(1) or "")
        while result in occurrences:
            occurrences[base] += 1
            result = f"{base}-{occurrences[base]}"
        occurrences[result] = 0
        found.add(result)
    return found


def links_in(path: Path) -> list[Link]:
    """The links of a page outside code blocks and code spans, with their line numbers."""
    links = []
    for number, line in prose_lines(path.read_text(encoding="utf-8")):
        definition = REFERENCE_DEFINITION.match(line)
        if definition:
            links.append(Link(path, number, definition.group(1), definition.group(2)))
            continue
        prose = CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line)
        links += [Link(path, number, m.group(1), m.group(2)) for m in INLINE_LINK.finditer(prose)]
    return links


def problem_with(link: Link) -> str | None:
    """Why a relative link does not resolve, or None when it does (or is external)."""
    target = link.target.removeprefix("<").removesuffix(">")
    if SCHEME.match(target) or target.startswith("//"):
        return None
    location, _, anchor = target.partition("#")
    location = unquote(location.partition("?")[0])
    if not location:
        file = link.source
    elif location.startswith("/"):
        file = ROOT / location.lstrip("/")
    else:
        file = link.source.parent / location
    file = file.resolve()
    if not file.is_relative_to(ROOT):
        return f"{location} points outside the repository"
    if not file.exists():
        return f"no such file: {_shown(file)}"
    if anchor and file.is_file() and file.suffix == ".md":
        known = anchors(file.read_text(encoding="utf-8"))
        if unquote(anchor) not in known:
            return f"no heading in {_shown(file)} has the anchor #{anchor}"
    return None


def broken_links(path: Path) -> list[str]:
    return [f"{link}: {why}" for link in links_in(path) if (why := problem_with(link))]


def pages() -> list[Path]:
    return [README, *sorted((ROOT / "docs").glob("**/*.md"))]


class TestTheDocs:
    def test_the_readme_is_a_front_door_of_at_most_250_lines(self):
        lines = len(README.read_text(encoding="utf-8").splitlines())
        assert lines <= README_MAX_LINES, (
            f"README.md has {lines} lines (at most {README_MAX_LINES}): move detail to docs/"
        )

    @pytest.mark.parametrize("doc", pages(), ids=_shown)
    def test_every_relative_link_resolves(self, doc):
        broken = broken_links(doc)
        assert not broken, "Broken links:\n" + "\n".join(broken)

    def test_the_readme_links_every_docs_page(self):
        linked = {
            (README.parent / link.target.partition("#")[0]).resolve()
            for link in links_in(README)
            if not SCHEME.match(link.target)
        }
        missing = [_shown(page) for page in pages()[1:] if page.resolve() not in linked]
        assert not missing, f"README.md does not link to: {', '.join(missing)}"


class TestSlugs:
    @pytest.mark.parametrize(
        ("heading", "expected"),
        [
            pytest.param(heading, expected, id=expected)
            for heading, expected in [
                ("Quick start", "quick-start"),
                ("Importing customers and orders (CSV)", "importing-customers-and-orders-csv"),
                (
                    "Segments: defend / grow / strategic, the decision model, programme capacity",
                    "segments-defend--grow--strategic-the-decision-model-programme-capacity",
                ),
                ("Health check: `/healthz`", "health-check-healthz"),
                ("SQLite (`make run`)", "sqlite-make-run"),
                ("The `run_nightly` command", "the-run_nightly-command"),
                ("**Bold** and _emphasis_", "bold-and-emphasis"),
                ("A [linked](other.md#x) word", "a-linked-word"),
                ("Score ≤ 40 → flag", "score--40--flag"),
                ("תרגומים ו-RTL", "תרגומים-ו-rtl"),
            ]
        ],
    )
    def test_a_heading_becomes_githubs_anchor(self, heading, expected):
        assert slug(heading) == expected

    def test_repeated_headings_are_numbered_and_code_blocks_are_not_headings(self):
        text = "# Title\n## Translations\n```sh\n# a shell comment\n```\n## Translations\n"
        text += "### Translations\n## Translations-1\n"
        assert anchors(text) == {
            "title",
            "translations",
            "translations-1",
            "translations-2",
            "translations-1-1",
        }


class TestBrokenLinks:
    @pytest.fixture
    def tree(self, tmp_path, monkeypatch):
        monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
        (tmp_path / "docs").mkdir()
        (tmp_path / "docs" / "ops.md").write_text("# Ops\n## Demo logins (demo use only)\n")
        return tmp_path

    def write(self, tree: Path, text: str) -> Path:
        page = tree / "README.md"
        page.write_text(text)
        return page

    def test_links_that_resolve_pass(self, tree):
        page = self.write(
            tree,
            "# Front\n[ops](docs/ops.md) [logins](docs/ops.md#demo-logins-demo-use-only) "
            "[top](#front) [dir](docs/) [web](https://example.com/x.md#nope) "
            "[mail](mailto:a@b.c)\n[ref]: docs/ops.md#ops\n",
        )
        assert broken_links(page) == []

    def test_a_missing_file_is_named_with_the_linking_file_and_line(self, tree):
        page = self.write(tree, "# Front\n\nSee [the manual](docs/manual.md).\n")
        assert broken_links(page) == [
            "README.md:3: [the manual](docs/manual.md): no such file: docs/manual.md"
        ]

    def test_an_unknown_anchor_is_named(self, tree):
        page = self.write(tree, "# Front\n[logins](docs/ops.md#demo-logins)\n[x](#nowhere)\n")
        assert broken_links(page) == [
            "README.md:2: [logins](docs/ops.md#demo-logins): "
            "no heading in docs/ops.md has the anchor #demo-logins",
            "README.md:3: [x](#nowhere): no heading in README.md has the anchor #nowhere",
        ]

    def test_a_link_is_relative_to_the_page_that_holds_it(self, tree):
        page = tree / "docs" / "api.md"
        page.write_text("# API\n[ops](ops.md#ops) [wrong](docs/ops.md) [up](../README.md)\n")
        (tree / "README.md").write_text("# Front\n")
        assert broken_links(page) == [
            "docs/api.md:2: [wrong](docs/ops.md): no such file: docs/docs/ops.md"
        ]

    def test_links_in_code_are_not_links(self, tree):
        page = self.write(tree, "# Front\n`[a](missing.md)`\n```\n[b](missing.md)\n```\n")
        assert broken_links(page) == []

    def test_a_link_out_of_the_repository_is_broken(self, tree):
        page = self.write(tree, "# Front\n[etc](../../etc/passwd)\n")
        assert broken_links(page) == [
            "README.md:2: [etc](../../etc/passwd): ../../etc/passwd points outside the repository"
        ]
