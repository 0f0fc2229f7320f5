"""The objects the access matrix puts into the playbooks app's URLs: a task on the actor's
account, a playbook, a digest unsubscribe token. Made inside the test (its savepoint)."""

import datetime as dt

from accounts.models import Account
from playbooks.digest.send import unsubscribe_token
from playbooks.models import Playbook, Task

NIGHT = dt.date(2026, 10, 31)


def a_playbook() -> Playbook:
    playbook, _ = Playbook.objects.get_or_create(
        title_en="Matrix playbook", defaults={"trigger": "level_high"}
    )
    return playbook


def task_on(account: Account) -> Task:
    task, _ = Task.objects.get_or_create(
        account=account, playbook=a_playbook(), defaults={"fired_on": NIGHT, "due_on": NIGHT}
    )
    return task


def token_for(account: Account) -> str:
    """The unsubscribe token of the account's owner: the link works for anyone who holds it."""
    assert account.owner is not None
    return unsubscribe_token(account.owner)
