"""Property tests of the CSV importers on generated bad files: every bad cell is a row error
naming its line and column, a file that cannot be read is one error naming its line, and a
refused import writes nothing (counted before and after)."""

import csv
import datetime as dt
import io
import re
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from accounts.models import Account, Channel, Order
from kam_portal.limits import EARLIEST_DATE, LATEST_DATE
from tests.accounts.import_support import run
from tests.factories import AccountFactory, AccountManagerFactory, SalesManagerFactory
from tests.hypothesis_support import (
    ANY_DATE,
    BAD_INPUT,
    CHARACTERS,
    MALFORMED_DATE,
    NUL_TEXT,
    ODD_NUMBER,
    SOLID,
    TEXT,
    rolled_back,
)

pytestmark = pytest.mark.django_db
CUSTOMERS = ("C1", "C2")
OWNERS = ("am1", "am2")
KEY = None  # the key column's good cell: a unique key is filled in per row


@dataclass(frozen=True)
class Column:
    name: str
    good: st.SearchStrategy
    bad: st.SearchStrategy


def text_of(max_length: int, *, required: bool) -> st.SearchStrategy[str]:
    good = st.text(CHARACTERS.filter(lambda c: c != "\x00"), max_size=max_length)
    return good.filter(lambda s: s.strip()) if required else good


def too_long(max_length: int) -> st.SearchStrategy[str]:
    return st.text(SOLID, min_size=max_length + 1, max_size=max_length + 50)


def not_in(accepted: set[str], lower: bool = False) -> st.SearchStrategy[str]:
    def refused(s: str) -> bool:
        cell = s.strip().lower() if lower else s.strip()
        return cell not in accepted

    return TEXT.filter(refused)


def amount(cents: int) -> str:
    return str(Decimal(cents).scaleb(-2))


AMOUNTS = st.integers(min_value=-(10**14) + 1, max_value=10**14 - 1).map(amount)
BAD_AMOUNTS = st.one_of(
    st.integers(min_value=10**12, max_value=10**40).map(str),  # 13 or more whole digits
    st.integers(min_value=10**12, max_value=10**40).map(lambda n: f"-{n}.5"),
    ODD_NUMBER.filter(lambda s: s.strip() not in ("7",)),
    st.sampled_from(["1.234", "1.", ".5", "12 3", "abc"]),
)
OUT_OF_RANGE = ANY_DATE.filter(
    lambda s: not EARLIEST_DATE <= dt.date.fromisoformat(s) <= LATEST_DATE
)
FLAGS = {"", "0", "1", "true", "false", "yes", "no"}

ORDER_COLUMNS = (
    Column("external_ref", st.just(KEY), st.one_of(too_long(64), st.just(""))),
    Column("customer_external_id", st.sampled_from(CUSTOMERS), st.sampled_from(["C9", "c1"])),
    Column(
        "ordered_on",
        st.dates(EARLIEST_DATE, LATEST_DATE).map(dt.date.isoformat),
        st.one_of(OUT_OF_RANGE, MALFORMED_DATE.filter(lambda s: not _is_date(s))),
    ),
    Column(
        "channel",
        st.sampled_from([*Channel.values, "", "PHONE", " Website "]),
        not_in({*Channel.values, ""}, lower=True),
    ),
    Column("revenue", AMOUNTS, st.one_of(BAD_AMOUNTS, st.just(""))),
    Column("gross_profit", st.one_of(AMOUNTS, st.just("")), BAD_AMOUNTS),
    Column("price_compared", st.sampled_from(sorted(FLAGS) + ["YES"]), not_in(FLAGS, True)),
    Column("product_category", text_of(100, required=False), too_long(100)),
)
CUSTOMER_COLUMNS = (
    Column("external_id", st.just(KEY), st.one_of(too_long(64), st.just(""))),
    Column("name", text_of(200, required=True), st.one_of(too_long(200), st.just(" "))),
    Column("industry", text_of(100, required=False), too_long(100)),
    Column(
        "owner_username",
        st.sampled_from([*OWNERS, ""]),
        st.sampled_from(["nobody", "manager", "am1 x"]),
    ),
)
IMPORTS = {"import_orders": ORDER_COLUMNS, "import_customers": CUSTOMER_COLUMNS}


