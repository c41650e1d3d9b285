"""Queue doors onto the console's services: a deploy runs on a worker, not in a request."""

from celery import shared_task

from console import services

# A deploy builds, migrates and watches: far longer than the queue's usual limit.
ACTION_TIME_LIMIT = 3600


@shared_task(acks_late=True, time_limit=ACTION_TIME_LIMIT, soft_time_limit=ACTION_TIME_LIMIT - 60)
def action_run(action_pk: int) -> None:
    try:
        services.action_run(action_pk=action_pk)
    except Exception as error:
        # Not a refused step (those end the action as failed themselves) but a bug or a
        # lost database: the page must not show "running" for ever.
        services.action_fail(action_pk=action_pk, error=repr(error))
        raise


@shared_task
def deploy_logs_import() -> None:
    """Beat: fab's and Jenkins' actions into the history, for every instance."""
    services.deploy_logs_import_all()


@shared_task
def pr_instances_reap() -> None:
    """Beat, nightly: destroy PR instances idle for RMS_CONSOLE_PR_IDLE_DAYS."""
    services.pr_instances_reap()
