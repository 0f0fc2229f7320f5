"""Reads of imports, and who may import: admins (any customer) and sales managers (their
teams' customers, accounts.importers.scope). A sales manager sees their own imports; an admin
sees every import, the commands' too."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from imports.models import ImportProfile, ImportRun
from users.models import User


def may_import(user: User) -> bool:
    return user.is_active and (user.is_admin_role or user.is_sales_manager)


def import_runs_visible_to(*, user: User) -> QuerySet[ImportRun]:
    runs = ImportRun.objects.select_related("created_by", "profile")
    if not may_import(user):
        return runs.none()
    return runs if user.is_admin_role else runs.filter(created_by=user)


def import_run_get_for_user(*, user: User, pk: int) -> ImportRun:
    """One import: 403 for someone who may not import at all, 404 for another's import."""
    if not may_import(user):
        raise PermissionDenied
    try:
        return import_runs_visible_to(user=user).get(pk=pk)
    except ImportRun.DoesNotExist:
        raise Http404("No such import.") from None


def profiles_for(*, kind: str) -> QuerySet[ImportProfile]:
    """Profiles are shared: a company's ERP writes the same columns for everyone."""
    return ImportProfile.objects.filter(kind=kind).select_related("created_by")
