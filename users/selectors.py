"""Reads of people. Which account managers a user may see sits beside the account rule."""

from django.db.models import Count, Q, QuerySet

from users.models import Role, Team, User, UserChange


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


def people_visible_to(*, user: User) -> QuerySet[User]:
    """Whom the people pages show `user`: everyone for an admin, the members of the teams they
    lead for a sales manager (active or not), nobody for anyone else."""
    people = User.objects.select_related("team", "team__manager")
    if not user.is_authenticated or not user.is_active:
        return people.none()
    if user.is_admin_role:
        return people
    if user.is_sales_manager:
        return people.filter(team__manager=user)
    return people.none()


def people_filtered(
    people: QuerySet[User],
    *,
    search: str = "",
    role: str = "",
    team: Team | None = None,
    active: bool | None = None,
) -> QuerySet[User]:
    """The people list's filters: name, login or e-mail (part), role, team, active or not."""
    if search:
        people = people.filter(
            Q(username__icontains=search)
            | Q(first_name__icontains=search)
            | Q(last_name__icontains=search)
            | Q(email__icontains=search)
        )
    if role:
        people = people.filter(role=role)
    if team is not None:
        people = people.filter(team=team)
    if active is not None:
        people = people.filter(is_active=active)
    return people.order_by("first_name", "last_name", "username")


def user_change_list(*, user: User | None = None, team: Team | None = None) -> QuerySet[UserChange]:
    """The audit of one person or one team, newest first, with who made each change."""
    changes = UserChange.objects.select_related("by")
    return changes.filter(user=user) if user is not None else changes.filter(team=team)


def teams_with_leads() -> QuerySet[Team]:
    return Team.objects.select_related("manager").annotate(member_count=Count("members"))
