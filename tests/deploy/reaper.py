"""Watches a test run that has a deploy sandbox: once the run is gone and its record is
still there (it was killed before its cleanup ran), stops the sandbox's uWSGI and sshd
and drops its databases. A run that cleans up removes the record, and this exits.

    python -m tests.deploy.reaper <runner pid> <record file>
"""

import sys
import time
from pathlib import Path

from tests.deploy.sandbox import runner_alive, sweep_record


def main(runner: int, record: Path) -> None:
    while record.exists() and runner_alive(runner):
        time.sleep(1)
    if record.exists():
        print(f"run {runner} died without cleaning up: sweeping {record.read_text()}")
        sweep_record(record)


if __name__ == "__main__":
    main(int(sys.argv[1]), Path(sys.argv[2]))
