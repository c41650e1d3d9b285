"""Step reporting: every step prints its name and duration, so Jenkins' console shows
progress; a failing step is named in the error that ends the command. The console's
job listens too (`listening`): it keeps each line as the deploy's log while it runs."""

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from deploy.errors import DeployError


class StepFailed(DeployError):
    def __init__(self, step: str, error: DeployError) -> None:
        super().__init__(f"{step} failed: {error}")
        self.step = step
        self.error = error


_listeners: ContextVar[tuple[Callable[[str], None], ...]] = ContextVar(
    "progress_listeners", default=()
)


def say(message: str) -> None:
    print(message, flush=True)
    for listener in _listeners.get():
        listener(message)


@contextmanager
def listening(listener: Callable[[str], None]) -> Iterator[None]:
    """Every line said inside goes to `listener` as well as to stdout."""
    token = _listeners.set((*_listeners.get(), listener))
    try:
        yield
    finally:
        _listeners.reset(token)


@contextmanager
def step(name: str, where: str = "") -> Iterator[None]:
    label = f"{name} [{where}]" if where else name
    say(f"--> {label}")
    started = time.monotonic()
    try:
        yield
    except StepFailed:
        raise
    except DeployError as exc:
        say(f"<-- {label}: FAILED after {time.monotonic() - started:.1f} s")
        raise StepFailed(label, exc) from exc
    say(f"<-- {label}: {time.monotonic() - started:.1f} s")
