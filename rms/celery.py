"""The Celery app: `bin/celery -A rms worker` (and `beat`) run RMS's tasks.

Configuration comes from Django's settings, every name prefixed CELERY_ (rms/settings.py);
tasks are found in each installed app's tasks.py.
"""

import os

from celery import Celery
from celery.worker.control import inspect_command

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rms.settings")

app = Celery("rms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@inspect_command()
def release(state) -> dict:
    """The release this worker runs (`fab status`): a broadcast "release" answers it."""
    from django.conf import settings

    return {"release": settings.RMS_RELEASE}
