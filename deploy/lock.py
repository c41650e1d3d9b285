"""One deploy at a time per instance: a lock file on its primary host.

The file says who holds it, from which machine and process, since when (JSON), so a lock
left by a killed run can be told from a live one: `fab unlock` checks that process.
"""

import getpass
import json
import os
import shlex
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from deploy.errors import DeployError
from deploy.remote import Remote


def deployer() -> str:
    """Who is deploying: $RMS_DEPLOYER (Jenkins sets the approver), else user@machine."""
    return os.environ.get("RMS_DEPLOYER") or f"{getpass.getuser()}@{socket.gethostname()}"


def holder_new(who: str, since: datetime) -> dict:
    return {
        "who": who,
        "host": socket.gethostname(),
        "pid": os.getpid(),
        "since": since.astimezone(UTC).isoformat(timespec="seconds"),
    }


def holder_line(holder: dict) -> str:
    if "pid" not in holder:
        return holder.get("who", "someone (no holder line yet)")
    since = datetime.fromisoformat(holder["since"])
    return (
        f"{holder['who']} since {since:%Y-%m-%d %H:%M:%S} UTC"
        f" (pid {holder['pid']} on {holder['host']})"
    )


def holder_read(remote: Remote) -> dict:
    """The lock's holder; {} when the instance is not locked."""
    lock = shlex.quote(remote.host.lock)
    text = remote.run(f"cat {lock} 2>/dev/null || true").strip()
    if not text:
        return {}
    try:
        return json.loads(text)
    except ValueError:
        # A lock written by an older deploy tool: a line of text, no pid to check.
        return {"who": text}


def holder_alive(holder: dict) -> bool | None:
    """Whether the holding process still runs; None when it runs on another machine."""
    if holder.get("host") != socket.gethostname() or "pid" not in holder:
        return None
    try:
        os.kill(int(holder["pid"]), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def instance_lock(remote: Remote, instance_name: str, who: str) -> Iterator[None]:
    lock = shlex.quote(remote.host.lock)
    content = shlex.quote(json.dumps(holder_new(who, datetime.now(UTC)), sort_keys=True))
    # noclobber makes the shell create the file with O_EXCL: of two deploys racing
    # here, exactly one succeeds.
    command = f"mkdir -p {shlex.quote(remote.host.base)} && (set -C; echo {content} > {lock})"
    if not remote.ok(command):
        holder = holder_line(holder_read(remote))
        raise DeployError(f"{instance_name} is already being deployed by {holder}")
    try:
        yield
    finally:
        remote.run(f"rm -f {lock}", check=False)


def unlock(remote: Remote, instance_name: str, *, force: bool, reason: str) -> dict:
    """Remove a stale lock; refused while its holder runs, or cannot be checked unforced."""
    holder = holder_read(remote)
    if not holder:
        raise DeployError(f"{instance_name} is not locked")
    alive = holder_alive(holder)
    if alive:
        raise DeployError(
            f"{instance_name} is locked by a running deploy: {holder_line(holder)};"
            " stop that process instead"
        )
    if alive is None and not (force and reason):
        raise DeployError(
            f"{instance_name} is locked by {holder_line(holder)}, which this machine cannot"
            " check; use --force --reason '...' once you know it no longer runs"
        )
    remote.run(f"rm -f {shlex.quote(remote.host.lock)}")
    return holder
