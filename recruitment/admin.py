"""The Django admin: a back office for every recruitment model.

Application state (stage, closing) changes only through the services, as actions, so
the timeline records every change; the timeline itself is read-only here.
"""

from functools import partial

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.authtoken.models import TokenProxy
from social_django.models import UserSocialAuth

from recruitment import services
from recruitment.admin_choices import IdChoicesAdmin
from recruitment.admin_users import (
    ApiTokenAdmin,
    SocialAccountAdmin,
    StaffGroupAdmin,
    StaffUserAdmin,
)
from recruitment.forms import cv_upload_clean
from recruitment.models import (
    Activity,
    ApiToken,
    Applicant,
    Application,
    City,
    CloseReason,
    ClosingReason,
    Source,
    Stage,
    StageEmailTemplate,
    Tag,
    Vacancy,
)
from recruitment.richtext import sanitize_html
from recruitment.services import ServiceError


@admin.register(City, Source, Tag)
class NamedLookupAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Vacancy)
class VacancyAdmin(IdChoicesAdmin):
    list_display = ["title", "city_names", "is_open", "open_applications", "created_at"]
    list_filter = ["is_open", "cities", "created_at"]
    search_fields = ["title", "title_pl"]
    autocomplete_fields = ["cities"]
    filter_horizontal = ["interviewers", "recruiters"]
    readonly_fields = ["created_at"]
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        open_ = Q(applications__closed_at__isnull=True)
        return (
            super()
            .get_queryset(request)
            .prefetch_related("cities")
            .annotate(open_application_count=Count("applications", filter=open_))
        )

    @admin.display(description=gettext_lazy("cities"))
    def city_names(self, vacancy: Vacancy) -> str:
        return ", ".join(city.name for city in vacancy.cities.all())

    @admin.display(description=gettext_lazy("open applications"), ordering="open_application_count")
    def open_applications(self, vacancy: Vacancy) -> int:
        return vacancy.open_application_count

    def save_model(self, request, obj, form, change):
        obj.description = sanitize_html(obj.description)
        obj.description_pl = sanitize_html(obj.description_pl)
        super().save_model(request, obj, form, change)


