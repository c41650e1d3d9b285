"""A real `bin/celery worker` process on this machine's Redis and PostgreSQL."""

import os
import signal
import subprocess
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


class Worker:
    """One worker (prefork, one child), started and stopped as the tests need."""

    def __init__(self, env: dict[str, str], log: Path, name: str = "tests") -> None:
        self.env = env
        self.log = log
        self.name = name
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        command = [
            str(REPO / "bin" / "celery"), "-A", "rms", "worker", "--concurrency", "1",
            "--without-gossip", "--without-mingle", "--loglevel", "INFO",
            "-n", f"{self.name}-{os.getpid()}@%h",
        ]  # fmt: skip
        with self.log.open("a") as log:
            # A session of its own: SIGKILL reaches the pool's child too.
            self.process = subprocess.Popen(
                command, env=self.env, cwd=REPO, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        self.wait_ready()

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the worker exited; see {self.log}")
            if " ready." in self.log.read_text():
                return
            time.sleep(0.2)
        raise RuntimeError(f"the worker did not start in {timeout} s; see {self.log}")

    def kill(self) -> None:
        """SIGKILL, as a crash or the OOM killer would: no warm shutdown, no ack."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.ready_forget()

    def ready_forget(self) -> None:
        # The next start waits for a " ready." line: a gone worker's must not count.
        self.log.write_text(self.log.read_text().replace(" ready.", " (gone)"))

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self.ready_forget()
