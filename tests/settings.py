"""Settings for the test suite: the real settings, fed test values, made fast."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-any-real-instance-0123456789")
os.environ.setdefault("HTTPS", "0")
# The deploy console's pages, which only an ops instance turns on.
os.environ.setdefault("RMS_CONSOLE", "1")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
# Export files go to disk, where a Celery worker started by a test (it inherits this
# environment) finds the same directory.
os.environ.setdefault("RMS_PRIVATE_DIR", str(Path(tempfile.gettempdir()) / "rms-tests-private"))

from rms.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "exports": STORAGES["exports"],  # noqa: F405
}
# The access log is written by batch size only: a write timed by the clock would land
# in whichever test happens to run then, and upset its query count.
RMS_ACCESS_LOG_FLUSH_SECONDS = 10**6
# `make test` runs tests/deploy in a second pytest process beside the rest; on
# PostgreSQL each needs a test database of its own (the console's deploy tests use one).
_default = DATABASES["default"]  # noqa: F405
if os.environ.get("RMS_TEST_DATABASE_SUFFIX") and "postgresql" in _default["ENGINE"]:
    _default["TEST"] = {"NAME": f"test_{_default['NAME']}{os.environ['RMS_TEST_DATABASE_SUFFIX']}"}
