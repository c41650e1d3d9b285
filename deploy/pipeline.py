"""`fab deploy`: lock → preflight → backup → release → build → import check → migrate →
switch → reload → health check → watch → tag → log, reverting on its own when a step
fails or the deploy is interrupted (deploy/revert.py)."""

import shlex
import time
from datetime import UTC, datetime

from fabric import Config

from deploy import database, history, releases, schema, source, uwsgi, watch, worker
from deploy.errors import DeployError
from deploy.instances import Instance, instance_get
from deploy.interrupt import Interrupted, interruptible, shielded
from deploy.lock import deployer, instance_lock
from deploy.progress import say, step
from deploy.remote import Remote, connected
from deploy.revert import Run, revert_safely

# Only the project's own catalogues: compilemessages otherwise walks every locale/ below
# the release, the front end's packages too.
COMPILE_MESSAGES = (
    "compilemessages --verbosity 0 --ignore node_modules --ignore bower_components "
    "--ignore parts --ignore eggs --ignore .venv"
)


def window_check(instance: Instance, *, force: bool, reason: str, now: datetime) -> str:
    """'' when the deploy may go on; the note to record when --force overrode the window."""
    if force and not reason.strip():
        raise DeployError('--force needs --reason "why" (it is recorded in the log and tag)')
    if instance.window is None or instance.window.is_open(now):
        return ""
    if not force:
        raise DeployError(
            f"{instance.name} deploy window is closed ({instance.window.describe()});"
            ' use --force --reason "why" to deploy anyway (it is recorded)'
        )
    return f"forced outside the window {instance.window.describe()}: {reason.strip()}"


def deploy(
    instance: Instance,
    *,
    ref: str = "",
    force: bool = False,
    reason: str = "",
    config: Config | None = None,
) -> str:
    """Deploy `ref` (the instance's default ref when empty); returns the new release id."""
    started = time.monotonic()
    forced = window_check(instance, force=force, reason=reason, now=datetime.now(UTC))
    ref = ref or instance.ref
    # The ref and the migrations are read from a local mirror: a bad ref is refused
    # before any server is contacted, let alone changed.
    with step("preflight: ref and migrations"):
        sha = source_check(instance, ref)
    with connected(instance.hosts, config) as remotes:
        run = Run(instance, remotes, ref, deployer(), bool(forced), sha=sha)
        with instance_lock(run.primary, instance.name, run.who):
            with interruptible(remotes):
                try:
                    steps_run(run)
                except DeployError as failure:
                    outcome = revert_safely(run)
                    entry = log_entry(run, started, ok=False, error=str(failure), note=forced)
                    if isinstance(failure, Interrupted) or isinstance(
                        getattr(failure, "error", None), Interrupted
                    ):
                        entry["interrupted"] = True
                    history.record(
                        run.primary, **entry, outcome=outcome, restore=run.restore_report
                    )
                    raise DeployError(f"deploy {instance.name}: {failure}; {outcome}") from None
            # The release serves and passed the watch: a signal now would only cost the
            # log entry and leave the lock behind.
            with shielded("the deploy has served; finishing its log and lock"):
                finish(run, started, forced)
    seconds = time.monotonic() - started
    say(f"deployed {instance.name}: {run.release} ({run.ref} @ {run.sha[:10]}) in {seconds:.1f} s")
    return run.release


def steps_run(run: Run) -> None:
    instance = run.instance
    with step("preflight: hosts"):
        hosts_check(run)
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
        migrate(run)
    if run.new_database and instance.data == "fake":
        with step("seed demo data", run.primary.name):
            releases.django(
                run.primary, run.release, f"seed_demo --applicants {instance.demo_applicants}"
            )
    for remote in run.remotes:
        with step("collectstatic", remote.name):
            releases.django(remote, run.release, "collectstatic --no-input --verbosity 0")
        # The catalogues' .mo files are built, not committed; a release from before the
        # translations has no locale/ and nothing to compile.
        if remote.ok(f"test -d {shlex.quote(releases.path(remote, run.release))}/locale"):
            with step("compilemessages", remote.name):
                releases.django(remote, run.release, COMPILE_MESSAGES)
    for remote in run.remotes:
        roll(run, remote)
    if instance.watch_seconds:
        with step(f"watch for {instance.watch_seconds} s"):
            watch.watch(run.remotes, instance, run.release)


def migrate(run: Run) -> None:
    """`migrate`, remembering exactly which migrations it applied (even when it fails
    half-way): what a revert reverses, and whether the schema changed at all."""
    run.migrated.before = schema.applied(run.primary, run.instance)
    try:
        # Stoppable: an interrupted deploy must not read what was applied, and reverse it,
        # while this still runs. A stopped migrate's open transaction rolls back.
        releases.django(run.primary, run.release, "migrate --no-input", stoppable=True)
    finally:
        before = set(run.migrated.before)
        run.migrated.applied = [
            key for key in schema.applied(run.primary, run.instance) if key not in before
        ]
    if run.migrated.applied:
        say(f"    applied {', '.join(run.migrated.applied)}")


def finish(run: Run, started: float, forced: str) -> None:
    """After the watch: the tag (only a release that served gets one), the log, pruning."""
    tag_error = ""
    if run.instance.protected:
        try:
            with step("tag"):
                tag(run, forced)
        except DeployError as exc:
            # The release serves and passed the watch: a tag that could not be pushed is
            # reported, not a reason to take it down.
            tag_error = str(exc)
            say(f"!!! {tag_error}")
    entry = log_entry(run, started, ok=True, note=forced, tag_error=tag_error)
    history.record(run.primary, **entry)
    with step("prune releases and backups"):
        for remote in run.remotes:
            releases.prune(remote, run.instance.keep_releases)
        good = history.good_backups(history.entries(run.primary))
        database.prune(run.primary, run.instance, good)


def tag(run: Run, forced: str) -> None:
    # The release id holds the time to the second and the commit: a retry never collides.
    run.tag = f"{run.instance.name}-{run.release}"
    message = f"{run.release} deployed to {run.instance.name} by {run.who}"
    source.tag_push(run.instance.origin, run.sha, run.tag, f"{message}\n{forced}".strip())


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
    # Before anything is migrated or switched: a release that cannot load never reaches
    # a worker (the old ones keep serving).
    with step("import check", remote.name):
        releases.import_check(remote, run.release)


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
        watch.health_expect(remote, run.instance, run.release)


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
        "migrated": bool(run.migrated.applied),
        "migrations": run.migrated.applied,
        "seconds": round(time.monotonic() - started, 1),
        **{key: value for key, value in extra.items() if value},
    }
