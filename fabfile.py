"""`fab` tasks: the deploy command line. The logic lives in the `deploy` package.

Instances come from deploy/instances.toml (or $RMS_INSTANCES); SSH keys from `fab -i KEY`
or ~/.ssh. Bad input or a failed step prints one line (plus the failed command's last
output) and exits 1.
"""

import json
from collections.abc import Callable
from functools import wraps

from fabric import task
from invoke.exceptions import Exit

from deploy import operations, pipeline, pr_instances
from deploy.errors import DeployError
from deploy.instances import instance_get


def one_line_errors(function: Callable) -> Callable:
    @wraps(function)
    def wrapper(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except DeployError as exc:
            raise Exit(f"fab: {exc}", code=1) from None

    return wrapper


def confirmed(question: str, answer: str) -> bool:
    """The person types the instance's name; no terminal (Jenkins) means no."""
    try:
        return input(f"{question} Type {answer!r} to go on: ").strip() == answer
    except EOFError:
        return False


def show(rows: list[dict]) -> None:
    for row in rows:
        print(json.dumps(row, sort_keys=True))


@task(
    help={
        "ref": "branch, tag or commit (default: the instance's ref)",
        "force": "deploy outside the window (needs --reason; recorded)",
        "reason": "why --force was needed: written to the deploy log and the live tag",
    }
)
@one_line_errors
def deploy(c, instance, ref="", force=False, reason=""):
    """Deploy a ref to an instance: backup, build, migrate, switch, reload, health check."""
    pipeline.deploy(instance_get(instance), ref=ref, force=force, reason=reason, config=c.config)


@task(
    help={
        "to": "release id (default: the one before current)",
        "restore_db": "restore the backup taken by the deploy being undone",
    }
)
@one_line_errors
def rollback(c, instance, to="", restore_db=False):
    """Switch back to an earlier release, host by host."""
    operations.rollback(instance_get(instance), to=to, restore_db=restore_db, config=c.config)


@task
@one_line_errors
def backup(c, instance):
    """pg_dump the instance's database into its backups directory."""
    operations.backup(instance_get(instance), config=c.config)


@task(help={"yes": "do not ask for confirmation"})
@one_line_errors
def restore(c, instance, backup, yes=False):
    """Replace the instance's data with a backup (a name from `fab backups`)."""
    target = instance_get(instance)
    if not yes and not confirmed(f"Replace all data of {target.name} with {backup}?", target.name):
        raise Exit("fab: restore cancelled", code=1)
    operations.restore(target, backup, config=c.config)


@task
@one_line_errors
def backups(c, instance):
    """List the instance's backups, newest first."""
    print("\n".join(operations.backups(instance_get(instance), config=c.config)))


@task
@one_line_errors
def status(c, instance):
    """Release, ref, who deployed it and when, uWSGI workers and health, per host."""
    show(operations.status(instance_get(instance), config=c.config))


@task(
    help={
        "force": "remove a lock held from another machine (needs --reason)",
        "reason": "why the lock is known to be stale: written to the deploy log",
    }
)
@one_line_errors
def unlock(c, instance, force=False, reason=""):
    """Remove a stale deploy lock; refused while the deploy holding it still runs."""
    operations.unlock_stale(instance_get(instance), force=force, reason=reason, config=c.config)


@task
@one_line_errors
def restart(c, instance):
    """Stop (graceful `q`, then `Q`) and start the instance's uWSGI on every host."""
    operations.restart(instance_get(instance), config=c.config)


@task
@one_line_errors
def stop(c, instance):
    """Stop the instance's uWSGI on every host (graceful `q`, then `Q`)."""
    operations.stop(instance_get(instance), config=c.config)


@task
@one_line_errors
def releases(c, instance):
    """The releases kept on the primary host, newest first."""
    show(operations.release_list(instance_get(instance), config=c.config))


@task
@one_line_errors
def log(c, instance):
    """The instance's deploy log, oldest first."""
    show(operations.log(instance_get(instance), config=c.config))


@task
@one_line_errors
def create_pr_instance(c, tester, branch):
    """Make pr-<tester>: port and database allocated, staging's data copied, branch deployed."""
    pr_instances.create(tester, branch, config=c.config)


@task
@one_line_errors
def deploy_pr(c, author, branch):
    """Deploy a PR's branch to its author's PR instance, making the instance if needed."""
    pr_instances.deploy_pr(author, branch, config=c.config)


@task
@one_line_errors
def destroy_instance(c, instance):
    """Stop and remove a PR instance, its tree and its database."""
    pr_instances.destroy(instance, config=c.config)


@task
@one_line_errors
def copy_db(c, source, target):
    """Copy one instance's database over another's (never over live)."""
    pr_instances.copy_db(source, target, config=c.config)
