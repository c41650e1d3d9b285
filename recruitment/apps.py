from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class RecruitmentConfig(AppConfig):
    name = "recruitment"
    verbose_name = _("Recruitment")

    def ready(self) -> None:
        from recruitment.collation import register_polish_text

        connection_created.connect(register_polish_text, dispatch_uid="rms_polish_text")
