"""Celery tasks for customer accounts: thin wrappers that fetch by id and call a selector."""

from celery import shared_task

from accounts.selectors import account_list_visible_to
from users.models import User


@shared_task
def account_count_for_user(user_id: int) -> int:
    """How many customer accounts the user may see (0 for an unknown or inactive user).

    Goes through the one visibility rule, so a worker answers exactly what a page would.
    """
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return 0
    return account_list_visible_to(user=user).count()
