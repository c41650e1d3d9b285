"""Bulk actions over more applications than RMS_BULK_JOB_ROWS become jobs (run in-process
here; tests/queue runs one through a real worker): progress, refusals, resuming, access."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from recruitment import services, tasks
from recruitment.factories import ActivityFactory, ApplicationFactory, UserFactory
from recruitment.models import (
    Activity,
    Application,
    BulkJob,
    OutgoingEmail,
    Stage,
    StageEmailTemplate,
)
from recruitment.services import bulk_jobs
from recruitment.services.bulk import BulkAction, BulkSelection
from tests.conftest import role

pytestmark = pytest.mark.django_db


@pytest.fixture
def threshold(settings):
    settings.RMS_BULK_JOB_ROWS = 3


def bulk(client, capture, execute=True, **data):
    with capture(execute=execute):
        response = client.post("/applicants/bulk/", data)
    return response


def selected(*applications) -> list[str]:
    return [f"{a.pk}:{a.stage}" for a in applications]


def moved_ids(actor) -> list[int]:
    moves = Activity.objects.filter(kind=Activity.Kind.STAGE_CHANGED, actor=actor)
    return sorted(moves.values_list("application_id", flat=True))


def test_all_matching_over_the_threshold_becomes_a_job_the_page_follows(
    recruiter_client, recruiter, threshold, django_capture_on_commit_callbacks
):
    matching = ApplicationFactory.create_batch(4, stage=Stage.VERIFICATION)
    other = ApplicationFactory(stage=Stage.DECISION)

    response = bulk(
        recruiter_client,
        django_capture_on_commit_callbacks,
        action="move",
        stage="interview",
        all_matching="on",
        query="stage=verification",
    )

    job = BulkJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/bulk-jobs/{job.pk}/"
    assert (job.expected_stage, job.query) == ("verification", "stage=verification")
    page = recruiter_client.get(f"/bulk-jobs/{job.pk}/").content.decode()
    assert "Move to a stage: 4 applications" in page
    assert "done 4, refused 0 of 4" in page
    assert "hx-trigger" not in page  # finished: the page stops polling
    assert moved_ids(recruiter) == sorted(a.pk for a in matching)
    other.refresh_from_db()
    assert other.stage == Stage.DECISION


def test_up_to_the_threshold_the_action_stays_immediate(
    recruiter_client, threshold, django_capture_on_commit_callbacks
):
    three = ApplicationFactory.create_batch(3, stage=Stage.VERIFICATION)

    response = bulk(
        recruiter_client,
        django_capture_on_commit_callbacks,
        action="move",
        stage="interview",
        selected=selected(*three),
    )

    assert response["Location"].startswith("/applicants/?")
    assert not BulkJob.objects.exists()
    assert set(Application.objects.values_list("stage", flat=True)) == {Stage.INTERVIEW}


def test_a_job_of_ticked_rows_lists_the_refusals_with_reasons(
    recruiter_client, threshold, django_capture_on_commit_callbacks
):
    rows = ApplicationFactory.create_batch(4, stage=Stage.VERIFICATION)
    with django_capture_on_commit_callbacks() as callbacks:
        recruiter_client.post(
            "/applicants/bulk/",
            {"action": "move", "stage": "interview", "selected": selected(*rows)},
        )
    # Someone moves one between the request and the worker.
    Application.objects.filter(pk=rows[2].pk).update(stage=Stage.DECISION)
    for callback in callbacks:
        callback()

    job = BulkJob.objects.get()
    progress = recruiter_client.get(f"/bulk-jobs/{job.pk}/progress/").content.decode()
    assert "done 3, refused 1 of 4" in progress
    assert f"({rows[2].pk}): Someone moved this application to Decision meanwhile" in progress


def test_a_large_job_with_a_missing_parameter_is_refused_in_the_request(
    recruiter_client, threshold, django_capture_on_commit_callbacks
):
    rows = ApplicationFactory.create_batch(4)

    response = bulk(
        recruiter_client,
        django_capture_on_commit_callbacks,
        action="tag_add",
        tag=" ",
        selected=selected(*rows),
    )

    assert response.status_code == 302
    assert not BulkJob.objects.exists()
    page = recruiter_client.get(response["Location"]).content.decode()
    assert "Name a tag." in page


def job_of(recruiter, applications, **options) -> BulkJob:
    return BulkJob.objects.create(
        owner=recruiter,
        action=BulkAction.MOVE,
        stage=Stage.CONFIRMATION,
        selected={str(a.pk): a.stage for a in applications},
        total=len(applications),
        **options,
    )


def dying_inside_the_second_chunk(monkeypatch):
    """applications_bulk_apply as a worker killed after the first application of its
    second chunk: that one is done, nothing of it is counted."""
    apply = bulk_jobs.applications_bulk_apply
    calls = []

    def dies(*, selection, **options):
        calls.append(1)
        if len(calls) == 2:
            first = min(selection.expected)
            apply(selection=BulkSelection(expected={first: selection.expected[first]}), **options)
            raise ConnectionError("worker lost")
        return apply(selection=selection, **options)

    monkeypatch.setattr(bulk_jobs, "applications_bulk_apply", dies)
    return apply


@pytest.mark.parametrize("tab", [False, True], ids=["ticked", "all-matching-a-tab"])
def test_a_job_cut_short_resumes_and_acts_once_on_each(recruiter, monkeypatch, tab):
    monkeypatch.setattr(bulk_jobs, "BULK_JOB_CHUNK", 2)
    rows = ApplicationFactory.create_batch(5, stage=Stage.APPLICATION)
    if tab:
        # The moved ones leave the tab: the run after the crash no longer lists them.
        job = BulkJob.objects.create(
            owner=recruiter, action=BulkAction.MOVE, stage=Stage.CONFIRMATION, total=5,
            query="stage=application", expected_stage=Stage.APPLICATION,
        )  # fmt: skip
    else:
        job = job_of(recruiter, rows)
    apply = dying_inside_the_second_chunk(monkeypatch)
    with pytest.raises(ConnectionError):
        services.bulk_job_run(job_pk=job.pk)
    job.refresh_from_db()
    assert (job.status, job.done, job.last_id) == (BulkJob.Status.RUNNING, 2, rows[1].pk)
    assert job.in_flight == [rows[2].pk, rows[3].pk]

    monkeypatch.setattr(bulk_jobs, "applications_bulk_apply", apply)
    services.bulk_job_run(job_pk=job.pk)
    services.bulk_job_run(job_pk=job.pk)  # a duplicate delivery of the finished task

    job.refresh_from_db()
    assert (job.status, job.done, job.refused, job.total) == (BulkJob.Status.DONE, 5, 0, 5)
    assert moved_ids(recruiter) == sorted(a.pk for a in rows)


def test_a_resumed_email_job_does_not_mail_twice(recruiter, monkeypatch):
    monkeypatch.setattr(bulk_jobs, "BULK_JOB_CHUNK", 2)
    StageEmailTemplate.objects.create(stage=Stage.INTERVIEW, subject="Hi", body="x")
    rows = ApplicationFactory.create_batch(3, stage=Stage.INTERVIEW)
    job = BulkJob.objects.create(
        owner=recruiter,
        action=BulkAction.EMAIL,
        selected={str(a.pk): a.stage for a in rows},
        total=3,
    )
    apply = dying_inside_the_second_chunk(monkeypatch)
    with pytest.raises(ConnectionError):
        services.bulk_job_run(job_pk=job.pk)
    monkeypatch.setattr(bulk_jobs, "applications_bulk_apply", apply)
    services.bulk_job_run(job_pk=job.pk)

    job.refresh_from_db()
    assert (job.done, job.refused) == (3, 0)
    mailed = OutgoingEmail.objects.values_list("application_id", flat=True)
    assert sorted(mailed) == sorted(a.pk for a in rows)


def test_a_job_that_keeps_failing_is_marked_failed_after_the_retries(
    recruiter, recruiter_client, monkeypatch
):
    job = job_of(recruiter, ApplicationFactory.create_batch(2))

    def broken(**kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(services, "bulk_job_run", broken)
    tasks.bulk_job_run.apply(args=[job.pk])

    job.refresh_from_db()
    assert job.status == BulkJob.Status.FAILED
    assert "database gone" in job.error
    page = recruiter_client.get(f"/bulk-jobs/{job.pk}/").content.decode()
    assert "The bulk action stopped" in page
    assert "hx-trigger" not in page


def test_only_the_owner_and_admins_see_a_job(client, recruiter, admin_user):
    job = job_of(recruiter, [])
    colleague = UserFactory(username="rob")
    colleague.groups.add(role("recruiters"))

    client.force_login(colleague)
    assert client.get(f"/bulk-jobs/{job.pk}/").status_code == 403
    assert client.get(f"/bulk-jobs/{job.pk}/progress/").status_code == 403
    client.force_login(admin_user)
    assert client.get(f"/bulk-jobs/{job.pk}/progress/").status_code == 200


def job_queries(recruiter, monkeypatch, count: int) -> int:
    monkeypatch.setattr(bulk_jobs, "BULK_JOB_CHUNK", 3)
    applications = ApplicationFactory.create_batch(count, stage=Stage.APPLICATION)
    for application in applications:
        # Made as application_create makes them: the move ends a stay begun here.
        ActivityFactory(
            applicant=application.applicant,
            application=application,
            kind=Activity.Kind.APPLICATION_CREATED,
        )
    job = job_of(recruiter, applications)
    with CaptureQueriesContext(connection) as queries:
        services.bulk_job_run(job_pk=job.pk)
    job.refresh_from_db()
    assert job.done == count
    return len(queries)


def test_a_bulk_job_costs_the_bulk_action_s_queries_per_application(recruiter, monkeypatch):
    # Once: the job with its owner and closing reason, marked running, the owner's role,
    # the owner's visible applications among the ticked ones, the finished job read back
    # and saved (6). Per chunk of 3: the applications fetched, the progress saved (2). Per
    # application, as in test_bulk.py: savepoint, row lock, applicant, stage saved, the
    # report's summary (4), Activity, applicant's latest activity, release (11).
    assert job_queries(recruiter, monkeypatch, 3) == 6 + 1 * 2 + 3 * 11
    assert job_queries(recruiter, monkeypatch, 6) == 6 + 2 * 2 + 6 * 11


def test_the_job_s_actions_are_the_bulk_actions():
    assert set(BulkJob.Action.values) == {action.value for action in BulkAction}


def test_a_job_asked_for_while_the_broker_is_down_says_so_and_moves_nothing(
    recruiter_client, recruiter, threshold, broker_down, django_capture_on_commit_callbacks
):
    ApplicationFactory.create_batch(4, stage=Stage.VERIFICATION)

    response = bulk(
        recruiter_client,
        django_capture_on_commit_callbacks,
        action="move",
        stage="interview",
        all_matching="on",
        query="stage=verification",
    )

    job = BulkJob.objects.get()
    assert response["Location"] == f"/bulk-jobs/{job.pk}/"
    page = recruiter_client.get(f"/bulk-jobs/{job.pk}/").content.decode()
    assert "The queue is unreachable" in page
    assert "hx-trigger" not in page  # failed: the page stops waiting
    assert moved_ids(recruiter) == []
