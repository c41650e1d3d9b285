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
