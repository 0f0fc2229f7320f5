"""The imports pages: upload and history, then one page per import that walks through
choosing the columns, the preview, the dry run, the confirmation, progress and the outcome.

Every view fetches the run through imports.selectors (403 for an account manager, 404 for
another's import); the work is in imports.services and its tasks.
"""

import datetime as dt
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST, require_safe

from accounts.importers import SPECS, ImportFileError
from accounts.importers.preview import preview_rows
from imports import progress, uploads
from imports.forms import MappingForm, UploadForm, mapping_initial
from imports.models import ImportRun, ImportStatus
from imports.selectors import import_run_get_for_user, import_runs_visible_to, may_import
from imports.services import (
    import_profile_save,
    import_run_cancel,
    import_run_configure,
    import_run_confirm,
    import_run_upload,
    import_runs_expire,
    options_for,
)
from imports.tasks import import_apply_task, import_check_task
from users.requests import AuthenticatedHttpRequest

HISTORY_PAGE_SIZE = 25
POLL_SECONDS = 2
# An import left waiting (for its columns or its confirmation) this long is closed at the next
# upload: its file and its staged rows are not kept for ever.
WAITING_KEPT = dt.timedelta(days=2)


@csrf_exempt  # checked by _index, once the upload handler is in place (Django's way)
def imports_index(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    # The file streams to disk in MEDIA_ROOT/imports/, never held in memory.
    request.upload_handlers = [uploads.ImportUploadHandler(request)]
    return _index(request)


@csrf_protect
def _index(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    if not may_import(request.user):
        raise PermissionDenied
    form = UploadForm()
    if request.method == "POST":
        form = _upload_form(request)
        if form.is_valid():
            import_runs_expire(before=timezone.now() - WAITING_KEPT)
            upload = form.cleaned_data["file"]
            run = import_run_upload(
                user=request.user,
                kind=form.cleaned_data["kind"],
                file_name=Path(upload.name).name,
                path=uploads.store(upload),
                profile=form.cleaned_data["profile"],
            )
            return redirect("imports:detail", pk=run.pk)
    runs = import_runs_visible_to(user=request.user)
    page = Paginator(runs, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "imports/index.html", {"form": form, "page": page})


def _upload_form(request: AuthenticatedHttpRequest) -> UploadForm:
    if int(request.META.get("CONTENT_LENGTH") or 0) > uploads.max_upload_bytes():
        # The handler stopped storing it; say why rather than "This field is required".
        form = UploadForm({"kind": request.POST.get("kind", "")})
        form.full_clean()
        form.errors.pop("file", None)
        form.add_error("file", _too_large())
        return form
    return UploadForm(request.POST, request.FILES)


def _too_large() -> str:
    return _("The file is larger than the %(size)d MB an import accepts.") % {
        "size": uploads.max_upload_bytes() // (1024 * 1024)
    }


def import_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """GET: the import in its current state. POST: the mapping form, to preview the first
    rows (action=preview) or to start the dry run."""
    run = import_run_get_for_user(user=request.user, pk=pk)
    form = None
    preview = None
    if request.method == "POST" and run.status in (ImportStatus.UPLOADED, ImportStatus.CHECKED):
        form = MappingForm(request.POST, kind=run.kind, header=run.header, user=request.user)
        if form.is_valid() and request.POST.get("action") == "preview":
            preview = _preview(run, form)
        elif form.is_valid():
            _check(request, run, form)
            return redirect("imports:detail", pk=run.pk)
    return render(request, "imports/detail.html", run_context(request, run, form, preview))


def _preview(run: ImportRun, form: MappingForm) -> dict[str, Any]:
    run.mapping = form.mapping()
    run.date_format, run.number_format = form.formats().date, form.formats().number
    try:
        rows = preview_rows(
            spec=SPECS[run.kind], path=Path(run.path), options=options_for(run, live=False)
        )
    except ImportFileError as exc:
        return {"error": str(exc), "rows": []}
    return {"error": "", "rows": rows, "columns": SPECS[run.kind].names}


def _check(request: AuthenticatedHttpRequest, run: ImportRun, form: MappingForm) -> None:
    name = form.cleaned_data["save_as"]
    if name:
        profile = import_profile_save(
            user=request.user,
            kind=run.kind,
            name=name,
            mapping=form.mapping(),
            formats=form.formats(),
        )
        ImportRun.objects.filter(pk=run.pk).update(profile=profile)
        messages.success(request, _("Saved the profile “%(name)s”.") % {"name": name})
    import_run_configure(
        run=run,
        mapping=form.mapping(),
        formats=form.formats(),
        skip_invalid=form.cleaned_data["skip_invalid"],
        start_check=import_check_task.delay,
    )


def run_context(
    request: AuthenticatedHttpRequest,
    run: ImportRun,
    form: MappingForm | None = None,
    preview: dict[str, Any] | None = None,
) -> dict[str, Any]:
    if form is None and run.status in (ImportStatus.UPLOADED, ImportStatus.CHECKED):
        initial = mapping_initial(
            mapping=run.mapping,
            date_format=run.date_format,
            number_format=run.number_format,
            skip_invalid=run.skip_invalid,
        )
        form = MappingForm(initial=initial, kind=run.kind, header=run.header, user=request.user)
    return {
        "run": run,
        "form": form,
        "preview": preview,
        "progress": progress.read(run.pk) if run.is_running else None,
        "poll_seconds": POLL_SECONDS,
        "may_confirm": run.status == ImportStatus.CHECKED
        and (run.skip_invalid or not run.rejected),
        "rejects_ready": _rejects_file(run) is not None,
        "more_errors": max(run.rejected - len(run.errors), 0),
    }


@require_safe
def import_status(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The state fragment the detail page polls while the run is running."""
    run = import_run_get_for_user(user=request.user, pk=pk)
    return render(request, "imports/_state.html", run_context(request, run))


@require_POST
def import_confirm(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    run = import_run_get_for_user(user=request.user, pk=pk)
    if run.status == ImportStatus.CHECKED and run.rejected and not run.skip_invalid:
        messages.error(
            request,
            _(
                "Some rows are invalid and the import is all or nothing: "
                "choose “Skip invalid rows” and check again."
            ),
        )
    elif not import_run_confirm(run=run, start_apply=import_apply_task.delay):
        messages.warning(request, _("This import is not waiting for confirmation."))
    return redirect("imports:detail", pk=run.pk)


@require_POST
def import_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    run = import_run_get_for_user(user=request.user, pk=pk)
    if import_run_cancel(run=run):
        messages.info(request, _("Cancelling: nothing will be written."))
    else:
        messages.warning(request, _("This import has already ended."))
    return redirect("imports:detail", pk=run.pk)


@require_safe
def import_rejects(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    run = import_run_get_for_user(user=request.user, pk=pk)
    path = _rejects_file(run)
    if path is None:
        raise Http404("No rejects file.")
    name = f"{Path(run.file_name).stem or 'import'}.rejects.csv"
    return FileResponse(path.open("rb"), as_attachment=True, filename=name)


def _rejects_file(run: ImportRun) -> Path | None:
    """The run's rejects file, if it is one the page wrote (under MEDIA_ROOT/imports/): a
    command's lies beside its input, wherever that was, and is not served."""
    if not run.rejects_path:
        return None
    path = Path(run.rejects_path)
    inside = path.resolve().parent == uploads.imports_dir().resolve()
    return path if inside and path.is_file() else None
