"""Queue doors onto the services: each task takes ids, calls one service, and is safe to
run twice. `bin/celery -A rms worker` runs them; with no broker they run in-process."""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from recruitment import services
from recruitment.models import Applicant

logger = logging.getLogger(__name__)

# An unexpected error (database gone, a bug) is retried this often before the work is
# marked failed; SMTP refusals are counted by the outbox instead.
UNEXPECTED_RETRIES = 3


@shared_task(bind=True, acks_late=True, max_retries=None)
def email_deliver(self, email_pk: int) -> None:
    try:
        wait = services.email_deliver(email_pk=email_pk)
    except Exception as error:
        if self.request.retries < UNEXPECTED_RETRIES:
            raise self.retry(exc=error, countdown=2**self.request.retries) from error
        services.email_fail(email_pk=email_pk, error=repr(error), tries=self.request.retries + 1)
        raise
    if wait is not None:
        raise self.retry(countdown=wait)


# A 100,000-row XLSX takes about two minutes on a loaded worker; the soft limit is the
# task's own, or the global one (CELERY_TASK_SOFT_TIME_LIMIT) would stop it first.
EXPORT_JOB_TIME_LIMIT = settings.CELERY_TASK_TIME_LIMIT * 4


@shared_task(
    bind=True,
    acks_late=True,
    time_limit=EXPORT_JOB_TIME_LIMIT,
    soft_time_limit=EXPORT_JOB_TIME_LIMIT - 30,
)
def export_job_run(self, job_pk: int) -> None:
    try:
        services.export_job_run(job_pk=job_pk)
    except Exception as error:
        services.export_job_fail(job_pk=job_pk, error=repr(error))
        raise


# Ten thousand moves take a minute or two; the soft limit lets a retry resume the rest.
BULK_JOB_TIME_LIMIT = settings.CELERY_TASK_TIME_LIMIT * 4


@shared_task(
    bind=True,
    acks_late=True,
    time_limit=BULK_JOB_TIME_LIMIT,
    soft_time_limit=BULK_JOB_TIME_LIMIT - 30,
)
def bulk_job_run(self, job_pk: int) -> None:
    # A retry resumes after the last chunk committed; the job fails after a few.
    try:
        services.bulk_job_run(job_pk=job_pk)
    except Exception as error:
        if self.request.retries < UNEXPECTED_RETRIES:
            raise self.retry(exc=error, countdown=2**self.request.retries) from error
        services.bulk_job_fail(job_pk=job_pk, error=repr(error))
        raise


# Reading a CV is seconds at most; one stuck on a malformed file must not hold a worker.
CV_TEXT_TIME_LIMIT = 120


@shared_task(
    bind=True,
    acks_late=True,
    time_limit=CV_TEXT_TIME_LIMIT,
    soft_time_limit=CV_TEXT_TIME_LIMIT - 10,
)
def applicant_cv_text_extract(self, applicant_id: int) -> None:
    # Reading the file again gives the same text: running twice is harmless.
    try:
        services.applicant_cv_text_extract(applicant_id=applicant_id)
    except Applicant.DoesNotExist:
        logger.info("Applicant %s is gone (merged, deleted): no CV to read.", applicant_id)
    except SoftTimeLimitExceeded:
        # The same file would take as long again: the applicant stays found by name only.
        logger.warning("The CV of applicant %s took too long to read.", applicant_id)
    except Exception as error:
        if self.request.retries < UNEXPECTED_RETRIES:
            raise self.retry(exc=error, countdown=2**self.request.retries) from error
        raise


@shared_task
def email_outbox_requeue() -> int:
    return services.email_outbox_requeue()


@shared_task
def export_jobs_expire() -> int:
    return services.export_jobs_expire()


@shared_task
def stale_digest_send() -> int:
    return services.stale_digest_send()


@shared_task
def recent_search_documents_trim() -> int:
    return services.recent_search_documents_trim()
