"""Driving the imports page as a browser would: upload, choose the columns, check, confirm.

Tasks run in-process (eager, as `make run` without a broker); pytest-django holds each test in
a transaction, so the callbacks a view queues with on_commit are run explicitly here.
"""

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.importers import SPECS
from imports.models import ImportRun

ORDERS_HEADER = (
    "external_ref,customer_external_id,ordered_on,channel,revenue,gross_profit,"
    "price_compared,product_category"
)


def csv_bytes(lines: list[str], *, bom: bool = False) -> bytes:
    return (b"\xef\xbb\xbf" if bom else b"") + ("\n".join(lines) + "\n").encode("utf-8")


def upload(
    client: Client, kind: str, content: bytes, *, name: str = "data.csv", profile: str = ""
) -> Any:
    file = SimpleUploadedFile(name, content, content_type="text/csv")
    return client.post("/imports/", {"kind": kind, "file": file, "profile": profile})


def uploaded_run(client: Client, kind: str, content: bytes, **kwargs: Any) -> ImportRun:
    response = upload(client, kind, content, **kwargs)
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportRun.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


def mapping_data(
    kind: str,
    mapping: dict[str, str] | None = None,
    *,
    date_format: str = "iso",
    number_format: str = "plain",
    skip_invalid: bool = False,
    action: str = "check",
    save_as: str = "",
) -> dict[str, str]:
    """The mapping form's fields: each portal column from the file column of the same name,
    unless `mapping` says otherwise."""
    columns = {name: name for name in SPECS[kind].names} | (mapping or {})
    data = {f"column_{name}": source for name, source in columns.items()}
    data |= {"date_format": date_format, "number_format": number_format, "action": action}
    data |= {"save_as": save_as}
    if skip_invalid:
        data["skip_invalid"] = "on"
    return data


def check(client: Client, run: ImportRun, capture: Any, **kwargs: Any) -> ImportRun:
    """Submit the mapping form (the dry run runs at commit, in-process)."""
    with capture(execute=True):
        response = client.post(f"/imports/{run.pk}/", mapping_data(run.kind, **kwargs))
    assert response.status_code == 302, response.content.decode()[:3000]
    run.refresh_from_db()
    return run


def confirm(client: Client, run: ImportRun, capture: Any) -> ImportRun:
    with capture(execute=True):
        response = client.post(f"/imports/{run.pk}/confirm/")
    assert response.status_code == 302
    run.refresh_from_db()
    return run