def _is_date(text: str) -> bool:
    """YYYY-MM-DD in ASCII digits and a real day (restated here, not imported from the code)."""
    cell = text.strip()
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", cell):
        return False
    try:
        dt.date.fromisoformat(cell)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class Row:
    cells: list[str]
    bad_columns: list[int]  # positions of the cells that must be refused
    short: bool  # fields dropped from the end

    @property
    def bad(self) -> bool:
        return self.short or bool(self.bad_columns)


@st.composite
def rows(draw, columns: tuple[Column, ...], index: int) -> Row:
    cells, bad_columns = [], []
    for position, column in enumerate(columns):
        kind = draw(st.sampled_from(["good"] * 14 + ["bad", "nul"]))
        if kind == "good":
            cell = draw(column.good)
            cells.append(f" K{index} " if cell is KEY else cell)
            continue
        cells.append(draw(column.bad if kind == "bad" else NUL_TEXT))
        bad_columns.append(position)
    short = draw(st.integers(min_value=0, max_value=12)) == 0
    if short:
        cells = cells[: draw(st.integers(min_value=1, max_value=len(cells) - 1))]
        bad_columns = []  # the field count is the row's one reported problem
    return Row(cells, bad_columns, short)


@st.composite
def files(draw, columns: tuple[Column, ...]) -> list[Row]:
    count = draw(st.integers(min_value=1, max_value=8))
    return [draw(rows(columns, index)) for index in range(count)]


def write(path: Path, columns: tuple[Column, ...], data: list[Row]) -> list[int]:
    """Write the file as Excel's CSV UTF-8 would; return each row's first physical line."""
    out = io.StringIO()
    writer = csv.writer(out)  # \r\n line ends; cells with \r, \n, quotes or commas quoted
    writer.writerow([c.name for c in columns])
    starts = []
    for row in data:
        starts.append(out.getvalue().count("\n") + 1)
        writer.writerow(row.cells)
    path.write_bytes(b"\xef\xbb\xbf" + out.getvalue().encode("utf-8"))
    return starts


def stored() -> tuple[int, int, int]:
    """What the imports can change: a count per table and a sum that moves with any update."""
    revenue = sum(Order.objects.values_list("revenue", flat=True), Decimal(0))
    return Account.objects.count(), Order.objects.count(), hash(revenue)


@pytest.fixture
def portfolio(db):
    with translation.override("en"):
        SalesManagerFactory(username="manager")  # not an account manager: no owner
        for username in OWNERS:
            AccountManagerFactory(username=username)
        for external_id in CUSTOMERS:
            AccountFactory(external_id=external_id, owner=None)
        yield


def expected_error(row: Row, line: int, columns: tuple[Column, ...]) -> list[str]:
    """Pieces the row's error line must hold: its line, then each bad cell's column."""
    if row.short:
        return [f"line {line}, the row has {len(row.cells)} fields"]
    return [f"line {line}, "] + [f"column {p + 1} ({columns[p].name})" for p in row.bad_columns]


def check_errors(outcome, data: list[Row], starts: list[int], columns) -> None:
    bad = [(row, line) for row, line in zip(data, starts, strict=True) if row.bad]
    assert len(outcome.error_lines) == len(bad), outcome.stderr
    for (row, line), message in zip(bad, outcome.error_lines, strict=True):
        first, *cells = expected_error(row, line, columns)
        assert message.startswith(first), (message, first)
        assert all(piece in message for piece in cells), (message, cells)


