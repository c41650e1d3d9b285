"""Asking for an action on an instance and running it on a worker, through the deploy
package's own functions: the same lock, steps and deploy log as `fab`."""

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import partial

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError

from console import permissions
from console.connection import fabric_config
from console.models import Action
from deploy import operations, pipeline, pr_instances
from deploy.errors import DeployError
from deploy.instances import instance_get
from deploy.progress import listening
from recruitment.services.base import QUEUE_DOWN, ServiceError


class ActionRefused(ServiceError):
    """The user may not do this to this instance: the page answers 403."""


def action_request(
    *,
    user: AbstractBaseUser,
    instance_name: str,
    kind: str,
    ref: str = "",
    force: bool = False,
    reason: str = "",
) -> Action:
    """Check who may do it and whether the window allows it, record it, queue it."""
    if kind not in Action.Kind.values or kind == Action.Kind.PR_CREATE:
        raise ServiceError(_("Unknown action."), field="kind")
    try:
        instance = instance_get(instance_name)
    except DeployError as error:
        raise ServiceError(str(error), field="instance") from None
    refused = permissions.refusal(user, instance)
    if refused:
        raise ActionRefused(refused)
    reason = reason.strip()
    if force and not reason:
        raise ServiceError(_("Say why you deploy outside the window."), field="reason")
    window_closed = instance.window and not instance.window.is_open(datetime.now(UTC))
    if kind != Action.Kind.BACKUP and window_closed and not force:
        raise ServiceError(
            _(
                "The deploy window of %(name)s is closed (%(window)s): to go on anyway,"
                " force it and say why (it is recorded)."
            )
            % {"name": instance.name, "window": instance.window.describe()},
            field="reason",
        )
    return action_create(
        user=user, instance=instance.name, kind=kind, ref=ref.strip(), forced=force, reason=reason
    )


@transaction.atomic
def action_create(
    *,
    user: AbstractBaseUser | None,
    instance: str,
    kind: str,
    ref: str,
    forced: bool = False,
    reason: str = "",
) -> Action:
    """Record an action already checked and queue it once the row is committed."""
    action = Action.objects.create(
        instance=instance,
        kind=kind,
        requested_by=user,
        # The scheduler's own actions (idle PR instances) are the console's.
        who=f"{user.get_username() if user else 'scheduler'} (console)",
        ref=ref,
        forced=forced,
        reason=reason,
    )
    transaction.on_commit(partial(_dispatch, action.pk))
    return action


def _dispatch(action_pk: int) -> None:
    from console.tasks import action_run as task

    try:
        task.apply_async((action_pk,), queue=settings.RMS_CONSOLE_QUEUE or None)
    except OperationalError as error:
        action_fail(action_pk=action_pk, error=str(QUEUE_DOWN) % {"error": error})


def action_fail(*, action_pk: int, error: str) -> None:
    Action.objects.filter(pk=action_pk).exclude(state=Action.State.SUCCEEDED).update(
        state=Action.State.FAILED, error=error, finished_at=timezone.now()
    )


def action_run(*, action_pk: int) -> Action:
    """Run a queued action once; its progress lines go to its log as they are said."""
    with transaction.atomic():
        action = Action.objects.select_for_update().get(pk=action_pk)
        # A redelivered task must not run a deploy twice.
        if action.state != Action.State.QUEUED:
            return action
        action.state = Action.State.RUNNING
        action.started_at = timezone.now()
        action.save(update_fields=["state", "started_at"])
    started = time.monotonic()
    try:
        with listening(partial(_log_append, action.pk)), _deployer(action.who):
            release = RUNNERS[action.kind](action)
    except DeployError as error:
        fields = {"state": Action.State.FAILED, "error": str(error)}
    else:
        fields = {"state": Action.State.SUCCEEDED, "release": release or ""}
    Action.objects.filter(pk=action.pk).update(
        finished_at=timezone.now(), seconds=round(time.monotonic() - started, 1), **fields
    )
    action.refresh_from_db()
    return action


def _log_append(action_pk: int, line: str) -> None:
    # One UPDATE per line, committed at once: the page polling the log sees each step as
    # it starts, not the whole log at the end.
    Action.objects.filter(pk=action_pk).update(log=Concat(F("log"), Value(f"{line}\n")))


@contextmanager
def _deployer(who: str) -> Iterator[None]:
    """The name the deploy lock and the deploy log record (deploy.lock.deployer reads it).
    A prefork worker's child runs one task at a time, so the process's environment is
    this task's for its duration."""
    before = os.environ.get("RMS_DEPLOYER")
    os.environ["RMS_DEPLOYER"] = who
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("RMS_DEPLOYER", None)
        else:
            os.environ["RMS_DEPLOYER"] = before


def _deploy(action: Action) -> str:
    return pipeline.deploy(
        instance_get(action.instance),
        ref=action.ref,
        force=action.forced,
        reason=action.reason,
        config=fabric_config(),
    )


def _rollback(action: Action) -> str:
    return operations.rollback(instance_get(action.instance), config=fabric_config())


def _backup(action: Action) -> str:
    return operations.backup(instance_get(action.instance), config=fabric_config())


def _restart(action: Action) -> str:
    operations.restart(instance_get(action.instance), config=fabric_config())
    return ""


def _pr_create(action: Action) -> str:
    tester = action.instance.removeprefix("pr-")
    pr_instances.create(tester, action.ref, config=fabric_config())
    return ""


def _pr_destroy(action: Action) -> str:
    pr_instances.destroy(action.instance, config=fabric_config())
    return ""


RUNNERS = {
    Action.Kind.DEPLOY: _deploy,
    Action.Kind.ROLLBACK: _rollback,
    Action.Kind.BACKUP: _backup,
    Action.Kind.RESTART: _restart,
    Action.Kind.PR_CREATE: _pr_create,
    Action.Kind.PR_DESTROY: _pr_destroy,
}
