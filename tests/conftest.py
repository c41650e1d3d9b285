import os

import pytest
from django.contrib.auth.models import Group
from django.db import connection

from recruitment.factories import UserFactory

REQUIRE_POSTGRES = os.environ.get("RMS_REQUIRE_POSTGRES") == "1"


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