class ActivityReadOnly:
    """The timeline is written by the services only, and its rows are never rewritten."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("vacancy"))
    def vacancy(self, activity: Activity) -> Vacancy | None:
        if activity.application is None:
            return None
        return activity.application.vacancy


class ActivityInline(ActivityReadOnly, admin.TabularInline):
    model = Activity
    fields = [
        "created_at", "kind", "vacancy", "from_stage", "to_stage", "criterion", "rating", "body",
        "actor",
    ]  # fmt: skip
    readonly_fields = fields
    ordering = ["-created_at", "-id"]
    extra = 0

    def get_queryset(self, request):
        # Each row is titled str(activity), which names the applicant.
        related = ["applicant", "actor", "application__vacancy"]
        return super().get_queryset(request).select_related(*related)


class ApplicantAdminForm(forms.ModelForm):
    # A plain file input: the default one links to the file's storage URL, which is not
    # served (CVs are private), and offers a "clear" that no service performs.
    cv = forms.FileField(
        label=gettext_lazy("New CV"),
        required=False,
        help_text=gettext_lazy("PDF, DOC, DOCX or ODT, at most 10 MB; replaces the current one."),
        widget=forms.FileInput,
    )

    linkedin_url = forms.URLField(
        label=gettext_lazy("LinkedIn profile"), required=False, assume_scheme="https"
    )

    class Meta:
        model = Applicant
        fields = [
            "first_name", "last_name", "email", "phone", "city", "birth_year",
            "experience_years", "current_work", "source", "tags", "linkedin_url",
        ]  # fmt: skip

    def clean_cv(self):
        return cv_upload_clean(self.cleaned_data.get("cv"))


@admin.register(Applicant)
class ApplicantAdmin(IdChoicesAdmin):
    form = ApplicantAdminForm
    list_display = [
        "full_name",
        "email",
        "phone",
        "city",
        "source",
        "age",
        "experience_years",
        "created_at",
        "latest_activity_at",
    ]
    list_filter = ["city", "source", "tags", "created_at", "latest_activity_at"]
    list_select_related = ["city", "source"]
    search_fields = ["first_name", "last_name", "email", "phone"]
    search_help_text = gettext_lazy("Name, e-mail or phone number.")
    autocomplete_fields = ["city", "source", "tags"]
    # The services keep these: one is when the record was made, the other follows
    # the timeline.
    readonly_fields = [
        "current_cv", "created_at", "latest_activity_at", "notes_count", "merged_into",
    ]  # fmt: skip
    date_hierarchy = "created_at"
    inlines = [ActivityInline]
    actions = ["merge_applicants"]
    # Django 6 assumes https for scheme-less URLs; LinkedIn is https, so opt in now.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    @admin.display(description=gettext_lazy("name"), ordering=("last_name", "first_name"))
    def full_name(self, applicant: Applicant) -> str:
        return applicant.full_name

    @admin.display(description=gettext_lazy("CV"))
    def current_cv(self, applicant: Applicant) -> str:
        # The checked download view, never the storage URL: CVs are not served as files.
        if not applicant.cv:
            return "—"
        url = reverse("applicant_cv", args=[applicant.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download"))

    def save_model(self, request, obj, form, change):
        """Through the services, so an admin's change is on the timeline like anyone's."""
        fields = {name: form.cleaned_data[name] for name in services.APPLICANT_FIELDS}
        if change:
            # The form has written into `obj`; the service compares with the stored row.
            # Locked first: the tags follow in save_related, and their count trigger
            # (migration 0032) would otherwise wait, holding this row, for a move of the
            # applicant's application that waits for this row: a deadlock.
            stored = Applicant.objects.select_for_update().get(pk=obj.pk)
            services.applicant_update(
                applicant=stored, actor=request.user, cv=form.cleaned_data["cv"], **fields
            )
        else:
            created = services.applicant_create(
                actor=request.user, cv=form.cleaned_data["cv"], **fields
            )
            obj.pk = created.pk

    def save_related(self, request, form, formsets, change):
        # Tags through the service too (the change is recorded); the inline is read-only.
        names = [tag.name for tag in form.cleaned_data["tags"]]
        applicant = Applicant.objects.get(pk=form.instance.pk)
        services.applicant_tags_set(applicant=applicant, names=names, actor=request.user)
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ServiceError as error:
            # The form checked the rules, but a concurrent save can still win the race.
            self.message_user(request, error.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    @admin.action(description=gettext_lazy("Merge the two selected applicants (the older stays)"))
    def merge_applicants(self, request, queryset):
        if queryset.count() != 2:
            self.message_user(request, _("Select exactly two applicants."), messages.ERROR)
            return
        keep, merge = queryset.order_by("created_at", "pk")
        try:
            services.applicant_merge(keep=keep, merge=merge, actor=request.user)
        except (ServiceError, PermissionError) as error:
            self.message_user(request, str(error), messages.ERROR)
            return
        self.message_user(
            request, _("%(merge)s merged into %(keep)s.") % {"merge": merge, "keep": keep}
        )

    @admin.display(description=gettext_lazy("age"), ordering="-birth_year")
    def age(self, applicant: Applicant) -> int | None:
        return applicant.age


class ApplicationForm(forms.ModelForm):
    """The add form; it refuses what services.application_create would refuse."""

    class Meta:
        model = Application
        fields = ["applicant", "vacancy", "stage"]

    def clean_vacancy(self):
        vacancy = self.cleaned_data["vacancy"]
        if not vacancy.is_open:
            raise ValidationError(_("This vacancy is closed."))
        return vacancy

    def validate_unique(self):
        super().validate_unique()
        # Django skips the "one open application per vacancy" constraint because its
        # condition names closed_at, which the form lacks; a new application is open,
        # so check the constraints in full.
        try:
            self.instance.validate_constraints()
        except ValidationError as error:
            self.add_error(None, error)


class OpenFilter(admin.SimpleListFilter):
    title = gettext_lazy("open")
    parameter_name = "open"

    def lookups(self, request, model_admin):
        return [("yes", _("Open")), ("no", _("Closed"))]

    def queryset(self, request, queryset):
        if self.value() not in ("yes", "no"):
            return queryset
        return queryset.filter(closed_at__isnull=self.value() == "yes")


def _move_to_next_stage(*, application: Application, actor) -> Application:
    next_stage = Stage.after(application.stage)
    if next_stage is None:
        raise ServiceError(_("It is at the last stage already."))
    return services.application_move_to_stage(
        application=application, stage=next_stage, actor=actor, expected_stage=application.stage
    )


@admin.register(Application)
class ApplicationAdmin(IdChoicesAdmin):
    form = ApplicationForm
    add_fields = ["applicant", "vacancy", "stage"]
    fields = [
        *add_fields,
        "created_at",
        "stage_changed_at",
        "closed_at",
        "close_reason",
        "closing_reason",
        "close_note",
    ]
    list_display = ["applicant", "vacancy", "status", "created_at", "stage_changed_at"]
    list_filter = [
        "stage",
        OpenFilter,
        "close_reason",
        "closing_reason",
        "vacancy__is_open",
        "vacancy",
        "applicant__city",
        "applicant__source",
        "created_at",
        "stage_changed_at",
    ]
    list_select_related = ["applicant", "vacancy"]
    search_fields = [
        "applicant__first_name",
        "applicant__last_name",
        "applicant__email",
        "applicant__phone",
        "vacancy__title",
    ]
    search_help_text = gettext_lazy("Applicant's name, e-mail or phone number; vacancy title.")
    autocomplete_fields = ["applicant", "vacancy"]
    date_hierarchy = "created_at"
    actions = ["move_to_next_stage", "close_as_rejected", "close_as_withdrawn"]

    def get_fields(self, request, obj=None):
        return self.add_fields if obj is None else self.fields

    def has_change_permission(self, request, obj=None):
        # A saved application is view-only: its state changes through the actions,
        # which call the services. Without an object this permission gates the actions.
        return obj is None and super().has_change_permission(request)

    @admin.display(description=gettext_lazy("status"), ordering="stage")
    def status(self, application: Application) -> str:
        return application.status_label

    def save_model(self, request, obj, form, change):
        # Only additions get here (see has_change_permission); the service records the
        # application on the applicant's timeline.
        created = services.application_create(
            applicant=obj.applicant, vacancy=obj.vacancy, stage=obj.stage, actor=request.user
        )
        obj.pk = created.pk

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ServiceError as error:
            # The form checked the rules, but a concurrent save can still win the race.
            self.message_user(request, error.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    @admin.action(description=gettext_lazy("Move to the next stage"), permissions=["change"])
    def move_to_next_stage(self, request, queryset):
        self._change_each(
            request, queryset, _move_to_next_stage, _("Moved to the next stage: %(count)d.")
        )

    @admin.action(description=gettext_lazy("Close as rejected"), permissions=["change"])
    def close_as_rejected(self, request, queryset):
        close = partial(services.application_close, reason=CloseReason.REJECTED)
        self._change_each(request, queryset, close, _("Closed as rejected: %(count)d."))

    @admin.action(description=gettext_lazy("Close as withdrawn"), permissions=["change"])
    def close_as_withdrawn(self, request, queryset):
        close = partial(services.application_close, reason=CloseReason.WITHDRAWN)
        self._change_each(request, queryset, close, _("Closed as withdrawn: %(count)d."))

    def _change_each(self, request, queryset, change, done_message: str) -> None:
        """Apply `change` to each selected application; a refusal does not stop the rest."""
        done = 0
        for application in queryset.select_related("applicant", "vacancy"):
            try:
                change(application=application, actor=request.user)
            except ServiceError as error:
                self.message_user(request, f"{application}: {error.message}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, done_message % {"count": done}, messages.SUCCESS)


@admin.register(Activity)
class ActivityAdmin(ActivityReadOnly, admin.ModelAdmin):
    list_display = [
        "created_at",
        "kind",
        "applicant",
        "vacancy",
        "from_stage",
        "to_stage",
        "criterion",
        "rating",
        "actor",
    ]
    list_filter = ["kind", "criterion", "created_at"]
    list_select_related = ["applicant", "application__vacancy", "actor"]
    search_fields = ["applicant__first_name", "applicant__last_name", "applicant__email", "body"]
    date_hierarchy = "created_at"


@admin.register(ClosingReason)
class ClosingReasonAdmin(admin.ModelAdmin):
    list_display = ["name", "name_pl", "group", "position", "is_active"]
    list_editable = ["position", "is_active"]
    list_filter = ["group", "is_active"]
    search_fields = ["name", "name_pl"]


@admin.register(StageEmailTemplate)
class StageEmailTemplateAdmin(admin.ModelAdmin):
    list_display = ["stage", "language", "subject", "is_active"]
    list_filter = ["language", "is_active"]
    search_fields = ["subject", "body"]


admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), StaffUserAdmin)
admin.site.unregister(Group)
admin.site.register(Group, StaffGroupAdmin)
admin.site.unregister(UserSocialAuth)
admin.site.register(UserSocialAuth, SocialAccountAdmin)
# DRF's token pages show keys in clear; RMS keeps only hashes (recruitment.ApiToken).
admin.site.unregister(TokenProxy)
admin.site.register(ApiToken, ApiTokenAdmin)
# The queue's models have their own module; importing it here registers them.
from recruitment import queue_admin  # noqa: E402, F401
