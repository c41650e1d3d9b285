"""A bounded HTTP load: N clients requesting one URL until told to stop."""

import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from itertools import pairwise

MAX_SECONDS = 600


@dataclass
class Load:
    """`clients` loops of request, answer, `pause` seconds. With no pause they saturate
    the server (the benchmark's load); with a short one they are users, who still see any
    gap in service, while the deploy they watch is not starved of the two cores."""

    url: str
    clients: int = 8
    pause: float = 0.0
    latencies: list[float] = field(default_factory=list)
    # When each answer arrived (time.monotonic()), whichever client it went to.
    answered_at: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    stopping: threading.Event = field(default_factory=threading.Event)
    threads: list[threading.Thread] = field(default_factory=list)

    def client(self) -> None:
        deadline = time.monotonic() + MAX_SECONDS
        while not self.stopping.is_set() and time.monotonic() < deadline:
            started = time.monotonic()
            try:
                # An http:// URL the test built; no other scheme reaches here.
                with urllib.request.urlopen(self.url, timeout=30) as response:  # noqa: S310
                    response.read()
                self.latencies.append(time.monotonic() - started)
                self.answered_at.append(time.monotonic())
            except (urllib.error.URLError, OSError) as exc:
                self.failures.append(f"{type(exc).__name__}: {exc}")
            self.stopping.wait(self.pause)

    def __enter__(self) -> "Load":
        self.threads = [threading.Thread(target=self.client) for _ in range(self.clients)]
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join()

    @property
    def requests(self) -> int:
        return len(self.latencies) + len(self.failures)

    def longest_silence(self) -> float:
        """The longest time in which no client got an answer: an instance whose workers
        all restart at once answers nobody for seconds, though no request fails."""
        moments = sorted(self.answered_at)
        return max((later - earlier for earlier, later in pairwise(moments)), default=0)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0
