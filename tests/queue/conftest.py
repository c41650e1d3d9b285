"""Integration tests of the queue: a real worker process, Redis, PostgreSQL, an SMTP sink.

One worker and one sink for the whole session (a worker takes seconds to start); each
test starts from an empty sink. The test process publishes to the same Redis database.
"""

import os
import time

import pytest
from django.db import connection

from rms.celery import app as celery_app
from tests.deploy.sandbox import free_port
from tests.queue.smtp_sink import SmtpSink
from tests.queue.worker import Worker


def wait_until(predicate, timeout: float = 30, every: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"not true after {timeout} s: {predicate.__doc__ or predicate}")


@pytest.fixture(scope="session")
def smtp_sink():
    with SmtpSink(free_port()) as sink:
        yield sink


def database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.fixture(scope="session")
def worker(django_db_setup, django_db_blocker, redis_url, smtp_sink, tmp_path_factory):
    """The production settings (rms.settings) against the test database and the sink."""
    if connection.vendor != "postgresql":
        pytest.skip("a worker process needs the PostgreSQL test database")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "rms.settings",
        "SECRET_KEY": "queue-tests-only",
        "DEBUG": "0",
        "HTTPS": "0",
        "DATABASE_URL": database_url(),
        "DATABASE_CONN_MAX_AGE": "0",
        "CELERY_BROKER_URL": redis_url,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_sink.port),
        "RMS_EMAIL_RETRY_SECONDS": "1",
        # Uploaded files (CVs) where a test can store them on disk for the worker too.
        "MEDIA_ROOT": str(tmp_path_factory.mktemp("media")),
        # A killed worker's task comes back after this many seconds, not an hour.
        "CELERY_VISIBILITY_TIMEOUT": "5",
    }
    env.pop("RMS_ENV_FILE", None)
    process = Worker(env, tmp_path_factory.mktemp("worker") / "worker.log")
    process.start()
    yield process
    process.stop()


@pytest.fixture
def sink(smtp_sink):
    smtp_sink.handler.reset()
    return smtp_sink.handler


@pytest.fixture
def broker(worker, redis_url):
    """This test process queues on the worker's Redis instead of running tasks itself."""
    saved = {key: celery_app.conf[key] for key in ("task_always_eager", "broker_url")}
    celery_app.conf.update(task_always_eager=False, broker_url=redis_url)
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    yield
    celery_app.conf.update(saved)
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
