"""Admins edit the kinds of interview (and their candidate mail); interviews and
scorecards are read here and changed only through the pages, whose services record
every change in the timeline and send the calendar updates."""

from django.contrib import admin

from interviews.models import Interview, InterviewKind, Scorecard, ScorecardAmendment


@admin.register(InterviewKind)
class InterviewKindAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "duration_minutes", "is_active", "subject"]
    list_editable = ["position", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "subject", "body"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Interview)
class InterviewAdmin(ReadOnlyAdmin):
    list_display = ["application", "kind", "starts_at", "time_zone", "status", "sequence"]
    list_filter = ["status", "kind"]
    list_select_related = ["kind", "application__applicant", "application__vacancy"]
    date_hierarchy = "starts_at"
    search_fields = ["application__applicant__last_name", "application__vacancy__title"]


class AmendmentInline(admin.TabularInline):
    model = ScorecardAmendment
    extra = 0
    can_delete = False
    readonly_fields = ["author", "body", "created_at"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Scorecard)
class ScorecardAdmin(ReadOnlyAdmin):
    list_display = ["interview", "interviewer", "recommendation", "submitted_at"]
    list_select_related = ["interviewer", "interview__kind", "interview__application__applicant"]
    inlines = [AmendmentInline]
