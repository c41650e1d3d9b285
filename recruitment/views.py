from django.conf import settings
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET

from recruitment import exports, reports, services
from recruitment.closing_forms import grouped_reasons
from recruitment.filters import ApplicationFilterSet
from recruitment.models import ClosingReason, ExportJob, Stage, Vacancy
from recruitment.roles import (
    any_role,
    managers_only,
    manages,
    restricted_applications,
    visible_applicants,
    visible_applications,
)
from recruitment.search import matched_in_cv
from recruitment.selectors import (
    applicant_suggestions,
    application_list_page,
    application_stage_counts,
    dashboard_work_list,
    saved_views_for,
    saved_views_with_counts,
)

PAGE_SIZES = (25, 50, 100, 200)
DEFAULT_PAGE_SIZE = 50
MULTI_CHOICE_FILTERS = ("tags", "vacancy", "city", "source", "closing_reason")
LIST_COLUMNS = [
    ("number", _lazy("#")),
    ("name", _lazy("Name")),
    ("email", _lazy("E-mail / Phone number")),
    ("city", _lazy("City")),
    ("stage", _lazy("Position (Status)")),
    ("source", _lazy("Source")),
    ("age", _lazy("Age")),
    ("experience", _lazy("Experience")),
    ("created", _lazy("Created")),
    ("latest_activity", _lazy("Latest activity")),
    ("notes", _lazy("Notes")),
]


def _tabs(counts: dict) -> list[tuple[str, str, int]]:
    tabs = [("all", _("All"), counts["all"])]
    tabs += [(stage.value, stage.label, counts[stage.value]) for stage in Stage]
    return tabs


@require_GET
@any_role
def dashboard(request):
    applications = visible_applications(request.user)
    counts = application_stage_counts(applications=applications)
    # The work list is the user's own vacancies' when they are in charge of any, unless
    # they ask for everyone's; the counts above it are always the whole office's.
    in_charge = Vacancy.objects.filter(recruiters=request.user)
    has_own = in_charge.exists()
    mine = has_own and request.GET.get("scope") != "all"
    work = dashboard_work_list(
        applications=applications.filter(vacancy__in=in_charge) if mine else applications,
        stale_days=settings.RMS_STALE_DAYS,
    )
    context = {
        "tabs": _tabs(counts),
        "closed_count": counts["closed"],
        "work": work,
        "has_own": has_own,
        "mine": mine,
        "stale_days": settings.RMS_STALE_DAYS,
    }
    return render(request, "recruitment/dashboard.html", context)


def _filterset(request) -> ApplicationFilterSet:
    applications = visible_applications(request.user)
    return ApplicationFilterSet(request.GET, queryset=applications, request=request)


def _filter_errors(filterset, *, bad_page_size: bool) -> list[tuple[str, str]]:
    """(label, message) for every filter value that was left out."""
    fields = filterset.form.fields
    errors = [
        (fields[name].label if name in fields else _("Filters"), message)
        for name, messages in filterset.form.errors.items()
        for message in messages
    ]
    if bad_page_size:
        errors.append((_("Per page"), _("Choose one of %(sizes)s.") % {"sizes": PAGE_SIZES}))
    return errors


def _page_size(request) -> tuple[int, bool]:
    """The requested page size, and whether the request asked for one we do not offer."""
    raw = request.GET.get("per_page")
    if raw in (None, ""):
        return DEFAULT_PAGE_SIZE, False
    if raw.isascii() and raw.isdigit() and int(raw) in PAGE_SIZES:
        return int(raw), False
    return DEFAULT_PAGE_SIZE, True


