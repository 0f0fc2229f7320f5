"""Single-row writes that change what the cached dashboard shows give the portfolio data a new
version (accounts.versions); the bulk paths (imports, the rollup) do so themselves, and a new
nightly run changes the cache key by its id, so its publication starts the dashboards'
warm-up (portfolio.dashboard.dashboards_warm)."""

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from accounts.models import Account
from accounts.versions import version_changed
from assessments.models import Assessment, AssessmentSettings
from plans.models import GrowthPlan
from portfolio.dashboard import dashboards_warm_begin, dashboards_warm_end
from portfolio.tasks import dashboards_warm_task
from segmentation.models import ManagerCapacity, NightlyRun, SegmentSettings
from segmentation.signals import run_published
from users.models import Team, User

WATCHED = (
    Account, Team, ManagerCapacity, SegmentSettings, Assessment, AssessmentSettings, GrowthPlan,
)  # fmt: skip
# A user's row changes at every sign-in (last_login): only these fields change who sees what.
USER_FIELDS = frozenset({"role", "team", "is_active", "is_superuser"})


def _changed(sender: type, **kwargs: Any) -> None:
    version_changed()


for model in WATCHED:
    post_save.connect(_changed, sender=model, dispatch_uid=f"portfolio.version.save.{model}")
    post_delete.connect(_changed, sender=model, dispatch_uid=f"portfolio.version.delete.{model}")
m2m_changed.connect(
    _changed, sender=Account.team_members.through, dispatch_uid="portfolio.version.team_members"
)


@receiver(post_save, sender=User, dispatch_uid="portfolio.version.user")
def _user_changed(
    sender: type[User], instance: User, update_fields: frozenset[str] | None, **kwargs: Any
) -> None:
    if update_fields is None or USER_FIELDS & set(update_fields):
        version_changed()


@receiver(run_published, dispatch_uid="portfolio.dashboards.warm")
def _run_published(sender: type, run: NightlyRun, **kwargs: Any) -> None:
    """Readers keep their previous board until the worker has computed the new ones; if the
    task cannot be sent (no broker), nobody waits for a warm-up that will not come."""
    dashboards_warm_begin(run_id=run.pk)
    try:
        dashboards_warm_task.delay(run.pk)
    except Exception:
        dashboards_warm_end(run_id=run.pk)
        raise
