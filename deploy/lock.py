"""One deploy at a time per instance: a lock file on its primary host."""

import getpass
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


def holder_line(who: str, since: datetime) -> str:
    return f"{who} since {since.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC"


@contextmanager
def instance_lock(remote: Remote, instance_name: str, who: str) -> Iterator[None]:
    lock = shlex.quote(remote.host.lock)
    line = shlex.quote(holder_line(who, datetime.now(UTC)))
    # noclobber makes the shell create the file with O_EXCL: of two deploys racing
    # here, exactly one succeeds.
    command = f"mkdir -p {shlex.quote(remote.host.base)} && (set -C; echo {line} > {lock})"
    if not remote.ok(command):
        holder = remote.run(f"cat {lock}", check=False).strip() or "someone (no holder line yet)"
        raise DeployError(f"{instance_name} is already being deployed by {holder}")
    try:
        yield
    finally:
        remote.run(f"rm -f {lock}", check=False)
