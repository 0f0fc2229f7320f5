"""The exceptions the importers raise when an import writes nothing at all."""


class ImportFileError(Exception):
    """The file as a whole is unusable (missing, not UTF-8, bad header): nothing was imported."""


class ImportCancelled(Exception):
    """The import was asked to stop (ImportOptions.should_cancel) and wrote nothing."""
