import json
import os
import subprocess
import sys

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from rms.health import health_cache_clear


@pytest.fixture(autouse=True)
def health_fresh():
    # Each test starts as a new worker process would: nothing known current yet.
    health_cache_clear()
    yield
    health_cache_clear()


@pytest.mark.django_db
def test_health_is_200_with_release_when_database_is_current(client, settings):
    settings.RMS_RELEASE = "20261128-0100-abc1234"

    response = client.get("/health/")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "migrations_pending": 0,
        "broker": "in-process",
        "cache": "local",
        "release": "20261128-0100-abc1234",
    }
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_health_is_503_when_a_migration_is_not_applied(client):
    (latest,) = MigrationLoader(connection).graph.leaf_nodes("recruitment")
    MigrationRecorder(connection).record_unapplied(*latest)

    response = client.get("/health/")

    assert response.status_code == 503
    assert response.json()["status"] == "error"
    assert response.json()["migrations_pending"] == 1


def test_health_is_503_when_the_database_is_unreachable(tmp_path):
    # A real process with its database pointing nowhere: nothing is mocked.
    if connection.vendor == "sqlite":
        database_url = f"sqlite:///{tmp_path / 'missing-directory' / 'rms.sqlite3'}"
    else:
        database_url = "postgres://postgres@127.0.0.1:1/rms_unreachable"
    script = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/health/');"
        "print(r.status_code, json.dumps(r.json()))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": database_url,
        "PYTHONPATH": os.pathsep.join(sys.path),
        "RMS_RELEASE": "r-unreachable",
    }

    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )

    status, body = result.stdout.strip().split(" ", 1)
    assert status == "503"
    assert json.loads(body) == {
        "status": "error",
        "database": "unreachable",
        "migrations_pending": None,
        "broker": "in-process",
        "cache": "local",
        "release": "r-unreachable",
    }


def test_health_refuses_post(client):
    assert client.post("/health/").status_code == 405


DEAD = "redis://127.0.0.1:1/0"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("broker_up", "cache_up", "status", "expected"),
    [
        (True, True, 200, {"broker": "ok", "cache": "ok"}),
        (False, True, 503, {"broker": "unreachable", "cache": "ok"}),
        (True, False, 503, {"broker": "ok", "cache": "unreachable"}),
    ],
)
def test_health_reports_the_broker_and_the_shared_cache(
    client, settings, redis_url, broker_up, cache_up, status, expected
):
    settings.CELERY_BROKER_URL = redis_url if broker_up else DEAD
    settings.CACHE_URL = redis_url if cache_up else DEAD
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": settings.CACHE_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }

    response = client.get("/health/")

    assert response.status_code == status
    assert {key: response.json()[key] for key in expected} == expected


@pytest.mark.django_db
def test_a_release_found_current_is_not_checked_again_but_a_new_release_is(
    client, settings, django_assert_num_queries
):
    settings.RMS_RELEASE = "release-one"
    assert client.get("/health/").status_code == 200
    (latest,) = MigrationLoader(connection).graph.leaf_nodes("recruitment")
    MigrationRecorder(connection).record_unapplied(*latest)

    # The same release in the same process: SELECT 1 only, the migration graph is not read.
    with django_assert_num_queries(1):
        assert client.get("/health/").status_code == 200
    settings.RMS_RELEASE = "release-two"
    response = client.get("/health/")

    assert response.status_code == 503
    assert response.json()["migrations_pending"] == 1
    # Still pending on every later poll: only a current answer is kept.
    assert client.get("/health/").json()["migrations_pending"] == 1


def test_ping_answers_without_the_database_or_a_session(client):
    # No django_db mark: any query (a session, a user) would fail this test.
    response = client.get("/ping/")

    assert response.status_code == 200
    assert response.content == b"pong"
    assert "Cookie" not in response.get("Vary", "")
