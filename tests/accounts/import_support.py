"""Helpers shared by the import tests: write a CSV, run a command, capture what it says."""

from dataclasses import dataclass
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError

ORDERS_HEADER = (
    "external_ref,customer_external_id,ordered_on,channel,revenue,gross_profit,"
    "price_compared,product_category"
)
CUSTOMERS_HEADER = "external_id,name,industry,owner_username"


@dataclass
class Outcome:
    stdout: str
    stderr: str
    error: str | None  # the CommandError message, None when the command succeeded

    @property
    def error_lines(self) -> list[str]:
        return self.stderr.splitlines()


def write_csv(
    directory: Path, lines: list[str], *, name: str = "data.csv", bom: bool = False
) -> Path:
    path = directory / name
    text = "\n".join(lines) + "\n"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def run(command: str, path: Path, *flags: str) -> Outcome:
    out, err = StringIO(), StringIO()
    try:
        call_command(command, str(path), *flags, stdout=out, stderr=err)
    except CommandError as exc:
        return Outcome(out.getvalue(), err.getvalue(), str(exc))
    return Outcome(out.getvalue(), err.getvalue(), None)
