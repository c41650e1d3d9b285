"""Reading an instance's env file, for every process an instance runs (uWSGI, Celery)."""

import os
from pathlib import Path


def env_file_load(path: Path) -> None:
    """KEY=VALUE lines, as `set -a; . file` reads them too (values are never quoted)."""
    for line in path.read_text().splitlines():
        key, sep, value = line.strip().partition("=")
        if sep and not key.startswith("#"):
            os.environ[key] = value
