"""Template helpers for links that keep the list's query string."""

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from recruitment.confirmation import Confirmation, confirmation_of
from recruitment.search import matched_in_cv

register = template.Library()


@register.simple_tag
def query_with(query, **changes) -> str:
    """The current query string with some parameters replaced (None removes one).

    Any change but the page number sends the user back to page 1; a page's cursor
    (recruitment.paging) is kept only when it is given again.
    """
    updated = query.copy()
    for key in ("page", "after", "before"):
        if key not in changes:
            updated.pop(key, None)
    for key, value in changes.items():
        if value is None or value == "":
            updated.pop(key, None)
        else:
            updated[key] = value
    encoded = updated.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag
def sort_link(query, column: str) -> str:
    """Sort by `column`; a second click on the current sort reverses it."""
    current = query.get("sort", "")
    target = f"-{column}" if current == column else column
    return query_with(query, sort=target)


@register.simple_tag
def sort_state(query, column: str, default: str = "-created") -> str:
    current = query.get("sort") or default
    if current == column:
        return "ascending"
    if current == f"-{column}":
        return "descending"
    return "none"


@register.simple_tag
def list_row(application, selectable: bool = False, number: int = 0, search: str = "") -> str:
    """One row of the applicant list.

    Built in Python rather than in template tags: a page has 50 rows of a dozen cells,
    and the template engine's per-variable cost made rendering them the slowest part of
    the page (see bench/list_benchmark.py).
    """
    applicant = application.applicant
    url = reverse("applicant_detail", args=[applicant.pk])
    stage_class = "stage-closed" if application.is_closed else f"stage-{application.stage}"
    name_cell = format_html(
        '<a href="{}" class="fw-semibold">{}</a>{}{}{}{}{}',
        url,
        applicant.full_name,
        format_html(' <span class="badge text-bg-info in-cv">{}</span>', _("in CV"))
        if search and matched_in_cv(applicant, search)
        else "",
        format_html(' <span class="badge text-bg-secondary">{}</span>', _("Employee"))
        if applicant.current_work
        else "",
        _rating(application),
        # Other apps' badges for the row (the interviews' summary), attached per page.
        format_html_join("", " {}", ((badge,) for badge in getattr(application, "row_badges", ()))),
        format_html_join(
            "", ' <span class="tag-chip">{}</span>', ((t.name,) for t in applicant.tags.all())
        ),
    )
    cells = [
        # Rows are numbered down the list, page after page; the application's own number
        # stays at hand in the tooltip.
        format_html(
            '<span class="row-number" title="{}">{}.</span>',
            _("Application %(id)s") % {"id": application.pk},
            number,
        ),
        name_cell,
        format_html(
            '<a href="mailto:{0}">{0}</a><br><span class="text-body-secondary">{1}</span>',
            applicant.email,
            applicant.phone,
        ),
        applicant.city or "",
        format_html(
            '{} <span class="stage-badge {}">{}</span>{}',
            application.vacancy.title,
            stage_class,
            _status(application),
            confirmation_badge(application),
        ),
        applicant.source or "",
        "" if applicant.age is None else applicant.age,
        applicant.experience_years,
        format_html('<span class="text-nowrap">{}</span>', _day(application.created_at)),
        format_html('<span class="text-nowrap">{}</span>', _day(applicant.latest_activity_at)),
        applicant.notes_count,
    ]
    if selectable:
        cells.insert(0, _select_box(application))
    overdue = confirmation_of(application) == Confirmation.OVERDUE
    return format_html(
        '<tr data-application="{}"{}>{}</tr>',
        application.pk,
        mark_safe(' class="table-warning unconfirmed"') if overdue else "",
        format_html_join("", "<td>{}</td>", ((cell,) for cell in cells)),
    )


def _select_box(application) -> str:
    # The stage as the user saw it goes along: a bulk move refuses rows moved meanwhile.
    return format_html(
        '<input class="form-check-input bulk-select" type="checkbox" form="bulk" '
        'name="selected" value="{}:{}" aria-label="{}">',
        application.pk,
        application.stage,
        _("Select %(name)s") % {"name": application.applicant.full_name},
    )


@register.simple_tag
def confirmation_badge(application) -> str:
    """For an application the candidate sent from the careers site: whether they confirmed
    it, flagged when they are overdue. Nothing for one the staff entered."""
    state = confirmation_of(application)
    if state is None:
        return ""
    label, css = {
        Confirmation.CONFIRMED: (_("Confirmed by the candidate"), "text-bg-success"),
        Confirmation.AWAITED: (_("Sent online, awaiting confirmation"), "text-bg-light"),
        Confirmation.OVERDUE: (_("Unconfirmed"), "text-bg-warning"),
    }[state]
    return format_html(' <span class="badge {} confirmation-{}">{}</span>', css, state, label)


def _status(application) -> str:
    """The stage; for a closed one its group, and the closing reason when it says more."""
    reason = application.closed_because
    if not reason or reason == application.status_label:
        return application.status_label
    return f"{application.status_label} · {reason}"


def _rating(application) -> str:
    average = getattr(application, "rating_average", None)
    if average is None:
        return ""
    title = _("Average rating")
    return format_html(
        ' <span class="badge text-bg-warning" title="{}">★ {}</span>', title, f"{average:.1f}"
    )


def _day(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d")
