"""The Celery worker of a deployed instance: started with uWSGI, restarted by `fab deploy`
onto the new release, and nothing queued during a deploy is lost.

The instance uses the test Redis database, with its own queue (rms-queued), so it never
takes the tasks of the queue tests' worker.
"""

import json
import os
import time
from pathlib import Path

import pytest
from celery import Celery

from tests.queue.worker import Worker

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def stranger(redis_url, tmp_path_factory):
    """Another project's worker on the same broker (as the queue tests' one is in a full
    run): it answers every broadcast too, and `fab status` must not count it."""
    var = tmp_path_factory.mktemp("stranger")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "rms.settings",
        "DEBUG": "1",
        "RMS_VAR_DIR": str(var),
        "CELERY_BROKER_URL": redis_url,
    }
    for name in ("DATABASE_URL", "RMS_ENV_FILE"):
        env.pop(name, None)
    worker = Worker(env, var / "worker.log", name="stranger")
    worker.start()
    yield worker
    worker.stop()


@pytest.fixture(scope="module", autouse=True)
def instances_file(sandbox, queued):
    # Other modules wrote their own instances since `queued` was deployed.
    sandbox.write_instances({"queued": queued})


def base(table: dict) -> Path:
    return Path(table["hosts"][0]["base"])


def fab_ok(sandbox, *args: str) -> str:
    result = sandbox.fab(*args)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def queue_status(sandbox) -> dict:
    (host,) = [json.loads(line) for line in fab_ok(sandbox, "status", "queued").splitlines()]
    return host["queue"]


def worker_releases(sandbox) -> dict:
    return queue_status(sandbox)["workers"]


def wait_for(predicate, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(1)
    raise AssertionError(f"not true after {timeout} s")


def test_a_deployed_instance_runs_a_worker_on_its_release(sandbox, queued, stranger):
    release = (base(queued) / "current").readlink().name

    wait_for(lambda: set(worker_releases(sandbox).values()) == {release})
    assert health_of(queued)["broker"] == "ok"
    # Nothing waits in the instance's queue once its worker runs.
    assert queue_status(sandbox)["queued"] == 0


def health_of(table: dict) -> dict:
    from tests.deploy.sandbox import health

    return health(table["hosts"][0]["port"])


def test_a_task_queued_during_a_deploy_is_run_and_the_worker_moves_to_the_new_release(
    sandbox, queued, redis_url, stranger
):
    before = (base(queued) / "current").readlink().name
    client = Celery(broker=redis_url)
    deploy = sandbox.fab_start("deploy", "queued")
    time.sleep(2)
    # One task while the old release alone runs, one as the worker is handed over.
    tasks = [client.send_task("recruitment.tasks.email_outbox_requeue", queue="rms-queued")]
    seen = []
    for line in deploy.stdout:
        seen.append(line)
        if line.startswith("--> restart Celery"):
            tasks.append(
                client.send_task("recruitment.tasks.email_outbox_requeue", queue="rms-queued")
            )
            break
    stdout, stderr = deploy.communicate(timeout=600)
    assert deploy.returncode == 0, "".join(seen) + stdout + stderr
    assert len(tasks) == 2, "".join(seen)
    after = (base(queued) / "current").readlink().name
    assert after != before

    log = base(queued) / "shared" / "log" / "celery-worker.log"
    for task in tasks:
        wait_for(lambda task=task: f"email_outbox_requeue[{task.id}] succeeded" in log.read_text())
    wait_for(lambda: set(worker_releases(sandbox).values()) == {after})
    status = worker_releases(sandbox)
    assert len(status) == 1, status
