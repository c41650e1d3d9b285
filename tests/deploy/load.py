"""A bounded HTTP load: N clients requesting one URL until told to stop."""

import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field

MAX_SECONDS = 600


@dataclass
class Load:
    url: str
    clients: int = 8
    latencies: list[float] = field(default_factory=list)
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
            except (urllib.error.URLError, OSError) as exc:
                self.failures.append(f"{type(exc).__name__}: {exc}")

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


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0
