import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from recruitment.api.tokens import api_token_issue
from recruitment.factories import UserFactory


@pytest.fixture(autouse=True)
def throttle_counters_reset():
    # Throttle counters live in the cache, which outlives a test's database.
    cache.clear()
    yield
    cache.clear()


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=user)}")
    return client


@pytest.fixture
def anonymous():
    return APIClient()


@pytest.fixture
def outsider(db):
    """Signed in, but in no recruitment group."""
    return token_client(UserFactory(username="otto"))


@pytest.fixture
def api(recruiter):
    """The usual caller: a recruiter's script with a token."""
    return token_client(recruiter)


@pytest.fixture
def admin_api(admin_user):
    return token_client(admin_user)
