import os

import pytest

from tests.deploy.sandbox import missing_tools, sandbox_running

# CI sets this: there the end-to-end deploy tests must run, a skip is a failure.
REQUIRE_DEPLOY = os.environ.get("RMS_REQUIRE_DEPLOY") == "1"


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory):
    missing = missing_tools()
    if missing:
        reason = f"end-to-end deploy tests need {', '.join(missing)}"
        if REQUIRE_DEPLOY:
            pytest.fail(f"RMS_REQUIRE_DEPLOY=1 but {reason}")
        pytest.skip(reason)
    with sandbox_running(tmp_path_factory.mktemp("deploy")) as sandbox:
        yield sandbox


@pytest.fixture(scope="session")
def queued(sandbox, redis_url):
    """An instance with a broker (a Celery worker and beat beside its uWSGI), deployed
    once for every module that needs an instance that serves: a deploy is the costliest
    thing these tests do. It has its own queue (rms-queued) on the test Redis database."""
    table = sandbox.instance("queued", env={"CELERY_BROKER_URL": redis_url, "CACHE_URL": redis_url})
    sandbox.write_instances({"queued": table})
    result = sandbox.fab("deploy", "queued")
    assert result.returncode == 0, result.stdout + result.stderr
    return table
