"""One interview's page: its time and panel, and the scorecards, blind until one's own."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from interviews import services
from interviews.forms import AmendmentForm, ScorecardForm, StatusForm
from interviews.models import Interview, Scorecard
from interviews.selectors import interview_overlaps, interview_scorecards
from interviews.services.scorecards import UNSCORED
from interviews.views.access import interview_or_404
from recruitment.roles import any_role, manages
from recruitment.services import ServiceError


def _page(request, interview: Interview, *, scorecard_form=None, amendment_form=None):
    cards = interview_scorecards(interview=interview, user=request.user)
    on_panel = request.user in interview.interviewers.all()
    context = {
        "interview": interview,
        "application": interview.application,
        "applicant": interview.application.applicant,
        "cards": cards,
        "on_panel": on_panel,
        "owes": on_panel and cards.own is None and interview.status not in UNSCORED,
        "scorecard_form": scorecard_form or ScorecardForm(),
        "amendment_form": amendment_form or AmendmentForm(),
        "status_form": StatusForm(),
        "manages": manages(request.user),
        "overlaps": interview_overlaps(interview=interview)
        if interview.status == Interview.Status.SCHEDULED
        else [],
    }
    return render(request, "interviews/interview_detail.html", context)


@require_GET
@any_role
def interview_detail(request, pk: int):
    return _page(request, interview_or_404(request, pk))


@require_POST
@any_role
def scorecard_submit(request, pk: int):
    interview = interview_or_404(request, pk)
    form = ScorecardForm(request.POST)
    if not form.is_valid():
        return _page(request, interview, scorecard_form=form)
    try:
        services.scorecard_submit(
            interview=interview,
            interviewer=request.user,
            ratings=form.ratings(),
            recommendation=form.cleaned_data["recommendation"],
            comment=form.cleaned_data["comment"],
        )
    except ServiceError as error:
        error.add_to(form)
        return _page(request, interview, scorecard_form=form)
    messages.success(request, _("Scorecard submitted: the others' are open to you now."))
    return redirect("interviews:detail", pk=interview.pk)


@require_POST
@any_role
def scorecard_amend(request, pk: int):
    scorecard = get_object_or_404(Scorecard.objects.select_related("interview"), pk=pk)
    interview = interview_or_404(request, scorecard.interview_id)
    form = AmendmentForm(request.POST)
    if not form.is_valid():
        return _page(request, interview, amendment_form=form)
    try:
        services.scorecard_amend(
            scorecard=scorecard, author=request.user, body=form.cleaned_data["body"]
        )
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Addition recorded."))
    return redirect("interviews:detail", pk=interview.pk)
