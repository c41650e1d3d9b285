"""Queue doors onto the privacy services (beat runs retention_run nightly)."""

from dataclasses import asdict

from celery import shared_task

from privacy import services


@shared_task(acks_late=True)
def retention_run() -> dict:
    # Safe to run twice: a reminder is sent once per expiry, an anonymised person is
    # no longer due.
    return asdict(services.retention_run())