@pytest.mark.parametrize("command", IMPORTS)
@BAD_INPUT
@given(data=st.data())
def test_bad_cells_are_row_errors_and_a_refused_import_writes_nothing(portfolio, command, data):
    columns = IMPORTS[command]
    generated = data.draw(files(columns))
    with rolled_back(), tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "data.csv"
        starts = write(path, columns, generated)
        before = stored()

        outcome = run(command, path)

        check_errors(outcome, generated, starts, columns)
        if any(row.bad for row in generated):
            assert outcome.error.endswith("(fix it, or use --skip-invalid).") or (
                outcome.error.endswith("(fix them, or use --skip-invalid).")
            )
            assert stored() == before
        else:
            assert outcome.error is None, outcome.error
            assert f"{len(generated)} created" in outcome.stdout


@pytest.mark.parametrize("command", IMPORTS)
@BAD_INPUT
@given(data=st.data())
def test_skip_invalid_writes_exactly_the_good_rows_and_rejects_the_rest(portfolio, command, data):
    columns = IMPORTS[command]
    generated = data.draw(files(columns))
    model = Order if command == "import_orders" else Account
    key = columns[0].name
    with rolled_back(), tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "data.csv"
        starts = write(path, columns, generated)
        before = set(model.objects.values_list(key, flat=True))

        outcome = run(command, path, "--skip-invalid")

        assert outcome.error is None, outcome.error
        check_errors(outcome, generated, starts, columns)
        good = {row.cells[0].strip() for row in generated if not row.bad}
        assert set(model.objects.values_list(key, flat=True)) - before == good
        if any(row.bad for row in generated):
            with (path.parent / "data.rejects.csv").open(encoding="utf-8-sig", newline="") as f:
                rejected_lines = [int(r["line"]) for r in csv.DictReader(f)]
            bad_lines = [line for row, line in zip(generated, starts, strict=True) if row.bad]
            assert rejected_lines == bad_lines


@pytest.mark.parametrize("command", IMPORTS)
@pytest.mark.parametrize("flags", [(), ("--skip-invalid",)])
@BAD_INPUT
@given(
    data=st.data(),
    corruption=st.one_of(
        st.sampled_from([b"\xff", b"\xc3", b"\xe2\x82", b"\xed\xa0\x80", b"\xc0\xaf", b"\x80"]),
        st.sampled_from(["שלום", "€"]).map(lambda s: s.encode("cp1255")),
        st.sampled_from(["é", "ü"]).map(lambda s: s.encode("latin-1")),
    ),
)
def test_a_line_in_another_encoding_is_named_and_nothing_is_written(
    portfolio, command, flags, data, corruption
):
    columns = IMPORTS[command]
    generated = data.draw(files(columns))
    with rolled_back(), tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "data.csv"
        starts = write(path, columns, generated)
        lines = path.read_bytes().split(b"\n")
        target = data.draw(st.sampled_from(starts))
        line = lines[target - 1]
        at = data.draw(st.integers(min_value=0, max_value=len(line)))
        lines[target - 1] = line[:at] + corruption + line[at:]
        path.write_bytes(b"\n".join(lines))
        before = stored()

        outcome = run(command, path, *flags)

        assert outcome.error is not None
        assert f"line {target} is not UTF-8 text" in outcome.error
        assert stored() == before


@pytest.mark.parametrize("command", IMPORTS)
@pytest.mark.parametrize("flags", [(), ("--skip-invalid",)])
@BAD_INPUT
@given(body=st.binary(max_size=400), header=st.booleans())
def test_any_bytes_give_an_import_or_a_clear_error_never_a_traceback(
    portfolio, command, flags, body, header
):
    """Anything but a CommandError escaping `run` fails the test; a refusal writes nothing."""
    names = ",".join(c.name for c in IMPORTS[command])
    with rolled_back(), tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "data.csv"
        path.write_bytes((names.encode() + b"\r\n" if header else b"") + body)
        before = stored()

        outcome = run(command, path, *flags)

        if outcome.error is not None:
            assert stored() == before
            assert outcome.error.startswith(str(path)) or "invalid" in outcome.error
        for message in outcome.error_lines:
            assert message.startswith("line ") or message.startswith("… and ")
