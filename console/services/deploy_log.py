"""fab's and Jenkins' actions into the history: each instance's deploy log (the JSON
lines deploy/history.py writes on its primary host), read over SSH."""

from datetime import datetime

from django.db import IntegrityError, transaction

from console.connection import fabric_config
from console.models import Action
from deploy import operations
from deploy.errors import DeployError
from deploy.instances import Instance, instances_load

CONSOLE_SUFFIX = " (console)"


def deploy_log_import(*, instance: Instance) -> int:
    """Add the log's entries not yet in the history; returns how many were added. The
    console's own actions are in the history already, with their full log."""
    known = set(
        Action.objects.filter(instance=instance.name, origin=Action.Origin.DEPLOY_LOG).values_list(
            "logged_at", flat=True
        )
    )
    added = 0
    for entry in operations.log(instance, config=fabric_config()):
        kind = entry.get("action")
        at = entry.get("at", "")
        who = str(entry.get("by", ""))
        if kind not in Action.Kind.values or not at or at in known:
            continue
        if who.endswith(CONSOLE_SUFFIX):
            continue
        added += _entry_add(instance.name, kind, at, who, entry)
    return added


def _entry_add(name: str, kind: str, at: str, who: str, entry: dict) -> int:
    when = datetime.fromisoformat(at)
    note = entry.get("note", "") or ""
    try:
        with transaction.atomic():
            Action.objects.create(
                instance=name,
                kind=kind,
                origin=Action.Origin.DEPLOY_LOG,
                ref=entry.get("ref", "") or "",
                forced=bool(entry.get("forced")) and bool(note),
                reason=note,
                who=who or "?",
                state=Action.State.SUCCEEDED if entry.get("ok") else Action.State.FAILED,
                created_at=when,
                started_at=when,
                finished_at=when,
                seconds=entry.get("seconds"),
                release=entry.get("release", "") or "",
                error=entry.get("error", "") or "",
                logged_at=at,
            )
    except IntegrityError:
        # Imported meanwhile by another request: it is there, once.
        return 0
    return 1


def deploy_logs_import_all() -> dict[str, int | str]:
    """Every instance's log; an unreachable host is reported, not fatal to the others."""
    report: dict[str, int | str] = {}
    for instance in instances_load().values():
        try:
            report[instance.name] = deploy_log_import(instance=instance)
        except DeployError as error:
            report[instance.name] = str(error)
    return report
