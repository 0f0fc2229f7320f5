"""Deactivation by any path ends the user's sessions: the service, the admin's change form and
its bulk action, or a plain `user.save()`. A pre_save receiver is the one place all of them pass
through; an admin override would miss the shell and any future form. (QuerySet.update() skips
it: nothing in the portal updates is_active that way, and it must not.)"""

from django.db.models.signals import pre_save
from django.dispatch import receiver

from users.models import User
from users.services import user_access_end


@receiver(pre_save, sender=User, dispatch_uid="users.end_sessions_on_deactivation")
def end_sessions_on_deactivation(
    sender: type[User], instance: User, update_fields: frozenset[str] | None, **kwargs: object
) -> None:
    if instance._state.adding:
        return
    if update_fields is not None and "is_active" not in update_fields:
        return  # last_login, language, ...: the common saves cost no query
    stored = User.objects.filter(pk=instance.pk).values("is_active", "session_generation").first()
    if stored is None:
        return
    # A stale copy of the user, saved whole, must not lower the generation and revive sessions.
    instance.session_generation = max(instance.session_generation, stored["session_generation"])
    if stored["is_active"] and not instance.is_active:
        user_access_end(user=instance)
