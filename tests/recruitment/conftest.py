import pytest

from rms.celery import app as celery_app


def connections_forget():
    # Celery keeps its connection and producer pools for the broker it first used.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def broker_down():
    """A broker configured on a port where nothing listens: delay() fails at once."""
    saved = {key: celery_app.conf[key] for key in ("task_always_eager", "broker_url")}
    celery_app.conf.update(task_always_eager=False, broker_url="redis://127.0.0.1:1/0")
    connections_forget()
    yield
    celery_app.conf.update(saved)
    connections_forget()
