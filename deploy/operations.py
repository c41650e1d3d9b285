"""The other fab tasks: rollback, backup, restore, status, restart, stop, releases, log."""

import time

from fabric import Config

from deploy import database, history, releases, uwsgi, worker
from deploy.errors import DeployError
from deploy.instances import Instance
from deploy.lock import deployer, instance_lock
from deploy.pipeline import health_expect
from deploy.progress import say, step
from deploy.remote import connected


def rollback(
    instance: Instance, *, to: str = "", restore_db: bool = False, config: Config | None = None
) -> str:
    """Back to the release before `current` (or `to`), host by host; returns its id."""
    started = time.monotonic()
    with connected(instance.hosts, config) as remotes:
        primary = remotes[0]
        with instance_lock(primary, instance.name, deployer()):
            active = releases.current(primary)
            target = to or release_before(releases.listing(primary), active)
            for remote in remotes:
                releases.require(remote, target)
            backup = history.last_deploy_of(primary, active).get("backup", "")
            if restore_db:
                if not backup:
                    raise DeployError(f"no backup recorded for the deploy of {active}")
                with step("restore backup", primary.name):
                    database.restore(primary, instance, backup)
            for remote in remotes:
                with step("switch", remote.name):
                    releases.switch(remote, target)
                with step("reload uWSGI", remote.name):
                    uwsgi.start_or_reload(remote)
                with step("restart Celery", remote.name):
                    worker.restart(remote, instance)
                with step("health check", remote.name):
                    health_expect(remote, instance, target)
            history.record(
                primary,
                action="rollback",
                ok=True,
                instance=instance.name,
                release=target,
                previous=active,
                by=deployer(),
                restored=backup if restore_db else "",
                seconds=round(time.monotonic() - started, 1),
            )
    say(f"rolled {instance.name} back from {active} to {target}")
    return target


def release_before(listing: list[str], active: str) -> str:
    """The newest release older than the active one (listing is newest first)."""
    older = [name for name in listing if name < active]
    if not active or not older:
        raise DeployError(f"no release before {active or 'nothing'} to roll back to")
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
        with instance_lock(primary, instance.name, deployer()), step("restore", primary.name):
            database.restore(primary, instance, path)
        history.record(
            primary, action="restore", ok=True, instance=instance.name, backup=path, by=deployer()
        )


def status(instance: Instance, *, config: Config | None = None) -> list[dict]:
    """Per host: release, ref, who deployed it and when, uWSGI workers, health."""
    with connected(instance.hosts, config) as remotes:
        log = history.entries(remotes[0])
        report = []
        for remote in remotes:
            active = releases.current(remote)
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
                    "workers": uwsgi.workers(remote),
                    "health": uwsgi.health(remote, instance)
                    if uwsgi.is_running(remote)
                    else "down",
                    "queue": worker.status(remote, instance),
                }
            )
        return report


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
