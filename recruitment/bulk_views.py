"""Bulk actions from the applicant list: on the ticked rows, or on all that match."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from recruitment import services
from recruitment.closing_forms import grouped_reasons
from recruitment.filters import parse_id
from recruitment.models import BulkJob, ClosingReason, Stage
from recruitment.roles import managers_only, visible_applications
from recruitment.selectors import applications_matching
from recruitment.services.bulk import BulkAction, BulkSelection
from recruitment.validators import no_control_characters

REFUSALS_LISTED = 10


class BulkForm(forms.Form):
    action = forms.ChoiceField(
        label=_lazy("Action"),
        choices=BulkJob.Action.choices,
    )
    stage = forms.ChoiceField(label=_lazy("Stage"), choices=Stage.choices, required=False)
    closing_reason = forms.TypedChoiceField(
        label=_lazy("Closing reason"), coerce=int, required=False, empty_value=None
    )
    tag = forms.CharField(
        label=_lazy("Tag"),
        required=False,
        max_length=50,
        validators=[no_control_characters],
        # Shown at the top of the list, away from the field.
        error_messages={
            no_control_characters.code: _lazy(
                "A tag cannot hold control characters (line breaks, tabs, ...)."
            )
        },
    )
    # "id:stage" for each ticked row: the stage is the one the user saw.
    selected = forms.MultipleChoiceField(required=False)
    all_matching = forms.BooleanField(required=False)
    # The list's query string, whose filters choose the rows for "all matching".
    query = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["closing_reason"].choices = grouped_reasons
        self.fields["selected"].choices = [
            (value, value) for value in self.data.getlist("selected", [])
        ]

    def clean_selected(self) -> dict[int, str]:
        expected = {}
        for value in self.cleaned_data["selected"]:
            raw_pk, _sep, stage = value.partition(":")
            try:
                # Strict: "²" passes isdigit() and int() refuses it; "٣" is int() 3.
                pk = parse_id(raw_pk)
            except forms.ValidationError:
                pk = None
            if pk is None or stage not in Stage.values:
                raise forms.ValidationError(_("A selected row is not from the list."))
            expected[pk] = stage
        return expected

    def clean_closing_reason(self) -> ClosingReason | None:
        pk = self.cleaned_data["closing_reason"]
        return None if pk is None else ClosingReason.objects.get(pk=pk)


def bulk_selection(form: BulkForm, user) -> BulkSelection:
    visible = visible_applications(user)
    if form.cleaned_data["all_matching"]:
        matching, expected = applications_matching(
            applications=visible, query=form.cleaned_data["query"]
        )
        ids = matching.order_by().values_list("pk", flat=True)
        return BulkSelection(expected=dict.fromkeys(ids, expected))
    chosen = form.cleaned_data["selected"]
    ids = visible.filter(pk__in=list(chosen)).values_list("pk", flat=True)
    return BulkSelection(expected={pk: chosen[pk] for pk in ids})


@require_POST
@managers_only
def applications_bulk(request):
    form = BulkForm(request.POST)
    back = reverse("applicant_list") + "?" + request.POST.get("query", "")
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, errors[0])
        return redirect(back)
    selection = bulk_selection(form, request.user)
    if not selection.expected:
        messages.warning(request, _("Tick some rows first, or choose all matching."))
        return redirect(back)
    data = form.cleaned_data
    if len(selection.expected) > settings.RMS_BULK_JOB_ROWS:
        return _as_job(request, form, selection, back)
    try:
        result = services.applications_bulk_apply(
            selection=selection,
            action=BulkAction(data["action"]),
            actor=request.user,
            stage=data["stage"],
            closing_reason=data["closing_reason"],
            tag=data["tag"],
        )
    except services.ServiceError as error:
        messages.error(request, error.message)
        return redirect(back)
    _report(request, result)
    return redirect(back)


def _as_job(request, form: BulkForm, selection: BulkSelection, back: str):
    """More than a request may take (uWSGI's harakiri): a worker runs it, the page follows."""
    data = form.cleaned_data
    action = BulkAction(data["action"])
    try:
        # The parameters are checked now, not minutes later on the worker.
        services.bulk_action_check(
            action=action,
            stage=data["stage"],
            closing_reason=data["closing_reason"],
            tag=data["tag"],
        )
    except services.ServiceError as error:
        messages.error(request, error.message)
        return redirect(back)
    job = services.bulk_job_create(
        owner=request.user,
        action=action,
        total=len(selection.expected),
        query=data["query"],
        selected=None if data["all_matching"] else selection.expected,
        # "All matching" expects one stage of every row: the tab's, or none.
        expected_stage=next(iter(selection.expected.values())) if data["all_matching"] else None,
        stage=data["stage"],
        closing_reason=data["closing_reason"],
        tag=data["tag"],
    )
    return redirect("bulk_job", pk=job.pk)


def _report(request, result: services.BulkResult) -> None:
    messages.success(request, _("Done: %(count)s.") % {"count": result.done})
    if not result.refused:
        return
    listed = "; ".join(
        f"{application.applicant} ({application.pk}): {reason}"
        for application, reason in result.refused[:REFUSALS_LISTED]
    )
    more = len(result.refused) - REFUSALS_LISTED
    if more > 0:
        listed += " " + _("…and %(count)s more.") % {"count": more}
    messages.warning(
        request, _("Refused: %(count)s — %(list)s") % {"count": len(result.refused), "list": listed}
    )
