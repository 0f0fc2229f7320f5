"""Who may open and change people and teams. Every people view goes through these helpers.

Admins manage everyone and every team. A sales manager reads the members of the teams they lead
and gets a 403 on any change; anyone else, and anyone outside a sales manager's teams, gets a
404, as if the person did not exist.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from users.models import Team, User
from users.selectors import people_visible_to


def user_may_read_people(user: User) -> bool:
    return user.is_active and (user.is_admin_role or user.is_sales_manager)


def require_people_admin(user: User) -> None:
    if not (user.is_active and user.is_admin_role):
        raise PermissionDenied


def person_for_user(*, user: User, pk: int, write: bool = False) -> User:
    person = get_object_or_404(people_visible_to(user=user), pk=pk)
    if write:
        require_people_admin(user)
    return person


def team_for_user(*, user: User, pk: int) -> Team:
    """Teams are changed by admins only: anyone else gets a 403 before any lookup."""
    require_people_admin(user)
    return get_object_or_404(Team.objects.select_related("manager"), pk=pk)
