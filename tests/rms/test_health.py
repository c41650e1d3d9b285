import json
import os
import subprocess
import sys

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder


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
