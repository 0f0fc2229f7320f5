"""Uploaded import files: streamed to disk under MEDIA_ROOT/imports/ as they arrive.

The upload handler writes each chunk to a temporary file in that directory (memory holds one
chunk, whatever the file's size) and refuses a file over IMPORT_MAX_UPLOAD_MB; `store` then
renames the temporary file into place (same directory: a rename, never a copy).
"""

import tempfile
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.move import file_move_safe
from django.core.files.uploadedfile import TemporaryUploadedFile, UploadedFile
from django.core.files.uploadhandler import StopUpload, TemporaryFileUploadHandler


def imports_dir() -> Path:
    directory = Path(settings.MEDIA_ROOT) / "imports"
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def max_upload_bytes() -> int:
    return settings.IMPORT_MAX_UPLOAD_MB * 1024 * 1024


class _IncomingFile(TemporaryUploadedFile):
    """Django's temporary upload file, created in imports_dir() instead of the system's."""

    def __init__(self, name: str, content_type: str, size: int, charset: str | None) -> None:
        # Closed (and deleted, unless `store` moved it) with the request, as Django's own.
        file = tempfile.NamedTemporaryFile(suffix=".upload", dir=imports_dir())  # noqa: SIM115
        UploadedFile.__init__(self, file, name, content_type, size, charset)


class ImportUploadHandler(TemporaryFileUploadHandler):
    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super(TemporaryFileUploadHandler, self).new_file(*args, **kwargs)
        name, content_type = self.file_name or "upload.csv", self.content_type or "text/csv"
        self.file = _IncomingFile(name, content_type, 0, self.charset)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if start + len(raw_data) > max_upload_bytes():
            self.file.close()
            raise StopUpload(connection_reset=False)
        return super().receive_data_chunk(raw_data, start)


def store(upload: UploadedFile) -> Path:
    """Move an upload into imports_dir() under a name of its own; its path."""
    target = imports_dir() / f"{uuid.uuid4().hex}.csv"
    if isinstance(upload, TemporaryUploadedFile):
        file_move_safe(upload.temporary_file_path(), str(target))
    else:  # a small file another handler kept in memory (tests)
        with target.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
    return target


def remove(path: str) -> None:
    if path:
        Path(path).unlink(missing_ok=True)
