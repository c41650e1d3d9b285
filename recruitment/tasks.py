"""Queue doors onto the services: each task takes ids, calls one service, and is safe to
run twice. `bin/celery -A rms worker` runs them; with no broker they run in-process."""

import logging

from celery import shared_task
from django.conf import settings

from recruitment import services

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
        services.email_fail(email_pk=email_pk, error=repr(error))
        raise
    if wait is not None:
        raise self.retry(countdown=wait)


@shared_task(bind=True, acks_late=True, time_limit=settings.CELERY_TASK_TIME_LIMIT * 4)
def export_job_run(self, job_pk: int) -> None:
    try:
        services.export_job_run(job_pk=job_pk)
    except Exception as error:
        services.export_job_fail(job_pk=job_pk, error=repr(error))
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
