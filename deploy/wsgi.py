"""uWSGI entry point of a deployed instance, executed through the release's bin/rms-wsgi.

Every worker reads the instance's env file and its own release's id when it starts, so a
chain reload (a fresh worker per process) picks up a new release and changed settings
without restarting the master, whose environment was fixed when it started.
"""

import os
from pathlib import Path

from deploy.envfile import env_file_load
from deploy.errors import DeployError

RELEASE_DIR = Path(__file__).resolve().parent.parent

env_file = os.environ.get("RMS_ENV_FILE")
if not env_file:
    raise DeployError("RMS_ENV_FILE is not set: start uWSGI with the instance's uwsgi.ini")
env_file_load(Path(env_file))
env_file_load(RELEASE_DIR / "release.env")

from django.urls import get_resolver  # noqa: E402 -- settings read the environment above

from rms.wsgi import application  # noqa: E402

# Import every view now: a worker forked by a chain reload starts taking requests as
# soon as it loaded, and its first request would otherwise pay for the URLconf (~1 s).
get_resolver().url_patterns  # noqa: B018

try:
    import uwsgi
except ImportError:
    # Imported outside uWSGI: the deploy's import check of a release.
    uwsgi = None
if uwsgi is not None:
    # `fab status` reads which release each worker really runs from its process title.
    uwsgi.setprocname(f"rms-worker {os.environ.get('RMS_RELEASE', '?')}")

__all__ = ["application"]
