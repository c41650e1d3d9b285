"""The applicant page and what a recruiter does there: notes, stage moves, ratings, tags."""

from csp.constants import SELF
from csp.decorators import csp_replace
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from recruitment import services
from recruitment.closing_forms import ClosingForm, grouped_reasons
from recruitment.confirmation import with_confirmation
from recruitment.cv import cv_response
from recruitment.forms import (
    ApplicantForm,
    MoveForm,
    NewApplicationForm,
    NoteForm,
    RatingForm,
    TagsForm,
    duplicate_confirmation,
)
from recruitment.models import Activity, Applicant, Application, Stage, phone_key
from recruitment.roles import (
    any_role,
    managers_only,
    manages,
    may_change_note,
    restricted_applications,
    visible_applicants,
    visible_applications,
)
from recruitment.selectors import applicant_duplicates, applicant_ratings, applicant_timeline


def _applicant(request, pk: int) -> Applicant:
    """The applicant, if this user may see them (interviewers: assigned vacancies only)."""
    applicants = visible_applicants(request.user)
    return get_object_or_404(
        applicants.select_related("city", "source").prefetch_related("tags"), pk=pk
    )


def _page(request, applicant: Applicant, *, status: int = 200, **bound_forms):
    """The applicant page; a refused form comes back bound, with its errors."""
    scope = restricted_applications(request.user)
    applications = (
        applicant.applications.all() if scope is None else scope.filter(applicant=applicant)
    )
    applications = list(with_confirmation(applications).select_related("vacancy", "closing_reason"))
    failed = bound_forms.pop("failed_application", None)
    for application in applications:
        is_failed = failed is not None and application.pk == failed
        application.move_form = bound_forms.get("move") if is_failed else _move_form(application)
        application.close_form = bound_forms.get("close") if is_failed else ClosingForm()
        application.rating_form = bound_forms.get("rating") if is_failed else RatingForm()
        application.next_stage = Stage.after(application.stage)
        application.rateable = list(Stage).index(Stage(application.stage)) >= services.RATED_FROM
    timeline = list(applicant_timeline(applicant=applicant, applications=scope))
    for activity in timeline:
        activity.changeable = activity.kind == Activity.Kind.NOTE and may_change_note(
            request.user, activity
        )
    tag_names = ", ".join(tag.name for tag in applicant.tags.all())
    ratings = applicant_ratings(applicant=applicant, applications=scope)
    context = {
        "applicant": applicant,
        "applications": applications,
        "timeline": timeline,
        "ratings": ratings,
        "rating_rows": [(label, ratings[value]) for value, label in Activity.Criterion.choices],
        "criteria": Activity.Criterion.choices,
        # A restricted or anonymised record is read-only for everyone (privacy/).
        "manages": manages(request.user) and not applicant.is_frozen,
        "note_form": bound_forms.get("note") or NoteForm(),
        "new_application_form": NewApplicationForm(),
        "tags_form": bound_forms.get("tags") or TagsForm(initial={"tags": tag_names}),
        "closing_reasons": grouped_reasons(),
    }
    return render(request, "recruitment/applicant_detail.html", context, status=status)


def _move_form(application: Application) -> MoveForm:
    return MoveForm(initial={"expected_stage": application.stage})


def _refused(request, applicant, form, error: services.ServiceError, **extra):
    _apply_service_error(form, error)
    return _page(request, applicant, **extra)


@require_GET
@any_role
def applicant_detail(request, pk: int):
    applicant = _applicant(request, pk)
    if applicant.merged_into_id:
        messages.info(request, _("%(name)s was merged into this record.") % {"name": applicant})
        return redirect("applicant_detail", pk=applicant.merged_into_id)
    return _page(request, applicant)


