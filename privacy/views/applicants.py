"""An applicant's personal data, for the admins: export, erase, restrict, the access log."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from privacy import selectors, services
from privacy.forms import EraseForm, ReasonForm
from privacy.models import AccessLogEntry
from recruitment.models import Applicant
from recruitment.roles import ADMINS, role_required
from recruitment.services import ServiceError

admins_only = role_required(ADMINS)
LOG_PAGE_SIZE = 50


def _applicant(pk: int) -> Applicant:
    return get_object_or_404(Applicant.objects.select_related("city", "source"), pk=pk)


def _page(request, applicant: Applicant, *, status: int = 200, **forms):
    services.access_log_flush()
    entries = selectors.access_log_of_applicant(applicant=applicant)
    log = Paginator(entries, LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "applicant": applicant,
        "bases": selectors.applicant_legal_bases(applicant=applicant),
        "log": log,
        "requests": applicant.subject_requests.order_by("-received_at")[:20],
        "restrict_form": forms.get("restrict") or ReasonForm(),
        **forms,
    }
    return render(request, "privacy/applicant_privacy.html", context, status=status)


@require_GET
@admins_only
def applicant_privacy(request, pk: int):
    return _page(request, _applicant(pk))


@require_POST
@admins_only
def applicant_export(request, pk: int):
    applicant = _applicant(pk)
    data = services.applicant_data_export(applicant=applicant, actor=request.user)
    services.access_log_record(
        user_id=request.user.pk, applicant_id=applicant.pk, action=AccessLogEntry.Action.EXPORT
    )
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="personal-data-{applicant.pk}.zip"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
@admins_only
def applicant_erase(request, pk: int):
    applicant = _applicant(pk)
    form = EraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not form.cleaned_data["confirmed"]:
            form.add_error("confirmed", _("Tick this to confirm: the erasure cannot be undone."))
        else:
            try:
                services.applicant_anonymise(
                    applicant=applicant, actor=request.user, reason=form.cleaned_data["reason"]
                )
            except ServiceError as error:
                error.add_to(form)
            else:
                messages.success(request, _("The personal data were erased."))
                return redirect("applicant_detail", pk=applicant.pk)
    return render(request, "privacy/applicant_erase.html", {"applicant": applicant, "form": form})


@require_POST
@admins_only
def applicant_restrict(request, pk: int):
    applicant = _applicant(pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return _page(request, applicant, restrict=form)
    change = (
        services.applicant_unrestrict if applicant.restricted_at else services.applicant_restrict
    )
    try:
        change(applicant=applicant, actor=request.user, reason=form.cleaned_data["reason"])
    except ServiceError as error:
        error.add_to(form)
        return _page(request, applicant, restrict=form)
    if applicant.restricted_at:
        messages.success(request, _("The restriction was lifted."))
    else:
        messages.success(request, _("The processing of this person's data is restricted."))
    return redirect("privacy:applicant_privacy", pk=applicant.pk)
