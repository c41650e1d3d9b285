"""`fab deploy`: lock → preflight → tag → backup → release → build → migrate → switch →
reload → health check → log, reverting on its own when a step fails."""

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

from fabric import Config

from deploy import database, history, releases, source, uwsgi, worker
from deploy.errors import DeployError
from deploy.instances import Instance, instance_get
from deploy.lock import deployer, instance_lock
from deploy.progress import StepFailed, say, step
from deploy.remote import Remote, connected, wait_until

# After a finished chain reload every worker runs the new release: a wrong answer this
# long after it is not a slow start.
HEALTH_TIMEOUT = 20


@dataclass
class Run:
    """What one deploy has done so far: exactly what a revert must undo."""

    instance: Instance
    remotes: list[Remote]
    ref: str
    who: str
    forced: bool
    sha: str = ""
    release: str = ""
    tag: str = ""
    backup: str = ""
    migrated: bool = False
    new_database: bool = False
    previous: dict[str, str] = field(default_factory=dict)
    switched: list[Remote] = field(default_factory=list)
    chain_done: dict[str, bool] = field(default_factory=dict)

    @property
    def primary(self) -> Remote:
        return self.remotes[0]


def window_check(instance: Instance, *, force: bool, now: datetime) -> str:
    """'' when the deploy may go on; the note to record when --force overrode the window."""
    if instance.window is None or instance.window.is_open(now):
        return ""
    if not force:
        raise DeployError(
            f"{instance.name} deploy window is closed ({instance.window.describe()});"
            " use --force to deploy anyway (it is recorded)"
        )
    return f"forced outside the window {instance.window.describe()}"


def deploy(
    instance: Instance, *, ref: str = "", force: bool = False, config: Config | None = None
) -> str:
    """Deploy `ref` (the instance's default ref when empty); returns the new release id."""
    started = time.monotonic()
    forced = window_check(instance, force=force, now=datetime.now(UTC))
    ref = ref or instance.ref
    # The ref and the migrations are read from a local mirror: a bad ref is refused
    # before any server is contacted, let alone changed.
    with step("preflight: ref and migrations"):
        sha = source_check(instance, ref)
    with connected(instance.hosts, config) as remotes:
        run = Run(instance, remotes, ref, deployer(), bool(forced), sha=sha)
        with instance_lock(run.primary, instance.name, run.who):
            try:
                steps_run(run)
            except StepFailed as failure:
                outcome = revert_safely(run)
                history.record(run.primary, **log_entry(run, started, ok=False, error=str(failure)))
                raise DeployError(f"deploy {instance.name}: {failure}; {outcome}") from None
            history.record(run.primary, **log_entry(run, started, ok=True, note=forced))
            with step("prune releases"):
                for remote in remotes:
                    releases.prune(remote, instance.keep_releases)
    seconds = time.monotonic() - started
    say(f"deployed {instance.name}: {run.release} ({run.ref} @ {run.sha[:10]}) in {seconds:.1f} s")
    return run.release


def steps_run(run: Run) -> None:
    instance = run.instance
    with step("preflight: hosts"):
        hosts_check(run)
    if instance.protected:
        with step("tag"):
            run.tag = (
                f"{instance.name}-{datetime.now(UTC).astimezone(instance.window.tz):%Y%m%d-%H%M}"
            )
            source.tag_push(instance.origin, run.sha, run.tag)
    with step("backup", run.primary.name):
        run.new_database = database.ensure(run.primary, instance)
        if not run.new_database:
            run.backup = database.backup(run.primary, instance)
    if run.new_database and instance.data == "copy":
        with step(f"copy data from {instance.copy_from}", run.primary.name):
            database.copy(run.primary, instance_get(instance.copy_from), instance)
    for remote in run.remotes:
        prepare(run, remote)
    with step("migrate", run.primary.name):
        run.migrated = not releases.django(run.primary, run.release, "migrate --check", check=False)
        releases.django(run.primary, run.release, "migrate --no-input")
    if run.new_database and instance.data == "fake":
        with step("seed demo data", run.primary.name):
            releases.django(
                run.primary, run.release, f"seed_demo --applicants {instance.demo_applicants}"
            )
    for remote in run.remotes:
        with step("collectstatic", remote.name):
            releases.django(remote, run.release, "collectstatic --no-input --verbosity 0")
    for remote in run.remotes:
        roll(run, remote)


def source_check(instance: Instance, ref: str) -> str:
    """The commit `ref` names, once its migrations are known to be linear."""
    mirror = source.mirror_update(instance.origin)
    sha = source.ref_resolve(mirror, ref)
    source.migrations_check(mirror, sha)
    return sha