@require_POST
@any_role
def note_create(request, pk: int):
    applicant = _applicant(request, pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _page(request, applicant, note=form)
    try:
        services.note_add(applicant=applicant, body=form.cleaned_data["body"], actor=request.user)
    except services.ServiceError as error:
        return _refused(request, applicant, form, error, note=form)
    messages.success(request, _("Note added."))
    return redirect("applicant_detail", pk=applicant.pk)


def _note(request, pk: int) -> Activity:
    note = get_object_or_404(
        Activity.objects.filter(applicant__in=visible_applicants(request.user)),
        pk=pk,
        kind=Activity.Kind.NOTE,
        deleted_at__isnull=True,
    )
    if not may_change_note(request.user, note):
        raise PermissionDenied
    return note


@require_POST
@any_role
def note_update(request, pk: int):
    note = _note(request, pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.note_edit(note=note, body=form.cleaned_data["body"], actor=request.user)
        except services.ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Note saved."))
    else:
        messages.error(request, _("A note cannot be empty."))
    return redirect("applicant_detail", pk=note.applicant_id)


@require_POST
@any_role
def note_remove(request, pk: int):
    note = _note(request, pk)
    services.note_delete(note=note, actor=request.user)
    messages.success(request, _("Note deleted."))
    return redirect("applicant_detail", pk=note.applicant_id)


STAGE_EMAIL_MESSAGES = {
    services.StageEmail.QUEUED: (
        messages.INFO,
        _lazy("The %(stage)s e-mail is on its way; the timeline shows when it was sent."),
    ),
    services.StageEmail.NO_TEMPLATE: (
        messages.WARNING,
        _lazy(
            "No e-mail sent: there is no active e-mail for %(stage)s "
            "(see Stage e-mails in the admin)."
        ),
    ),
}


def _application(request, pk: int) -> Application:
    applications = visible_applications(request.user)
    return get_object_or_404(applications.select_related("applicant"), pk=pk)


def _back_to(request) -> str | None:
    """Where a move made from another page (the vacancy board) returns to.

    Only a path on this site: anything else ("abc", "0", another host) is ignored and
    the move returns to the applicant page, as a move it made must not end in an error.
    """
    target = request.POST.get("next", "")
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed and target.startswith("/") else None


@require_POST
@managers_only
def application_move(request, pk: int):
    application = _application(request, pk)
    form = MoveForm(request.POST)
    back_to = _back_to(request)
    failed = {"move": form, "failed_application": application.pk}
    if not form.is_valid():
        if back_to:
            messages.error(request, _("Choose a stage to move to."))
            return HttpResponseRedirect(back_to)
        return _page(request, application.applicant, **failed)
    try:
        moved = services.application_move_to_stage(
            application=application,
            stage=form.cleaned_data["stage"],
            expected_stage=form.cleaned_data["expected_stage"],
            send_email=form.cleaned_data["send_email"],
            actor=request.user,
        )
    except services.ServiceError as error:
        if back_to:
            messages.error(request, f"{application.applicant}: {error.message}")
            return HttpResponseRedirect(back_to)
        return _refused(request, application.applicant, form, error, **failed)
    names = {"applicant": application.applicant, "stage": Stage(moved.stage).label}
    messages.success(request, _("%(applicant)s moved to %(stage)s.") % names)
    if moved.stage_email in STAGE_EMAIL_MESSAGES:
        level, text = STAGE_EMAIL_MESSAGES[moved.stage_email]
        messages.add_message(request, level, text % names)
    return HttpResponseRedirect(
        back_to or reverse("applicant_detail", args=[application.applicant_id])
    )


@require_POST
@managers_only
def application_close(request, pk: int):
    application = _application(request, pk)
    form = ClosingForm(request.POST)
    failed = {"close": form, "failed_application": application.pk}
    if not form.is_valid():
        return _page(request, application.applicant, **failed)
    if not form.cleaned_data["confirmed"]:
        context = {
            "application": application,
            "reason": form.cleaned_data["reason"],
            "note": form.cleaned_data["note"],
        }
        return render(request, "recruitment/application_close_confirm.html", context)
    try:
        services.application_close(
            application=application,
            closing_reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
            actor=request.user,
        )
    except services.ServiceError as error:
        return _refused(request, application.applicant, form, error, **failed)
    messages.success(request, _("Application closed."))
    return redirect("applicant_detail", pk=application.applicant_id)


@require_POST
@managers_only
def application_reopen(request, pk: int):
    application = _application(request, pk)
    try:
        reopened = services.application_reopen(application=application, actor=request.user)
    except services.ServiceError as error:
        messages.error(request, error.message)
    else:
        stage = {"stage": reopened.get_stage_display()}
        messages.success(request, _("Application reopened at %(stage)s.") % stage)
    return redirect("applicant_detail", pk=application.applicant_id)


@require_POST
@any_role
def rating_create(request, pk: int):
    application = _application(request, pk)
    form = RatingForm(request.POST)
    failed = {"rating": form, "failed_application": application.pk}
    if not form.is_valid():
        return _page(request, application.applicant, **failed)
    try:
        services.rating_add(application=application, actor=request.user, **form.cleaned_data)
    except services.ServiceError as error:
        return _refused(request, application.applicant, form, error, **failed)
    messages.success(request, _("Rating saved."))
    return redirect("applicant_detail", pk=application.applicant_id)


@require_POST
@managers_only
def tags_update(request, pk: int):
    applicant = _applicant(request, pk)
    form = TagsForm(request.POST)
    if not form.is_valid():
        return _page(request, applicant, tags=form)
    try:
        services.applicant_tags_set(
            applicant=applicant, names=form.cleaned_data["tags"], actor=request.user
        )
    except services.ServiceError as error:
        return _refused(request, applicant, form, error, tags=form)
    messages.success(request, _("Tags saved."))
    return redirect("applicant_detail", pk=applicant.pk)


def _applicant_fields(form: ApplicantForm) -> dict:
    return {name: form.cleaned_data[name] for name in ApplicantForm.Meta.fields}


def _apply_service_error(form, error) -> None:
    """A refusal from the services becomes an error on the field it names."""
    if isinstance(error, ValidationError):
        for field, messages_ in error.message_dict.items():
            for message in messages_:
                form.add_error(field if field in form.fields else None, message)
    else:
        error.add_to(form)


@require_http_methods(["GET", "POST"])
@managers_only
def applicant_create(request):
    posted = request.method == "POST"
    # Bound on every POST, an empty one too: that is a form with every field missing.
    form = ApplicantForm(request.POST if posted else None, request.FILES if posted else None)
    duplicates, confirmation = [], ""
    if posted:
        valid = form.is_valid()
        # Only values that passed their field's checks are looked up: raw input (a NUL
        # byte, a malformed address) never reaches the database.
        email = form.cleaned_data.get("email", "")
        phone = form.cleaned_data.get("phone", "")
        duplicates = applicant_duplicates(email=email, phone=phone)
        for duplicate in duplicates:
            duplicate.same_email = duplicate.email.lower() == email.lower()
            duplicate.same_phone = bool(phone_key(phone)) and duplicate.phone_key == phone_key(
                phone
            )
        if not any(duplicate.same_email for duplicate in duplicates):
            # The same e-mail can never be saved twice; the same phone may be a
            # different person, once the recruiter confirmed these very values.
            confirmation = duplicate_confirmation(email=email, phone=phone)
        confirmed = bool(confirmation) and constant_time_compare(
            request.POST.get("confirmed_duplicates", ""), confirmation
        )
        if valid and (not duplicates or confirmed):
            try:
                applicant = services.applicant_create(
                    actor=request.user, cv=form.cleaned_data["cv"], **_applicant_fields(form)
                )
            except (services.ServiceError, ValidationError) as error:
                _apply_service_error(form, error)
            else:
                messages.success(request, _("Applicant added."))
                return redirect("applicant_detail", pk=applicant.pk)
    context = {
        "form": form,
        "duplicates": duplicates,
        "confirmation": confirmation,
        "new_application_form": NewApplicationForm(),
    }
    return render(request, "recruitment/applicant_form.html", context)


@require_http_methods(["GET", "POST"])
@managers_only
def applicant_edit(request, pk: int):
    applicant = _applicant(request, pk)
    # The form writes its values into its instance while validating; the service must
    # see the record as it was, to know (and record) what changed.
    form = ApplicantForm(
        request.POST or None, request.FILES or None, instance=Applicant.objects.get(pk=pk)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.applicant_update(
                applicant=applicant,
                actor=request.user,
                cv=form.cleaned_data["cv"],
                **_applicant_fields(form),
            )
        except (services.ServiceError, ValidationError) as error:
            _apply_service_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("applicant_detail", pk=applicant.pk)
    context = {"form": form, "applicant": applicant}
    return render(request, "recruitment/applicant_form.html", context)


@require_POST
@managers_only
def application_create(request, pk: int):
    applicant = _applicant(request, pk)
    form = NewApplicationForm(request.POST)
    if form.is_valid():
        try:
            services.application_create(
                applicant=applicant, vacancy=form.cleaned_data["vacancy"], actor=request.user
            )
        except services.ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Application added."))
    else:
        messages.error(request, _("Choose an open vacancy."))
    return redirect("applicant_detail", pk=applicant.pk)


@require_GET
@any_role
@csp_replace({"frame-ancestors": [SELF]})
def applicant_cv(request, pk: int):
    """The CV as a download, or with ?inline=1 a PDF shown in the applicant page's frame.

    Inline is for PDFs only (the browser's own viewer shows them); the content type is
    fixed by the file's checked kind and nosniff keeps the browser to it.
    """
    applicant = get_object_or_404(visible_applicants(request.user), pk=pk)
    if not applicant.cv:
        raise Http404(_("No CV on file."))
    # ?inline=1 previews a PDF in the applicant page's frame; anything else downloads.
    inline = request.GET.get("inline") == "1"
    return cv_response(applicant.cv, filename_stem=f"CV {applicant.full_name}", inline=inline)
