"""The deploy console over the real sandbox: a developer's deploy from the console page
runs on a real Celery worker through the deploy package, its steps reach the page while
it runs, `fab` at the same moment is refused by the lock, a failed health check shows
the revert, fab's (Jenkins') deploys join the history. The deployed `queued` instance is
the session's (tests/deploy/conftest.py): no instance of its own, to keep CI's time.
"""

import os
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from playwright.sync_api import expect

from console import services
from console.models import Action
from deploy.instances import instance_get
from rms.celery import app as celery_app
from tests.browser.conftest import (
    CHROMIUM,
    REQUIRE_BROWSER,
    browser_type_launch_args,  # noqa: F401
)
from tests.console.conftest import member
from tests.deploy.sandbox import health
from tests.deploy.test_faults import BROKEN_HEALTH
from tests.queue.worker import Worker

pytestmark = pytest.mark.postgres

QUEUE = "console-e2e"


@pytest.fixture(scope="module", autouse=True)
def instances_file(sandbox, queued):
    # Other modules wrote their own instances since `queued` was deployed.
    sandbox.write_instances({"queued": queued})


@pytest.fixture(scope="module")
def console_worker(sandbox, queued, redis_url, django_db_setup, tmp_path_factory):
    """An ops instance's worker: the production settings, the test database, the
    sandbox's instance file and deploy key, consuming the console's own queue."""
    if connection.vendor != "postgresql":
        pytest.skip("a worker process needs the PostgreSQL test database")
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "rms.settings",
        "SECRET_KEY": "console-tests-only",
        "DEBUG": "0",
        "HTTPS": "0",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "DATABASE_CONN_MAX_AGE": "0",
        "CELERY_BROKER_URL": redis_url,
        "RMS_QUEUE": QUEUE,
        "RMS_CONSOLE": "1",
        "RMS_INSTANCES": str(sandbox.instances_file),
        "RMS_CONSOLE_SSH_KEY": str(sandbox.key),
        # fab's mirror of the origin, shared.
        "XDG_CACHE_HOME": str(sandbox.root / "cache"),
    }
    for name in ("RMS_ENV_FILE", "RMS_DEPLOYER"):
        env.pop(name, None)
    worker = Worker(env, tmp_path_factory.mktemp("console") / "worker.log", name="console")
    worker.start()
    yield worker
    worker.stop()


@pytest.fixture
def console(console_worker, sandbox, redis_url, settings, monkeypatch):
    """This test process is the console's web side: it queues on the worker's Redis."""
    settings.RMS_CONSOLE_QUEUE = QUEUE
    settings.RMS_CONSOLE_SSH_KEY = str(sandbox.key)
    monkeypatch.setenv("RMS_INSTANCES", str(sandbox.instances_file))
    monkeypatch.setenv("XDG_CACHE_HOME", str(sandbox.root / "cache"))
    saved = {key: celery_app.conf[key] for key in ("task_always_eager", "broker_url")}
    celery_app.conf.update(task_always_eager=False, broker_url=redis_url)
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    yield
    celery_app.conf.update(saved)
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def current(table: dict) -> str:
    return Path(table["hosts"][0]["base"], "current").readlink().name


def progress(client, action: Action) -> str:
    """The log as the action's page shows it while polling."""
    return client.get(reverse("console:action_progress", args=[action.pk])).content.decode()


def wait_for(predicate, timeout: float = 600, every: float = 0.5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"not true after {timeout} s")


def deploy_from_the_page(client, ref: str = "") -> Action:
    response = client.post(reverse("console:action_new", args=["queued", "deploy"]), {"ref": ref})
    assert response.status_code == 302, response.content.decode()
    return Action.objects.latest("pk")


@pytest.fixture
def chromium(request):
    if not CHROMIUM.exists():
        if REQUIRE_BROWSER:
            pytest.fail(f"RMS_REQUIRE_BROWSER=1 but {CHROMIUM} is missing")
        pytest.skip(f"needs Chromium at {CHROMIUM} (apt-get install chromium)")
    return request.getfixturevalue("page")


def signed_in_as(page, client, live_server):
    """The browser shares the session `client` signed in with."""
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    return page


@pytest.mark.django_db(transaction=True)
def test_a_console_deploy_goes_live_step_by_step_and_fab_is_refused_meanwhile(
    sandbox, queued, console, client, live_server, chromium
):
    before = current(queued)
    client.force_login(member("dawid", "developers", first_name="Dawid", last_name="Śliwa"))
    page = signed_in_as(chromium, client, live_server)

    page.goto(f"{live_server.url}/console/")
    row = page.locator('tr[data-instance="queued"]')
    # The row's live part, loaded by htmx from the host.
    expect(row.locator(f'.instance-host[data-release="{before}"]')).to_be_visible(timeout=60_000)
    row.get_by_role("link", name="Deploy").click()
    page.get_by_role("button", name="Deploy").click()
    log = page.locator("#action-progress pre")
    # The lock is taken once the hosts are connected, before their preflight.
    expect(log).to_contain_text("--> preflight: hosts", timeout=120_000)
    fab = sandbox.fab("deploy", "queued")
    # Steps reach the page while the deploy still runs.
    expect(log).to_contain_text("<-- buildout [", timeout=600_000)
    action = Action.objects.get()
    assert action.state == Action.State.RUNNING
    expect(page.locator("#action-progress")).to_have_attribute(
        "data-state", "succeeded", timeout=600_000
    )

    assert fab.returncode != 0
    assert "queued is already being deployed by dawid (console) since" in fab.stderr
    action.refresh_from_db()
    assert current(queued) == action.release != before
    assert health(queued["hosts"][0]["port"])["release"] == action.release
    # Each step with its duration, as fab prints them.
    for line in ("<-- backup [", "<-- migrate [", "<-- switch [", "<-- health check ["):
        assert line in action.log
    expect(log).to_contain_text(f"deployed queued: {action.release}")

    # fab's deploys (Jenkins runs fab) join the history, once; the console's are there.
    added = services.deploy_log_import(instance=instance_get("queued"))
    assert added >= 1
    assert services.deploy_log_import(instance=instance_get("queued")) == 0
    history = client.get(reverse("console:history"), {"instance": "queued"}).content.decode()
    assert "tess@ci" in history and "dawid (console)" in history


@pytest.mark.django_db(transaction=True)
def test_a_tester_cannot_deploy_an_instance_not_theirs_and_nothing_runs(
    sandbox, queued, console, client
):
    before = current(queued)
    log = Path(queued["hosts"][0]["base"], "deploy.log").read_text()
    client.force_login(member("tess", "testers"))

    response = client.post(reverse("console:action_new", args=["queued", "deploy"]), {})

    assert response.status_code == 403
    assert not Action.objects.exists()
    assert current(queued) == before
    assert Path(queued["hosts"][0]["base"], "deploy.log").read_text() == log


@pytest.mark.django_db(transaction=True)
def test_a_failed_health_check_shows_the_step_and_the_revert(sandbox, queued, console, client):
    before = current(queued)
    sandbox.origin.branch(
        "console-broken-health", "main", {}, append={"rms/health.py": BROKEN_HEALTH}
    )
    client.force_login(member("dawid", "developers"))

    action = deploy_from_the_page(client, ref="console-broken-health")
    page = wait_for(
        lambda: (text := progress(client, action)) and 'data-state="failed"' in text and text,
    )

    assert "FAILED after" in page and "health check [" in page
    assert "!!! reverting queued" in page
    action.refresh_from_db()
    assert "health check" in action.error
    assert current(queued) == before
    assert health(queued["hosts"][0]["port"])["release"] == before
