"""PR instances, self-service: a tester makes pr-<their name> for a branch of the
origin, redeploys it (a deploy action) and destroys it; ones idle too long go away."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from console import permissions
from console.models import Action
from console.services.actions import action_create
from deploy import source
from deploy.errors import DeployError
from deploy.instances import config_load, instances_file, instances_load, registry_file
from deploy.pr_instances import registry_tables
from recruitment.services.base import ServiceError


def pr_instance_request(*, user: AbstractBaseUser, branch: str, origin: str) -> Action:
    """Queue the making of the user's own PR instance on `branch` (one of the origin's)."""
    name = permissions.own_pr_instance(user)
    if not permissions.may_use_console(user):
        raise ServiceError(_("You may not use the console."))
    if name in instances_load():
        raise ServiceError(
            _("%(name)s exists already: deploy the branch to it instead.") % {"name": name},
            field="branch",
        )
    try:
        known = source.branches(origin)
    except DeployError as error:
        raise ServiceError(str(error), field="branch") from None
    if branch not in known:
        raise ServiceError(
            _("The origin has no branch %(branch)s.") % {"branch": branch}, field="branch"
        )
    return action_create(user=user, instance=name, kind=Action.Kind.PR_CREATE, ref=branch)


def pr_instances_idle(*, days: int) -> list[str]:
    """PR instances with no action (made, deployed) for `days` days."""
    names = [name for name in pr_registry() if name.startswith("pr-")]
    latest = dict(
        Action.objects.filter(instance__in=names)
        .values("instance")
        .annotate(last=Max("created_at"))
        .values_list("instance", "last")
    )
    cutoff = timezone.now() - timedelta(days=days)
    return [name for name in names if latest.get(name) is None or latest[name] < cutoff]


def pr_registry() -> dict[str, dict]:
    path = instances_file()
    return registry_tables(registry_file(path, config_load(path)))


def pr_instances_reap(*, days: int | None = None) -> list[Action]:
    """Queue the destruction of every idle PR instance, in the console's name."""
    days = settings.RMS_CONSOLE_PR_IDLE_DAYS if days is None else days
    return [
        action_create(
            user=None,
            instance=name,
            kind=Action.Kind.PR_DESTROY,
            ref="",
            reason=_("idle for %(days)s days") % {"days": days},
        )
        for name in pr_instances_idle(days=days)
    ]
