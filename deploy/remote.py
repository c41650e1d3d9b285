"""Running shell commands on an app host over SSH (Fabric), with one-line failures."""

import shlex
import time
from collections.abc import Iterator
from contextlib import contextmanager

import paramiko
from fabric import Config, Connection

from deploy.errors import DeployError
from deploy.instances import Host

CONNECT_TIMEOUT = 10


class Remote:
    """A connected app host; `run` raises DeployError carrying the command's last output."""

    def __init__(self, host: Host, config: Config | None = None) -> None:
        self.host = host
        self.config = config
        self.connection = Connection(host.ssh, config=config, connect_timeout=CONNECT_TIMEOUT)

    @property
    def name(self) -> str:
        return self.host.ssh

    def connect(self) -> None:
        try:
            self.connection.open()
        except (OSError, paramiko.SSHException) as exc:
            raise DeployError(f"host {self.name} is unreachable: {exc}") from None

    def run(self, command: str, *, check: bool = True) -> str:
        self.connect()
        result = self.connection.run(command, hide=True, warn=True, in_stream=False)
        if check and not result.ok:
            output = (result.stderr.strip() or result.stdout.strip()).splitlines()[-8:]
            detail = "\n    ".join(output)
            raise DeployError(f"{self.name}: `{command}` exited {result.exited}\n    {detail}")
        return result.stdout

    def run_step(self, command: str) -> str:
        """`run`, in a process group of its own whose id is kept on the host: an
        interrupted deploy stops it (`kill_step`) instead of leaving a buildout running."""
        pgid = shlex.quote(self.host.step_pgid)
        inner = shlex.quote(f"echo $$ > {pgid} && {command}")
        return self.run(f"setsid -w bash -c {inner}; status=$?; rm -f {pgid}; exit $status")

    def kill_step(self) -> None:
        """Stop a `run_step` command, over a connection of its own: the usual one is busy
        waiting for that very command."""
        pgid = shlex.quote(self.host.step_pgid)
        with Connection(self.host.ssh, config=self.config, connect_timeout=CONNECT_TIMEOUT) as c:
            c.run(
                f"test -s {pgid} && kill -TERM -- -$(cat {pgid}); rm -f {pgid}",
                hide=True,
                warn=True,
                in_stream=False,
            )

    def ok(self, command: str) -> bool:
        self.connect()
        return self.connection.run(command, hide=True, warn=True, in_stream=False).ok

    def exists(self, path: str) -> bool:
        return self.ok(f"test -e {shlex.quote(path)}")

    def write(self, path: str, text: str, *, mode: str = "644") -> None:
        """Write a file atomically (tmp + rename), so a reader never sees half of it."""
        quoted = shlex.quote(path)
        self.run(
            f"umask 077 && printf %s {shlex.quote(text)} > {quoted}.tmp"
            f" && chmod {mode} {quoted}.tmp && mv -f {quoted}.tmp {quoted}"
        )

    def close(self) -> None:
        self.connection.close()


@contextmanager
def connected(hosts: tuple[Host, ...], config: Config | None = None) -> Iterator[list[Remote]]:
    """Connect to every host first: an unreachable one stops the command before any change."""
    remotes = [Remote(host, config) for host in hosts]
    try:
        for remote in remotes:
            remote.connect()
        yield remotes
    finally:
        for remote in remotes:
            remote.close()


def wait_until(predicate, *, timeout: float, interval: float = 0.5) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()
