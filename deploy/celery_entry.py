"""bin/celery: Celery's own command line, with an instance's environment when it has one.

uWSGI starts the worker and beat of an instance (attach-daemon2 in uwsgi.ini) with
RMS_ENV_FILE set, like its web workers; they then read the env file and the release's
id from the release the `current` link named when they started. On a laptop (no
RMS_ENV_FILE) this is plain `celery`.
"""

import os
import sys
from pathlib import Path

from deploy.envfile import env_file_load

RELEASE_DIR = Path(__file__).resolve().parent.parent


def main() -> None:
    env_file = os.environ.get("RMS_ENV_FILE")
    if env_file:
        env_file_load(Path(env_file))
        env_file_load(RELEASE_DIR / "release.env")
    from celery.__main__ import main as celery_main

    sys.exit(celery_main())
