"""The one exception the importers raise for a file they cannot read at all."""


class ImportFileError(Exception):
    """The file as a whole is unusable (missing, not UTF-8, bad header): nothing was imported."""
