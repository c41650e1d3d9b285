"""Booking, moving, cancelling and closing an interview (recruiters and admins)."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from interviews import services
from interviews.forms import InterviewForm, StatusForm, person_label
from interviews.models import Interview
from interviews.views.access import back_to, interview_or_404
from recruitment.roles import managers_only, visible_applications
from recruitment.services import ServiceError


def _overlap_warning(request, scheduled: services.Scheduled) -> None:
    for other in scheduled.overlaps:
        shared = set(other.interviewers.all()) & set(scheduled.interview.interviewers.all())
        messages.warning(
            request,
            _("Overlaps for %(people)s: %(kind)s with %(name)s, %(when)s.")
            % {
                "people": ", ".join(person_label(person) for person in shared),
                "kind": other.kind.name,
                "name": other.application.applicant.full_name,
                "when": other.when_text,
            },
        )


@require_http_methods(["GET", "POST"])
@managers_only
def interview_schedule(request, application_pk: int):
    application = get_object_or_404(
        visible_applications(request.user).select_related("applicant", "vacancy"), pk=application_pk
    )
    form = InterviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            scheduled = services.interview_schedule(
                application=application,
                kind=form.cleaned_data["kind"],
                when=form.when(),
                interviewers=list(form.cleaned_data["interviewers"]),
                actor=request.user,
                send_invitations=form.cleaned_data["send_invitations"],
            )
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(request, _("Interview scheduled."))
            _overlap_warning(request, scheduled)
            return HttpResponseRedirect(
                back_to(request) or reverse("interviews:detail", args=[scheduled.interview.pk])
            )
    context = {"form": form, "application": application, "next": back_to(request) or ""}
    return render(request, "interviews/interview_form.html", context)


@require_http_methods(["GET", "POST"])
@managers_only
def interview_reschedule(request, pk: int):
    interview = interview_or_404(request, pk)
    form = InterviewForm(
        request.POST or None, rescheduling=True, initial=InterviewForm.initial_for(interview)
    )
    if request.method == "POST" and form.is_valid():
        try:
            scheduled = services.interview_reschedule(
                interview=interview,
                when=form.when(interview.kind),
                interviewers=list(form.cleaned_data["interviewers"]),
                actor=request.user,
                send_invitations=form.cleaned_data["send_invitations"],
            )
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(request, _("Interview moved; the invitations are updated."))
            _overlap_warning(request, scheduled)
            return redirect("interviews:detail", pk=interview.pk)
    context = {"form": form, "application": interview.application, "interview": interview}
    return render(request, "interviews/interview_form.html", context)


@require_POST
@managers_only
def interview_cancel(request, pk: int):
    interview = interview_or_404(request, pk)
    try:
        services.interview_cancel(
            interview=interview,
            actor=request.user,
            send_invitations=request.POST.get("send_invitations") == "on",
        )
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Interview cancelled."))
    return redirect("interviews:detail", pk=interview.pk)


@require_POST
@managers_only
def interview_status(request, pk: int):
    interview = interview_or_404(request, pk)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose done or no-show."))
        return redirect("interviews:detail", pk=interview.pk)
    try:
        services.interview_status_set(
            interview=interview, status=form.cleaned_data["status"], actor=request.user
        )
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        label = Interview.Status(form.cleaned_data["status"]).label
        messages.success(request, _("Interview marked: %(status)s.") % {"status": label})
    return redirect("interviews:detail", pk=interview.pk)
