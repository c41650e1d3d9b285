"""SIGINT and SIGTERM during a deploy: a failed step, not an abandoned one.

The first signal stops the remote command the deploy waits for and raises `Interrupted`
where the deploy stands, so the usual revert runs, the lock is released and the log says
"interrupted". Further signals are ignored until then: a second Ctrl-C must not cut the
revert short.
"""

import signal
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager

import paramiko

from deploy.errors import DeployError
from deploy.progress import say
from deploy.remote import Remote

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(DeployError):
    """The deploy was told to stop (Ctrl-C, or SIGTERM from Jenkins' abort button)."""


@contextmanager
def _handled(on_signal: Callable[[int, object], None]) -> Iterator[None]:
    """SIGINT and SIGTERM go to `on_signal` inside the block, as they did before after."""
    previous = {number: signal.getsignal(number) for number in SIGNALS}
    for number in SIGNALS:
        signal.signal(number, on_signal)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def shielded(what: str) -> AbstractContextManager[None]:
    """SIGINT and SIGTERM are said and ignored for a short step that must not be cut
    (the log and the lock of a release that already serves)."""

    def on_signal(number: int, _frame: object) -> None:
        say(f"!!! {signal.Signals(number).name}: {what} first")

    return _handled(on_signal)


def interruptible(remotes: list[Remote]) -> AbstractContextManager[None]:
    def on_signal(number: int, _frame: object) -> None:
        for each in SIGNALS:
            signal.signal(each, signal.SIG_IGN)
        name = signal.Signals(number).name
        say(f"!!! {name}: stopping the running step, then reverting")
        for remote in remotes:
            try:
                remote.kill_step()
            except (OSError, paramiko.SSHException, DeployError) as exc:
                say(f"    could not stop the step on {remote.name}: {exc}")
        raise Interrupted(f"interrupted by {name}")

    return _handled(on_signal)
