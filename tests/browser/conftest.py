"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server."""

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
REQUIRE_BROWSER = os.environ.get("RMS_REQUIRE_BROWSER") == "1"
# Playwright's sync API runs an event loop in the test's thread; the tests' own ORM
# calls (set-up and checks) are plain synchronous code all the same.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    if REQUIRE_BROWSER:
        raise pytest.UsageError(f"RMS_REQUIRE_BROWSER=1 but {CHROMIUM} is missing")
    skip = pytest.mark.skip(reason=f"needs Chromium at {CHROMIUM} (apt-get install chromium)")
    for item in items:
        if "browser" in str(item.path):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args():
    # Debian's Chromium: Playwright cannot download its own browser here, and the
    # background-networking flags stop Chromium calling hosts this machine cannot reach.
    return {
        "executable_path": str(CHROMIUM),
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def reports_dir() -> Path:
    path = Path(__file__).resolve().parents[2] / "reports"
    path.mkdir(exist_ok=True)
    return path


@pytest.fixture
def signed_in(page, live_server, recruiter):
    """A page signed in as the recruiter through the real sign-in form."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("rita")
    page.get_by_label("Password").fill("secret-password")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")
    return page


@pytest.fixture(autouse=True)
def _front_end_is_built():
    built = Path(__file__).resolve().parents[2] / "static" / "dist" / "js" / "rms.js"
    if not built.exists():
        pytest.fail("the front end is not built: run `make build` (make test does)")
