"""Who may change segmentation: the settings pages are admin-only; pins are for sales managers
(their teams' accounts, through the visibility rule) and admins. Every view goes through these."""

from django.core.exceptions import PermissionDenied

from users.models import User


def require_admin(user: User) -> None:
    if not user.is_admin_role:
        raise PermissionDenied


def user_may_pin(user: User) -> bool:
    return user.is_admin_role or user.is_sales_manager
