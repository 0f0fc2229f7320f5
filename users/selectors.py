"""Reads of people. Which account managers a user may see sits beside the account rule."""

from django.db.models import QuerySet

from users.models import Role, User


def account_managers_visible_to(*, user: User) -> QuerySet[User]:
    """Active account managers whose portfolio `user` may see: all of them for an admin, the
    members of the teams they lead for a sales manager, only themselves for an account manager."""
    managers = User.objects.filter(
        role=Role.ACCOUNT_MANAGER, is_active=True, is_service_account=False
    )
    if not user.is_authenticated or not user.is_active:
        return managers.none()
    if user.is_admin_role:
        return managers
    if user.is_sales_manager:
        return managers.filter(team__manager=user)
    return managers.filter(pk=user.pk)
