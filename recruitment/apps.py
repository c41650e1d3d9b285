import logging

from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger("rms.queue")


class RecruitmentConfig(AppConfig):
    name = "recruitment"
    verbose_name = _("Recruitment")

    def ready(self) -> None:
        if settings.CELERY_TASK_ALWAYS_EAGER:
            logger.info(
                "No CELERY_BROKER_URL: background tasks run in this process after each commit"
            )
