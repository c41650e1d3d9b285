"""The queue's rows in the admin, to look at (the outbox and export jobs), and the
schedules' crontab and periodic task pages made safe for bad input."""

from celery.schedules import ParseException
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_celery_beat import admin as celery_beat_admin
from django_celery_beat.admin import CrontabScheduleAdmin
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from recruitment.models import ExportJob, OutgoingEmail


class ReadOnly:
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["to", "subject", "status", "tries", "created_at", "sent_at"]
    list_filter = ["status"]
    search_fields = ["to", "subject", "message_id"]
    list_select_related = True
    raw_id_fields = ["applicant", "application", "actor"]


@admin.register(ExportJob)
class ExportJobAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["pk", "owner", "fmt", "status", "done", "total", "created_at", "expires_at"]
    list_filter = ["status", "fmt"]
    list_select_related = ["owner"]


class CrontabAdmin(CrontabScheduleAdmin):
    """django-celery-beat's crontab page, whose schedule in words is worked out again when
    a form with errors is shown: from a value its own validators refused ("-1"), the
    parser raised instead of the page showing the field's error."""

    fields = [
        "in_words",
        *[name for name in CrontabScheduleAdmin.fields if name != "human_readable"],
    ]
    readonly_fields = ["in_words"]
    list_display = ["__str__", "in_words"]

    @admin.display(description=_("in words"))
    def in_words(self, schedule) -> str:
        try:
            return schedule.human_readable
        except (ValueError, KeyError, ParseException):
            return "—"


admin.site.unregister(CrontabSchedule)
admin.site.register(CrontabSchedule, CrontabAdmin)


class PeriodicTaskForm(celery_beat_admin.PeriodicTaskForm):
    def clean(self):
        # The form's own check reads the task's cleaned value, which a task name the
        # field refused (too long, a NUL character) does not have: a KeyError. That
        # field's own error is the answer.
        if "task" in self.errors:
            return self.cleaned_data
        return super().clean()


class PeriodicTaskAdmin(celery_beat_admin.PeriodicTaskAdmin):
    form = PeriodicTaskForm


admin.site.unregister(PeriodicTask)
admin.site.register(PeriodicTask, PeriodicTaskAdmin)
