"""The back office: retention rules are edited here; the rest is read-only history."""

from django.contrib import admin

from privacy.models import AccessLogEntry, LegalBasis, RetentionRule, SubjectRequest


@admin.register(RetentionRule)
class RetentionRuleAdmin(admin.ModelAdmin):
    list_display = ["case", "months", "is_active"]
    list_editable = ["months", "is_active"]
    fields = ["case", "months", "is_active"]

    def get_readonly_fields(self, request, obj=None):
        # The cases are the ones the nightly job knows: edited, never added or renamed.
        return ["case"] if obj is not None else []

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Written by the services only, so the audit trail stays what happened."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LegalBasis)
class LegalBasisAdmin(ReadOnlyAdmin):
    list_display = ["applicant", "basis", "purpose", "source", "given_at", "valid_until"]
    list_filter = ["basis", "purpose", "source"]
    list_select_related = ["applicant"]
    date_hierarchy = "given_at"


@admin.register(SubjectRequest)
class SubjectRequestAdmin(ReadOnlyAdmin):
    list_display = ["kind", "email", "status", "received_at", "due_at", "handled_by"]
    list_filter = ["status", "kind"]
    list_select_related = ["handled_by"]


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "user", "action", "applicant"]
    list_filter = ["action"]
    list_select_related = ["user", "applicant"]
    date_hierarchy = "at"
