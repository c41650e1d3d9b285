"""What one deploy did, and undoing exactly that when it fails or is interrupted.

Order matters: the workers go back to the old release first (a release must run on the
schema of the next one: expand/contract, docs/deploy-migrations.md), then the migrations
this deploy applied are reversed. Only when one cannot be reversed is the backup
restored, after dumping the state it replaces and counting the rows written since.
"""

from dataclasses import dataclass, field

from deploy import releases, schema, uwsgi, worker
from deploy.errors import DeployError
from deploy.instances import Instance
from deploy.progress import say, step
from deploy.remote import Remote
from deploy.watch import health_expect


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
    new_database: bool = False
    migrated: schema.Migrated = field(default_factory=schema.Migrated)
    previous: dict[str, str] = field(default_factory=dict)
    switched: list[Remote] = field(default_factory=list)
    chain_done: dict[str, bool] = field(default_factory=dict)
    schema_outcome: str = ""
    restore_report: dict = field(default_factory=dict)

    @property
    def primary(self) -> Remote:
        return self.remotes[0]


def revert(run: Run) -> None:
    say(f"!!! reverting {run.instance.name}")
    for remote in run.switched:
        with step("revert switch", remote.name):
            if run.previous.get(remote.name):
                releases.switch(remote, run.previous[remote.name])
        with step("revert reload", remote.name):
            revert_reload(run, remote)
        with step("revert Celery", remote.name):
            worker.restart(remote, run.instance)
    if run.migrated.applied:
        schema_revert(run)
    with step("remove failed release"):
        for remote in run.remotes:
            releases.remove_failed(remote, run.release)


def schema_revert(run: Run) -> None:
    try:
        with step("reverse migrations", run.primary.name):
            schema.reverse(run.primary, run.instance, run.release, run.migrated)
        run.schema_outcome = f"migrations reversed ({', '.join(run.migrated.applied)})"
        return
    except DeployError:
        if not run.backup:
            raise
        say("!!! a migration cannot be reversed: restoring the backup as the last resort")
    with step("restore backup (last resort)", run.primary.name):
        run.restore_report = schema.restore_with_report(run.primary, run.instance, run.backup)
    report = run.restore_report
    run.schema_outcome = (
        f"database restored from {run.backup}; {report['rows_lost']} rows written since the"
        f" backup are only in {report['pre_restore_dump']}"
    )


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


def revert_safely(run: Run) -> str:
    try:
        revert(run)
    except DeployError as exc:
        return f"REVERT FAILED, fix by hand: {exc}"
    return reverted(run)


def reverted(run: Run) -> str:
    """What the revert did, in words; nothing is claimed that did not happen."""
    done = []
    previous = run.previous.get(run.primary.name)
    if run.switched and previous:
        done.append(f"reverted to release {previous}")
    elif run.switched:
        done.append("stopped (first deploy, nothing to revert to)")
    else:
        done.append(f"nothing was switched, still on {previous or 'no release'}")
    if run.schema_outcome:
        done.append(run.schema_outcome)
    return ", ".join(done)
