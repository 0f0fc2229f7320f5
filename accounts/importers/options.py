"""How one import reads its file and whom it answers to: the column mapping, the date and
number formats, a sales manager's scope, and the hooks a page uses to follow and stop it."""

from collections.abc import Callable
from dataclasses import dataclass

from accounts.importers.csvfile import ColumnMapping
from accounts.importers.formats import DEFAULT, Formats
from accounts.importers.scope import Scope

# (stage, done, total): stage is one of STAGES; done and total are bytes while reading,
# rejected rows while writing the rejects file, and 0 / 0 for a step with no measure.
ProgressHook = Callable[[str, int, int], None]
READING, CHECKING, WRITING, REJECTS = "reading", "checking", "writing", "rejects"
STAGES = (READING, CHECKING, WRITING, REJECTS)


@dataclass(frozen=True)
class ImportOptions:
    mapping: ColumnMapping | None = None  # None: the header names the portal's columns
    formats: Formats = DEFAULT
    scope: Scope | None = None  # None: any customer (admins, the commands)
    on_progress: ProgressHook | None = None
    # Asked between batches and before the commit; True stops the import, writing nothing.
    should_cancel: Callable[[], bool] | None = None
    # A staging table kept after a dry run (the page's), so that the import that follows
    # reuses its parsed rows instead of reading the file again: the import reuses it when it
    # holds `staged_rows` rows (what its dry run read), and drops it. None: a temporary table.
    staging_table: str | None = None
    staged_rows: int | None = None


PLAIN = ImportOptions()
