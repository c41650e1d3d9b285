"""Reads of the console: the instances with what they run now, the history."""

from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.db.models import F, Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import Lower

from console.connection import fabric_config
from console.models import Action
from console.services.pr_instances import pr_registry
from deploy import operations, source
from deploy.errors import DeployError
from deploy.instances import Instance, config_load, instance_get, instances_file, instances_load
from recruitment.collation import fold
from recruitment.search import unaccented


@dataclass
class InstanceRow:
    instance: Instance
    last_action: Action | None = None
    window_open: bool | None = None
    hosts: list[dict] = field(default_factory=list)
    error: str = ""

    @property
    def is_pr(self) -> bool:
        return self.instance.name.startswith("pr-")


def instance_rows(*, now: datetime | None = None) -> list[InstanceRow]:
    """Every instance of the instance file and the PR registry, with its latest action:
    two queries, however many instances. What runs on the hosts is read per row
    (`instance_status`), by the page's htmx, so one slow host delays only its row."""
    now = now or datetime.now(UTC)
    instances = sorted(instances_load().values(), key=lambda instance: instance.name)
    latest = (
        Action.objects.filter(instance__in=[i.name for i in instances])
        .values("instance")
        .annotate(last=Max("pk"))
        .values_list("last", flat=True)
    )
    actions = {action.instance: action for action in Action.objects.filter(pk__in=list(latest))}
    return [
        InstanceRow(
            instance=instance,
            last_action=actions.get(instance.name),
            window_open=instance.window.is_open(now) if instance.window else None,
        )
        for instance in instances
    ]


def instance_status(*, instance: Instance) -> InstanceRow:
    """What each host runs now, over SSH: release, who deployed it and when, uWSGI
    workers (requests, RSS), Celery workers and queue, health, the lock."""
    row = InstanceRow(
        instance=instance,
        window_open=instance.window.is_open(datetime.now(UTC)) if instance.window else None,
    )
    try:
        row.hosts = operations.status(instance, config=fabric_config())
    except DeployError as error:
        row.error = str(error)
    return row


def action_history(
    *, instance: str = "", kind: str = "", state: str = "", who: str = ""
) -> QuerySet[Action]:
    served_before = Action.objects.filter(
        instance=OuterRef("instance"),
        kind__in=[Action.Kind.DEPLOY, Action.Kind.ROLLBACK],
        state=Action.State.SUCCEEDED,
        created_at__lt=OuterRef("created_at"),
    ).exclude(release="")
    # The release each one replaced, for its "what changed" link: one subquery in the
    # page's query, not one query per row.
    actions = Action.objects.defer("log").annotate(
        previous_release=Subquery(served_before.order_by("-created_at").values("release")[:1])
    )
    if instance:
        actions = actions.filter(instance=instance)
    if kind:
        actions = actions.filter(kind=kind)
    if state:
        actions = actions.filter(state=state)
    if who:
        # Blind to case and accents on both databases, as the applicant search is:
        # "lukasz" finds "Łukasz Żak".
        folded = Lower(unaccented(F("who")))
        actions = actions.annotate(who_folded=folded).filter(who_folded__contains=fold(who))
    return actions


def release_sha(release: str) -> str:
    """A release id ends with its commit's short sha (deploy/releases.py release_id)."""
    return release.rsplit("-", 1)[-1]


def release_changes(*, instance: Instance, older: str, newer: str) -> list[dict]:
    return source.commits_between(instance.origin, release_sha(older), release_sha(newer))


def origin_branches_of(*, origin: str) -> list[str]:
    return source.branches(origin)


def pr_instance_owners() -> list[dict]:
    """Each PR instance: its branch, who made it and since when (its latest making), its
    latest action. Two queries, however many PR instances."""
    registry = pr_registry()
    names = sorted(registry)
    made = {
        action.instance: action
        for action in Action.objects.filter(instance__in=names, kind=Action.Kind.PR_CREATE)
        .order_by("created_at")
        .select_related("requested_by")
    }
    latest = dict(
        Action.objects.filter(instance__in=names)
        .values("instance")
        .annotate(last=Max("created_at"))
        .values_list("instance", "last")
    )
    return [
        {
            "name": name,
            "branch": registry[name].get("ref", ""),
            "made": made.get(name),
            "last_action_at": latest.get(name),
        }
        for name in names
    ]


def pr_origin() -> str:
    """Where PR branches come from: the origin of the instance they copy their data from."""
    pr = config_load(instances_file()).get("pr", {})
    return instance_get(pr.get("copy_from", "staging")).origin
