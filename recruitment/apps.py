import logging

from django.apps import AppConfig
from django.conf import settings
from django.db.backends.signals import connection_created
from django.db.models.signals import post_delete, pre_delete
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger("rms.queue")


class RecruitmentConfig(AppConfig):
    name = "recruitment"
    verbose_name = _("Recruitment")

    def ready(self) -> None:
        from recruitment.cv import cv_file_delete_with_applicant

        post_delete.connect(
            cv_file_delete_with_applicant,
            sender=self.get_model("Applicant"),
            dispatch_uid="recruitment.cv_file_delete_with_applicant",
        )
        from recruitment.services.report_summary import report_summary_application_removed

        pre_delete.connect(
            report_summary_application_removed,
            sender=self.get_model("Application"),
            dispatch_uid="recruitment.report_summary_application_removed",
        )
        if settings.CELERY_TASK_ALWAYS_EAGER:
            logger.info(
                "No CELERY_BROKER_URL: background tasks run in this process after each commit"
            )
        from django.contrib.auth.signals import user_logged_in

        from recruitment.collation import register_polish_text
        from recruitment.languages import copy_choice_into_session

        user_logged_in.connect(copy_choice_into_session, dispatch_uid="rms_user_language")

        connection_created.connect(register_polish_text, dispatch_uid="rms_polish_text")
