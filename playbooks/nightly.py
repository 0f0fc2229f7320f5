"""The nightly run's playbook step: create the tasks the triggers call for and mark the open
tasks whose trigger no longer holds. A final step of the run (settings.NIGHTLY_FINAL_STEPS),
so it runs inside the transaction that publishes the run: the tasks appear with the run's
results, or not at all when the run fails.
"""

import logging
from dataclasses import replace

from accounts.models import Account
from playbooks.enums import TaskStatus
from playbooks.facts import Watch, account_states, flags_with_evidence, previous_complete_run
from playbooks.models import Playbook, Task
from playbooks.triggers import (
    NewTask,
    People,
    Rule,
    States,
    tasks_no_longer_holding,
    tasks_to_create,
    with_assignees,
)
from segmentation.models import NightlyRun

logger = logging.getLogger(__name__)


def _rules(playbooks: list[Playbook]) -> list[Rule]:
    return [Rule(p.pk, p.rule, p.due_in_days, p.priority, p.assignee) for p in playbooks]


def _people(account_ids: set[int]) -> People:
    """Each account's owner and the sales manager of the owner's team (one query)."""
    rows = Account.objects.filter(pk__in=account_ids).values_list(
        "pk", "owner_id", "owner__team__manager_id"
    )
    return {pk: (owner, manager) for pk, owner, manager in rows}


def _insert(tasks: list[NewTask], run: NightlyRun) -> None:
    """Insert in bulk; a task whose account and playbook already have an open one (or one
    from this night) is skipped by the unique constraints (ON CONFLICT DO NOTHING)."""
    Task.objects.bulk_create(
        [
            Task(
                playbook_id=t.playbook_id,
                account_id=t.account_id,
                assignee_id=t.assignee_id,
                priority=t.priority,
                fired_on=run.as_of,
                due_on=t.due_on,
                evidence=t.evidence,
            )
            for t in tasks
        ],
        batch_size=2000,
        ignore_conflicts=True,
    )


OpenTask = tuple[int, int, int, object]  # pk, playbook, account, cleared_on


def _open_tasks(rules: list[Rule]) -> list[OpenTask]:
    """The rules' open tasks, read once: the step creates none beside them and clears them."""
    open_tasks = Task.objects.filter(
        status=TaskStatus.OPEN, playbook_id__in=[r.playbook_id for r in rules]
    )
    return list(open_tasks.values_list("pk", "playbook_id", "account_id", "cleared_on"))


def _mark_cleared(run: NightlyRun, rules: list[Rule], states: States, rows: list[OpenTask]) -> None:
    """Open tasks whose trigger no longer holds are cleared by the data (they stay open until
    a person closes them); those where it holds again lose the mark. Only the tasks whose mark
    changes are written."""
    open_tasks = Task.objects.filter(status=TaskStatus.OPEN)
    marked = {pk for pk, *_, cleared_on in rows if cleared_on is not None}
    tasks = [row[:3] for row in rows]
    cleared, holding = tasks_no_longer_holding(tasks, rules, states, as_of=run.as_of)
    open_tasks.filter(pk__in=set(cleared) - marked).update(cleared_on=run.as_of)
    open_tasks.filter(pk__in=set(holding) & marked).update(cleared_on=None)


def _with_evidence(run: NightlyRun, states: States, accounts: set[int]) -> States:
    """The states of `accounts` with their flags' evidence, read for them alone."""
    evidence = flags_with_evidence(run.pk, accounts)
    return {
        account: (replace(now, flags=evidence.get(account, now.flags)), before)
        for account, (now, before) in states.items()
        if account in accounts
    }


def playbooks_step(run: NightlyRun) -> None:
    """Create tonight's tasks from the active playbooks and clear those the data cleared.

    A run for a date older than the latest complete run (a backfill) changes no task: tasks
    follow the newest data only."""
    latest = NightlyRun.objects.latest_complete()
    if latest is not None and latest.as_of > run.as_of:
        return
    playbooks = list(Playbook.objects.filter(active=True))
    if not playbooks:
        return
    rules = _rules(playbooks)
    watch = Watch.of(rule.trigger for rule in rules)
    states = account_states(run, previous_complete_run(run), watch=watch)
    open_rows = _open_tasks(rules)
    # An account and playbook with an open task get no second one: left out before the
    # evidence is read and the rows are written (a rerun of a night then costs little).
    has_open = {(playbook, account) for _, playbook, account, _ in open_rows}
    firing = {
        t.account_id
        for t in tasks_to_create(rules, states, as_of=run.as_of)
        if (t.playbook_id, t.account_id) not in has_open
    }
    # The same triggers again, on the firing accounts with their flags' evidence.
    new = [
        t
        for t in tasks_to_create(rules, _with_evidence(run, states, firing), as_of=run.as_of)
        if (t.playbook_id, t.account_id) not in has_open
    ]
    _insert(with_assignees(new, _people({t.account_id for t in new})), run)
    _mark_cleared(run, rules, states, open_rows)
    logger.info("Run %s: %s tasks called for by %s playbooks.", run.pk, len(new), len(rules))
