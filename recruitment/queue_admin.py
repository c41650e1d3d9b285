"""The queue's rows in the admin, to look at: the outbox and export jobs."""

from django.contrib import admin

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