def hosts_check(run: Run) -> None:
    """What each host needs, and what it runs now (the release a revert goes back to)."""
    run.release = releases.release_id(run.sha, datetime.now(UTC))
    for remote in run.remotes:
        run.previous[remote.name] = releases.current(remote)
        if not remote.ok("command -v git && command -v pg_dump && command -v curl"):
            raise DeployError(f"{remote.name} lacks git, pg_dump or curl")


def prepare(run: Run, remote: Remote) -> None:
    with step("release directory", remote.name):
        releases.shared_prepare(remote, run.instance)
        releases.checkout(remote, run.instance, run.release, run.sha, run.ref)
    with step("buildout", remote.name):
        releases.buildout(remote, run.instance, run.release)
    with step("front-end build", remote.name):
        if not releases.frontend(remote, run.instance, run.release):
            say("    no package.json/Gruntfile.js in this release: nothing to build")


def roll(run: Run, remote: Remote) -> None:
    """One host: switch, reload, health check; the next host only after this one is healthy."""
    with step("switch", remote.name):
        releases.switch(remote, run.release)
        run.switched.append(remote)
    with step("reload uWSGI", remote.name):
        run.chain_done[remote.name] = False
        say(f"    {uwsgi.start_or_reload(remote)}")
        run.chain_done[remote.name] = True
    with step("restart Celery", remote.name):
        say(f"    {worker.restart(remote, run.instance)}")
    with step("health check", remote.name):
        health_expect(remote, run.instance, run.release)


def health_expect(remote: Remote, instance: Instance, release: str) -> None:
    """/health/ must say ok and the expected release, for as many answers as workers."""
    last: dict = {}

    def healthy() -> bool:
        nonlocal last
        last = uwsgi.health(remote, instance)
        return last.get("status") == "ok" and last.get("release") == release

    if not wait_until(healthy, timeout=HEALTH_TIMEOUT):
        raise DeployError(f"/health/ expected release {release}, got {health_summary(last)}")
    for _ in range(instance.processes * 2):
        if not healthy():
            raise DeployError(f"/health/ flapped: {health_summary(last)}")


def health_summary(report: dict) -> str:
    keys = ("http_status", "status", "release", "database", "migrations_pending", "body")
    return ", ".join(f"{key}={report[key]}" for key in keys if key in report)


def revert(run: Run) -> None:
    """Undo what ran: symlinks back, the backup restored if migrations ran, workers reloaded."""
    say(f"!!! reverting {run.instance.name}")
    for remote in run.switched:
        with step("revert switch", remote.name):
            if run.previous.get(remote.name):
                releases.switch(remote, run.previous[remote.name])
    if run.migrated and run.backup:
        with step("restore backup", run.primary.name):
            database.restore(run.primary, run.instance, run.backup)
    for remote in run.switched:
        with step("revert reload", remote.name):
            revert_reload(run, remote)
        with step("revert Celery", remote.name):
            worker.restart(remote, run.instance)
    with step("remove failed release"):
        for remote in run.remotes:
            releases.remove_failed(remote, run.release)


def revert_safely(run: Run) -> str:
    try:
        revert(run)
    except DeployError as exc:
        return f"REVERT FAILED, fix by hand: {exc}"
    return reverted(run)


def revert_reload(run: Run, remote: Remote) -> None:
    if not run.previous.get(remote.name):
        uwsgi.stop(remote)
        return
    # A chain that never finished (workers failing to load) would never finish this time
    # either: a graceful full reload replaces every worker at once instead.
    if run.chain_done.get(remote.name) and uwsgi.is_running(remote):
        uwsgi.chain_reload(remote)
    elif uwsgi.is_running(remote):
        uwsgi.full_reload(remote)
    else:
        uwsgi.start(remote)
    health_expect(remote, run.instance, run.previous[remote.name])


def reverted(run: Run) -> str:
    previous = run.previous.get(run.primary.name)
    restored = f", database restored from {run.backup}" if run.migrated and run.backup else ""
    if previous:
        return f"reverted to release {previous}{restored}"
    return f"nothing to revert to (first deploy){restored}"


def log_entry(run: Run, started: float, *, ok: bool, **extra: str) -> dict:
    return {
        "action": "deploy",
        "ok": ok,
        "instance": run.instance.name,
        "release": run.release,
        "previous": run.previous.get(run.primary.name, ""),
        "ref": run.ref,
        "sha": run.sha,
        "tag": run.tag,
        "by": run.who,
        "forced": run.forced,
        "backup": run.backup,
        "migrated": run.migrated,
        "seconds": round(time.monotonic() - started, 1),
        **{key: value for key, value in extra.items() if value},
    }
