import os

import pytest
from django.contrib.auth.models import Group
from django.db import connection

from privacy.services.access_log import access_log_discard
from recruitment.factories import UserFactory

REQUIRE_POSTGRES = os.environ.get("RMS_REQUIRE_POSTGRES") == "1"
# CI starts Redis (.ci/run): there a test that needs it must run, not skip.
REQUIRE_REDIS = os.environ.get("RMS_REQUIRE_REDIS") == "1"
# A database of its own, so parallel runs on one Redis do not see each other's keys.
TEST_REDIS_URL = os.environ.get("RMS_TEST_REDIS_URL", "redis://127.0.0.1:6379/11")


def pytest_collection_modifyitems(config, items):
    if connection.vendor == "postgresql":
        return
    if REQUIRE_POSTGRES:
        # CI must prove the PostgreSQL-only tests: skipping them there is a failure.
        raise pytest.UsageError(
            f"RMS_REQUIRE_POSTGRES=1 but the test database is {connection.vendor}"
        )
    skip = pytest.mark.skip(reason=f"needs PostgreSQL, not {connection.vendor} (DATABASE_URL)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def access_log_empty():
    """Each test starts with no access log entries of an earlier test waiting in memory."""
    access_log_discard()


def role(name: str) -> Group:
    """A group made by the data migration. Transactional tests flush the database
    between tests, so there the group is remade, without its permissions."""
    return Group.objects.get_or_create(name=name)[0]


@pytest.fixture
def recruiter(db):
    user = UserFactory(username="rita", first_name="Rita", last_name="Recruiter")
    user.groups.add(role("recruiters"))
    return user


@pytest.fixture
def admin_user(db):
    user = UserFactory(username="adam", is_staff=True, is_superuser=False)
    user.groups.add(role("admins"))
    return user


@pytest.fixture
def recruiter_client(client, recruiter):
    client.force_login(recruiter)
    return client


@pytest.fixture(scope="session")
def redis_url() -> str:
    """The test Redis database, emptied; skipped (failed under CI) when Redis is down."""
    import redis

    client = redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=1)
    try:
        client.flushdb()
    except redis.RedisError as error:
        if REQUIRE_REDIS:
            pytest.fail(f"RMS_REQUIRE_REDIS=1 but Redis at {TEST_REDIS_URL} is down: {error}")
        pytest.skip(f"needs Redis at {TEST_REDIS_URL} ({error})")
    finally:
        client.close()
    return TEST_REDIS_URL
