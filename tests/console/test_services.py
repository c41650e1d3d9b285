"""Running an action on a worker: its lines become its log as they are said, a refusal
ends it failed with the step named; PR instances made and reaped."""

from datetime import timedelta

import pytest
from django.utils import timezone

from console import services
from console.models import Action
from recruitment.services.base import ServiceError


@pytest.mark.django_db
def test_a_failing_deploy_ends_failed_with_its_step_and_log(developer):
    action = Action.objects.create(instance="staging", kind="deploy", who="dawid (console)")

    services.action_run(action_pk=action.pk)

    action.refresh_from_db()
    assert action.state == Action.State.FAILED
    # The origin in the test's instance file does not exist: preflight fails, nothing
    # on any host was touched.
    assert action.log.startswith("--> preflight: ref and migrations\n")
    assert "<-- preflight: ref and migrations: FAILED after" in action.log
    assert action.error.startswith("preflight: ref and migrations failed: git clone")
    assert action.seconds is not None and action.finished_at is not None


@pytest.mark.django_db
def test_an_action_runs_once_even_if_its_task_comes_twice(developer):
    action = Action.objects.create(
        instance="staging", kind="deploy", who="dawid (console)", state="succeeded"
    )

    assert services.action_run(action_pk=action.pk).log == ""


@pytest.mark.django_db
def test_a_pr_instance_is_made_only_for_a_branch_of_the_origin(tester, tmp_path):
    with pytest.raises(ServiceError) as refused:
        services.pr_instance_request(user=tester, branch="main", origin=str(tmp_path / "none"))

    assert refused.value.field == "branch"
    assert not Action.objects.exists()


@pytest.mark.django_db
def test_a_tester_whose_instance_exists_is_told_to_deploy_it(tester):
    with pytest.raises(ServiceError, match="pr-tess exists already"):
        services.pr_instance_request(user=tester, branch="main", origin="unused")


@pytest.mark.django_db
def test_idle_pr_instances_are_queued_for_destruction(
    instances, tmp_path, django_capture_on_commit_callbacks
):
    from deploy.pr_instances import registry_write

    registry_write(
        tmp_path / "pr-instances.toml",
        {
            name: {"base": f"/srv/rms/{name}", "port": port, "database": f"postgres:///{name}"}
            for name, port in (("pr-idle", 8210), ("pr-busy", 8211))
        },
    )
    old = Action.objects.create(instance="pr-idle", kind="deploy", who="x (console)")
    Action.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=20))
    Action.objects.create(instance="pr-busy", kind="deploy", who="y (console)")

    with django_capture_on_commit_callbacks() as queued:
        reaped = services.pr_instances_reap(days=14)

    assert [(a.instance, a.kind, a.who) for a in reaped] == [
        ("pr-idle", "pr_destroy", "scheduler (console)")
    ]
    assert reaped[0].reason == "idle for 14 days"
    assert len(queued) == 1
