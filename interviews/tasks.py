"""Queue doors onto the interviews services (see recruitment/tasks.py for the rules)."""

from celery import shared_task

from interviews import services


@shared_task
def interview_reminders_send() -> int:
    # Each interview is marked reminded with its mails queued: a rerun sends nothing twice.
    return services.interview_reminders_send()
