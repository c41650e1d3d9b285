"""Bulk actions too large for a request: asked for in it, run by a worker in chunks.

Each chunk goes through `applications_bulk_apply` (one service call and transaction per
application, as for a small bulk action); the job's progress and its `last_id` cursor are
committed after each chunk, so a task that runs again resumes where the last one stopped;
of the chunk it stopped inside, what left its Activity is counted done and not redone.
"""

from functools import partial

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from kombu.exceptions import OperationalError

from recruitment.jobs import BulkJob
from recruitment.models import Activity, Application, ClosingReason
from recruitment.roles import visible_applications
from recruitment.selectors import applications_matching
from recruitment.services.base import QUEUE_DOWN
from recruitment.services.bulk import BulkAction, BulkSelection, applications_bulk_apply

# Applications per progress update: the page moves every few seconds, and a chunk is
# what a killed worker may hand twice.
BULK_JOB_CHUNK = 50
# Refusals kept with their reasons for the page; the count has them all.
REFUSALS_KEPT = 50


@transaction.atomic
def bulk_job_create(
    *,
    owner: AbstractBaseUser,
    action: BulkAction,
    total: int,
    query: str = "",
    selected: dict[int, str] | None = None,
    expected_stage: str | None = None,
    stage: str = "",
    closing_reason: ClosingReason | None = None,
    tag: str = "",
) -> BulkJob:
    """The job for "all matching" `query`, or for the ticked rows in `selected`."""
    job = BulkJob.objects.create(
        owner=owner,
        action=action,
        total=total,
        query="" if selected else query,
        selected={str(pk): seen for pk, seen in (selected or {}).items()},
        expected_stage=expected_stage or "",
        stage=stage,
        closing_reason=closing_reason,
        tag=tag,
    )
    transaction.on_commit(partial(_dispatch, job.pk))
    return job


def _dispatch(job_pk: int) -> None:
    from recruitment.tasks import bulk_job_run as task

    try:
        task.delay(job_pk)
    except OperationalError as error:
        # Nothing was done yet: the job page says so at once rather than wait forever.
        bulk_job_fail(job_pk=job_pk, error=str(QUEUE_DOWN) % {"error": error})


def bulk_job_run(*, job_pk: int) -> BulkJob:
    job = BulkJob.objects.select_related("owner", "closing_reason").get(pk=job_pk)
    # RUNNING too: a worker that died mid-way left it so, and the task came back.
    if job.status not in (BulkJob.Status.PENDING, BulkJob.Status.RUNNING):
        return job
    expected = _remaining(job)
    if job.in_flight:
        _skip_handled(job, expected)
    ids = sorted(expected)
    chunks = [ids[start : start + BULK_JOB_CHUNK] for start in range(0, len(ids), BULK_JOB_CHUNK)]
    BulkJob.objects.filter(pk=job.pk).update(
        status=BulkJob.Status.RUNNING, in_flight=chunks[0] if chunks else []
    )
    for number, chunk in enumerate(chunks):
        result = applications_bulk_apply(
            selection=BulkSelection(expected={pk: expected[pk] for pk in chunk}),
            action=BulkAction(job.action),
            actor=job.owner,
            stage=job.stage,
            closing_reason=job.closing_reason,
            tag=job.tag,
        )
        following = chunks[number + 1] if number + 1 < len(chunks) else []
        _progress(job, chunk=chunk, following=following, result=result)
    job.refresh_from_db()
    job.status = BulkJob.Status.DONE
    job.total = job.done + job.refused
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "total", "finished_at"])
    return job


# What each action leaves on the timeline, in the same transaction as its change.
_TRACE = {
    BulkAction.MOVE: Activity.Kind.STAGE_CHANGED,
    BulkAction.CLOSE: Activity.Kind.APPLICATION_CLOSED,
    BulkAction.TAG_ADD: Activity.Kind.TAGS_CHANGED,
    BulkAction.TAG_REMOVE: Activity.Kind.TAGS_CHANGED,
    BulkAction.EMAIL: Activity.Kind.EMAIL_QUEUED,
}


def _skip_handled(job: BulkJob, expected: dict[int, str | None]) -> None:
    """Count as done, and leave out, what a stopped run did in its last chunk: done
    twice, a move would be refused as "moved meanwhile" and a stage e-mail sent again."""
    traces = Activity.objects.filter(
        actor=job.owner, created_at__gte=job.created_at, kind=_TRACE[BulkAction(job.action)]
    )
    if job.action in (BulkAction.TAG_ADD, BulkAction.TAG_REMOVE):
        # Tags are the applicant's: their Activity names no application.
        handled = Application.objects.filter(
            pk__in=job.in_flight, applicant__activities__in=traces
        ).values_list("pk", flat=True)
    else:
        handled = traces.filter(application_id__in=job.in_flight).values_list(
            "application_id", flat=True
        )
    handled = set(handled)
    for pk in handled:
        expected.pop(pk, None)
    BulkJob.objects.filter(pk=job.pk).update(done=F("done") + len(handled))


def _remaining(job: BulkJob) -> dict[int, str | None]:
    """The applications not handled yet, each with the stage expected of it."""
    if job.selected:
        chosen = {int(pk): seen for pk, seen in job.selected.items() if int(pk) > job.last_id}
        ids = visible_applications(job.owner).filter(pk__in=list(chosen))
        return {pk: chosen[pk] for pk in ids.values_list("pk", flat=True)}
    matching, _stage = applications_matching(
        applications=visible_applications(job.owner), query=job.query
    )
    ids = matching.filter(pk__gt=job.last_id).values_list("pk", flat=True)
    return dict.fromkeys(ids, job.expected_stage or None)


def _progress(job: BulkJob, *, chunk: list[int], following: list[int], result) -> None:
    room = REFUSALS_KEPT - len(job.refusals)
    if result.refused and room > 0:
        job.refusals += [
            f"{application.applicant} ({application.pk}): {reason}"
            for application, reason in result.refused[:room]
        ]
    BulkJob.objects.filter(pk=job.pk).update(
        done=F("done") + result.done,
        refused=F("refused") + len(result.refused),
        refusals=job.refusals,
        last_id=chunk[-1],
        in_flight=following,
    )


def bulk_job_fail(*, job_pk: int, error: str) -> None:
    BulkJob.objects.filter(pk=job_pk).update(
        status=BulkJob.Status.FAILED, error=error, finished_at=timezone.now()
    )