def page_links(page, width: int = 5, numbered=lambda number: True) -> list:
    """1 2 3 4 5 … 40 as on the talk's screen: `width` pages around this one (shifted at
    either end so there are always that many), the first and the last, gaps between.

    Pages that are not `numbered` (deep in a long list, reached with Next and Previous
    only) become gaps, unless it is this one."""
    total, ellipsis = page.paginator.num_pages, page.paginator.ELLIPSIS
    start = max(1, min(page.number - width // 2, total - width + 1))
    end = min(total, start + width - 1)
    head = [] if start == 1 else [1] if start == 2 else [1, ellipsis]
    tail = [] if end == total else [total] if end == total - 1 else [ellipsis, total]
    links = []
    for link in [*head, *range(start, end + 1), *tail]:
        if link != ellipsis and link != page.number and not numbered(link):
            link = ellipsis
        if not (link == ellipsis and links and links[-1] == ellipsis):
            links.append(link)
    return links


@require_GET
@any_role
def applicant_list(request):
    filterset = _filterset(request)
    per_page, bad_page_size = _page_size(request)
    listing = application_list_page(
        filterset=filterset,
        page_number=request.GET.get("page"),
        per_page=per_page,
        after=request.GET.get("after", ""),
        before=request.GET.get("before", ""),
    )
    context = {
        "filterset": filterset,
        "filter_errors": _filter_errors(filterset, bad_page_size=bad_page_size),
        "selected": {name: request.GET.getlist(name) for name in MULTI_CHOICE_FILTERS},
        "columns": LIST_COLUMNS,
        "listing": listing,
        "tabs": [*_tabs(listing.counts), ("closed", _("Closed"), listing.counts["closed"])],
        "page_sizes": PAGE_SIZES,
        "page_links": page_links(listing.page, numbered=listing.is_numbered),
        "manages": manages(request.user),
        "query": request.GET.copy(),
        **_closing_reason_choices(),
        "stage_choices": Stage.choices,
    }
    if _wants_results_only(request):
        response = render(request, "recruitment/_results.html", context)
    else:
        # The menu is for a whole page; htmx swaps only the results. Its live counts
        # are one filtered COUNT per view: the menu asks for them once the page is
        # shown (saved_view_menu), so the list does not wait for the slowest view.
        context["saved_views"] = saved_views_for(user=request.user)
        context["active_view"] = request.GET.get("view", "")
        response = render(request, "recruitment/applicant_list.html", context)
    # The same URL answers with a fragment or a page: caches must keep them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_GET
@any_role
def saved_view_menu(request):
    """The list's menu of saved views again, now with each view's live count."""
    views = saved_views_with_counts(
        user=request.user, applications=visible_applications(request.user)
    )
    context = {"saved_views": views, "active_view": request.GET.get("view", ""), "counted": True}
    return render(request, "recruitment/_saved_views.html", context)


def _closing_reason_choices() -> dict:
    """Every reason for the filter, the offered ones for the bulk close: one query."""
    reasons = list(ClosingReason.objects.all())
    return {
        "closing_reasons": grouped_reasons(reasons),
        "offered_reasons": grouped_reasons([reason for reason in reasons if reason.is_active]),
    }


def _wants_results_only(request) -> bool:
    # htmx swaps only the results; restoring history after a cache miss needs the page.
    headers = request.headers
    return headers.get("HX-Request") == "true" and not headers.get("HX-History-Restore-Request")


@require_GET
@any_role
def applicant_suggest(request):
    text = request.GET.get("q", "")
    applicants = applicant_suggestions(text=text, applicants=visible_applicants(request.user))
    return JsonResponse(
        {
            "results": [
                {
                    "id": applicant.pk,
                    "name": applicant.full_name,
                    "email": applicant.email,
                    "phone": applicant.phone,
                    "url": reverse("applicant_detail", args=[applicant.pk]),
                    "in_cv": matched_in_cv(applicant, text),
                }
                for applicant in applicants
            ]
        }
    )


@require_GET
@managers_only
def applicant_export(request, fmt: str):
    """Small exports download at once; larger ones become a job the page follows."""
    if fmt not in ExportJob.Format.values:
        raise Http404(_("Unknown export format."))
    filterset = _filterset(request)
    total = filterset.qs.count()
    if total > settings.RMS_EXPORT_JOB_ROWS:
        job = services.export_job_create(
            owner=request.user, query=request.GET.urlencode(), fmt=fmt, total=total
        )
        return redirect("export_job", pk=job.pk)
    return exports.export_response(applications=filterset.qs, fmt=fmt)


def _narrows(filterset) -> bool:
    """Whether a valid filter other than the stage tab (which the report ignores) is set."""
    filterset.form.is_valid()
    return any(
        value not in (None, "", [])
        for name, value in filterset.form.cleaned_data.items()
        if name not in ("stage", "sort")
    )


def _vacancies_only(filterset) -> list[int] | None:
    """The chosen vacancies' ids when the vacancy is the only filter the report heeds."""
    filterset.form.is_valid()
    others = any(
        value not in (None, "", [])
        for name, value in filterset.form.cleaned_data.items()
        if name not in ("stage", "sort", "vacancy")
    )
    chosen = filterset.form.cleaned_data.get("vacancy")
    if others or not chosen:
        return None
    return [vacancy.pk for vacancy in chosen]


@require_GET
@managers_only
def applicant_report(request):
    filterset = _filterset(request)
    # Every application, unfiltered: the summary the services keep answers at once.
    everyone = restricted_applications(request.user) is None
    vacancy_ids = _vacancies_only(filterset)
    if everyone and not _narrows(filterset):
        report = reports.application_report()
    elif everyone and vacancy_ids is not None:
        # A vacancy filter alone: the summary is kept per vacancy, so it answers too.
        report = reports.application_report(vacancy_ids=vacancy_ids)
    else:
        report = reports.application_report(applications=filterset.without_stage())
    context = {
        "report": report,
        "chart_data": reports.chart_data(report),
        "query": request.GET.copy(),
    }
    return render(request, "recruitment/report.html", context)
