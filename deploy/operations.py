"""The other fab tasks: rollback, backup, restore, status, unlock, restart, stop, releases,
log."""

import time

from fabric import Config

from deploy import database, history, releases, schema, uwsgi, worker
from deploy.errors import DeployError
from deploy.instances import Instance
from deploy.interrupt import interruptible
from deploy.lock import deployer, holder_line, holder_read, instance_lock, unlock
from deploy.progress import say, step
from deploy.remote import Remote, connected
from deploy.watch import health_expect


def rollback(
    instance: Instance, *, to: str = "", restore_db: bool = False, config: Config | None = None
) -> str:
    """Back to the newest release before `current` that served (or `to`), host by host."""
    started = time.monotonic()
    with connected(instance.hosts, config) as remotes:
        primary = remotes[0]
        with instance_lock(primary, instance.name, deployer()):
            log = history.entries(primary)
            active = releases.current(primary)
            target = rollback_target(releases.listing(primary), history.served(log), active, to)
            entry = {"action": "rollback", "instance": instance.name, "release": target}
            entry |= {"previous": active, "by": deployer()}
            try:
                with interruptible(remotes):
                    restored = rollback_steps(remotes, instance, target, active, restore_db)
            except DeployError as exc:
                seconds = round(time.monotonic() - started, 1)
                history.record(primary, **entry, ok=False, error=str(exc), seconds=seconds)
                raise
            seconds = round(time.monotonic() - started, 1)
            history.record(primary, **entry, ok=True, restored=restored, seconds=seconds)
    say(f"rolled {instance.name} back from {active} to {target}")
    return target


def rollback_steps(
    remotes: list[Remote], instance: Instance, target: str, active: str, restore_db: bool
) -> dict:
    """Every host back on `target`, then (when asked) the database restored, then every
    host checked: workers first and the schema second, as a revert does, so no worker of
    the newer release ever runs on the older schema. Returns the restore's report."""
    primary = remotes[0]
    for remote in remotes:
        releases.require(remote, target)
    backup = history.last_deploy_of(primary, active).get("backup", "")
    if restore_db and not backup:
        raise DeployError(f"no backup recorded for the deploy of {active}")
    for remote in remotes:
        with step("switch", remote.name):
            releases.switch(remote, target)
        with step("reload uWSGI", remote.name):
            uwsgi.start_or_reload(remote)
        with step("restart Celery", remote.name):
            worker.restart(remote, instance)
    report = {}
    if restore_db:
        with step("restore backup", primary.name):
            report = {"backup": backup, **schema.restore_with_report(primary, instance, backup)}
    for remote in remotes:
        with step("health check", remote.name):
            health_expect(remote, instance, target)
    return report


def rollback_target(listing: list[str], served: list[str], active: str, to: str) -> str:
    """`to` or the newest release older than the active one, and one that served: a failed
    or interrupted deploy's release may still be on disk, and never passed its checks."""
    if to:
        if to not in served:
            raise DeployError(f"release {to!r} never served successfully; refusing to roll back")
        return to
    older = [name for name in listing if name < active and name in served]
    if not active or not older:
        raise DeployError(f"no release before {active or 'nothing'} that served to roll back to")
    return older[0]


def backup(instance: Instance, *, config: Config | None = None) -> str:
    with connected(instance.hosts[:1], config) as (primary,), step("backup", primary.name):
        path = database.backup(primary, instance)
    say(path)
    return path


def backups(instance: Instance, *, config: Config | None = None) -> list[str]:
    with connected(instance.hosts[:1], config) as (primary,):
        return database.backups(primary)


def restore(instance: Instance, backup_name: str, *, config: Config | None = None) -> None:
    with connected(instance.hosts[:1], config) as (primary,):
        path = backup_name if "/" in backup_name else f"{primary.host.backups}/{backup_name}"
        with instance_lock(primary, instance.name, deployer()), interruptible([primary]):
            with step("restore", primary.name):
                report = schema.restore_with_report(primary, instance, path)
            history.record(
                primary,
                action="restore",
                ok=True,
                instance=instance.name,
                backup=path,
                by=deployer(),
                restored=report,
            )


def status(instance: Instance, *, config: Config | None = None) -> list[dict]:
    """Per host: release, ref, who deployed it and when, uWSGI workers, health."""
    with connected(instance.hosts, config) as remotes:
        log = history.entries(remotes[0])
        report = []
        for remote in remotes:
            active = releases.current(remote)
            workers = uwsgi.workers(remote)
            deployed = next((e for e in reversed(log) if e.get("release") == active), {})
            report.append(
                {
                    "host": remote.name,
                    "release": active or "(none)",
                    **{
                        k: v for k, v in releases.revision(remote, active).items() if k != "release"
                    },
                    "deployed_by": deployed.get("by", "?"),
                    "deployed_at": deployed.get("at", "?"),
                    # What the workers that have loaded the app run; a worker recycled
                    # a moment ago is still loading it (uwsgi.STARTING) and runs nothing.
                    "running": sorted(
                        {w["release"] for w in workers if w["release"] != uwsgi.STARTING}
                    ),
                    "workers": workers,
                    "health": uwsgi.health(remote, instance)
                    if uwsgi.is_running(remote)
                    else "down",
                    "queue": worker.status(remote, instance),
                }
            )
        holder = holder_read(remotes[0])
        for row in report:
            row["lock"] = holder_line(holder) if holder else "free"
        return report


def unlock_stale(
    instance: Instance, *, force: bool = False, reason: str = "", config: Config | None = None
) -> None:
    """Remove the deploy lock of a process that no longer runs (recorded in the log)."""
    with connected(instance.hosts[:1], config) as (primary,):
        holder = unlock(primary, instance.name, force=force, reason=reason)
        history.record(
            primary,
            action="unlock",
            ok=True,
            instance=instance.name,
            by=deployer(),
            holder=holder,
            forced=force,
            reason=reason,
        )
    say(f"unlocked {instance.name} (was held by {holder_line(holder)})")


def restart(instance: Instance, *, config: Config | None = None) -> None:
    # Under the deploy lock: a FIFO command in the middle of a deploy's chain reload
    # would leave a worker behind.
    with (
        connected(instance.hosts, config) as remotes,
        instance_lock(remotes[0], instance.name, deployer()),
    ):
        for remote in remotes:
            with step("stop", remote.name):
                uwsgi.stop(remote)
            with step("start", remote.name):
                uwsgi.start(remote)


def stop(instance: Instance, *, config: Config | None = None) -> None:
    with (
        connected(instance.hosts, config) as remotes,
        instance_lock(remotes[0], instance.name, deployer()),
    ):
        for remote in remotes:
            with step("stop", remote.name):
                uwsgi.stop(remote)


def release_list(instance: Instance, *, config: Config | None = None) -> list[dict]:
    with connected(instance.hosts[:1], config) as (primary,):
        active = releases.current(primary)
        return [
            {**releases.revision(primary, name), "current": name == active}
            for name in releases.listing(primary)
        ]


def log(instance: Instance, *, config: Config | None = None) -> list[dict]:
    with connected(instance.hosts[:1], config) as (primary,):
        return history.entries(primary)
