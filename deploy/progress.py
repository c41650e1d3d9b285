"""Step reporting: every step prints its name and duration, so Jenkins' console shows
progress; a failing step is named in the error that ends the command."""

import time
from collections.abc import Iterator
from contextlib import contextmanager

from deploy.errors import DeployError


class StepFailed(DeployError):
    def __init__(self, step: str, error: DeployError) -> None:
        super().__init__(f"{step} failed: {error}")
        self.step = step
        self.error = error


def say(message: str) -> None:
    print(message, flush=True)


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
