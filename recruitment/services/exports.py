"""Large exports of the applicant list as jobs: asked for in a request, written by a worker."""

import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from functools import partial
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files import File
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.http import QueryDict
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError

from recruitment.exports import export_filename, export_row_stream, export_write
from recruitment.filters import ApplicationFilterSet
from recruitment.jobs import ExportJob
from recruitment.roles import visible_applications
from recruitment.services.base import QUEUE_DOWN, ServiceError


def export_rows(*, user: AbstractBaseUser, query: str):
    """The rows the list shows this user for this query string (the page's filters)."""
    filterset = ApplicationFilterSet(
        QueryDict(query), queryset=visible_applications(user), request=None
    )
    return filterset.qs


@transaction.atomic
def export_job_create(*, owner: AbstractBaseUser, query: str, fmt: str, total: int) -> ExportJob:
    if fmt not in ExportJob.Format.values:
        raise ServiceError(_("Unknown export format."), field="fmt")
    job = ExportJob.objects.create(owner=owner, query=query, fmt=fmt, total=total)
    transaction.on_commit(partial(_dispatch, job.pk))
    return job


def _dispatch(job_pk: int) -> None:
    from recruitment.tasks import export_job_run as task

    try:
        task.delay(job_pk)
    except OperationalError as error:
        # Nothing was done yet: the job page says so at once rather than wait forever.
        export_job_fail(job_pk=job_pk, error=str(QUEUE_DOWN) % {"error": error})


def export_job_run(*, job_pk: int) -> ExportJob:
    """Write the job's file into private storage, telling its progress as it goes."""
    job = ExportJob.objects.select_related("owner__language_choice").get(pk=job_pk)
    # RUNNING too: a worker that died mid-file left it so, and the task came back.
    if job.status not in (ExportJob.Status.PENDING, ExportJob.Status.RUNNING):
        return job
    job.status = ExportJob.Status.RUNNING
    job.save(update_fields=["status"])
    rows = export_row_stream(export_rows(user=job.owner, query=job.query))
    # The worker has no request: the headers go in the language its owner works in.
    choice = getattr(job.owner, "language_choice", None)
    language = choice.language if choice else settings.LANGUAGE_CODE
    with (
        _progress_writer(job.pk) as progress,
        tempfile.TemporaryDirectory() as directory,
        translation.override(language),
    ):
        path = Path(directory) / export_filename(job.fmt)
        written = export_write(rows=rows, fmt=job.fmt, path=path, progress=progress)
        with path.open("rb") as handle:
            job.file.save(f"{job.pk}-{path.name}", File(handle), save=False)
    job.status = ExportJob.Status.DONE
    job.done = job.total = written
    job.finished_at = timezone.now()
    job.expires_at = job.finished_at + timedelta(hours=settings.RMS_EXPORT_KEEP_HOURS)
    job.save(update_fields=["status", "done", "total", "file", "finished_at", "expires_at"])
    return job


@contextmanager
def _progress_writer(job_pk: int) -> Iterator[Callable[[int], None]]:
    """`progress(done)` committing the job's progress at once, for its page to poll.

    On PostgreSQL the rows are read inside a transaction (export_row_stream says why);
    an update through that connection would stay invisible until the end, so progress
    goes through a second connection of its own, in autocommit.
    """
    if connection.vendor != "postgresql":
        yield lambda done: ExportJob.objects.filter(pk=job_pk).update(done=done)
        return
    side = connections.create_connection(DEFAULT_DB_ALIAS)
    table = side.ops.quote_name(ExportJob._meta.db_table)
    sql = f"UPDATE {table} SET done = %s WHERE id = %s"  # noqa: S608 - the model's own table

    def progress(done: int) -> None:
        with side.cursor() as cursor:
            cursor.execute(sql, [done, job_pk])

    try:
        yield progress
    finally:
        side.close()


def export_job_fail(*, job_pk: int, error: str) -> None:
    ExportJob.objects.filter(pk=job_pk).update(
        status=ExportJob.Status.FAILED, error=error, finished_at=timezone.now()
    )


def export_jobs_expire() -> int:
    """Delete the files of exports past their expiry; how many."""
    expired = ExportJob.objects.filter(status=ExportJob.Status.DONE, expires_at__lt=timezone.now())
    count = 0
    for job in expired:
        job.file.delete(save=False)
        job.status = ExportJob.Status.EXPIRED
        job.save(update_fields=["file", "status"])
        count += 1
    return count
