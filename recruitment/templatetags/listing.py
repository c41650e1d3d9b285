"""Template helpers for links that keep the list's query string."""

from html import escape as html_escape

from django import template
from django.urls import reverse
from django.utils import timezone
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


def _esc(value) -> str:
    """`value` escaped for HTML unless it is already safe: conditional_escape without the
    lazy-string wrapper Django puts around it, which cost more than the escaping itself
    on a page of 50 rows that escapes some 1,500 values."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html_escape(str(value))


@register.simple_tag
def list_rows(applications, selectable: bool = False, first: int = 1, search: str = "") -> str:
    """The applicant list's table rows, numbered from `first` down the list.

    Built in Python with plain strings rather than in template tags or with format_html:
    a page has 50 rows of a dozen cells, and the per-value cost of either made rendering
    them the part of the page that grows with it (bench/list_benchmark.py). What every
    row says alike is translated once per page.
    """
    words = {
        "in_cv": f' <span class="badge text-bg-info in-cv">{_esc(_("in CV"))}</span>',
        "employee": f' <span class="badge text-bg-secondary">{_esc(_("Employee"))}</span>',
        "rating": f' <span class="badge text-bg-warning" title="{_esc(_("Average rating"))}">',
        "number": _("Application %(id)s"),
        "select": _("Select %(name)s"),
    }
    rows = (
        _row(application, words, number=number, selectable=selectable, search=search)
        for number, application in enumerate(applications, start=first)
    )
    return mark_safe("".join(rows))  # noqa: S308 - _row escapes every value


def _row(application, words: dict, *, number: int, selectable: bool, search: str) -> str:
    applicant = application.applicant
    badges = []
    if search and matched_in_cv(applicant, search):
        badges.append(words["in_cv"])
    if applicant.current_work:
        badges.append(words["employee"])
    if (average := getattr(application, "rating_average", None)) is not None:
        badges.append(f"{words['rating']}★ {average:.1f}</span>")
    # Other apps' badges for the row (the interviews' summary), attached per page.
    badges.extend(f" {_esc(badge)}" for badge in getattr(application, "row_badges", ()))
    badges.extend(f' <span class="tag-chip">{_esc(t.name)}</span>' for t in applicant.tags.all())
    url = reverse("applicant_detail", args=[applicant.pk])
    email = _esc(applicant.email)
    age = applicant.age
    # Rows are numbered down the list, page after page; the application's own number
    # stays at hand in the tooltip.
    title = _esc(words["number"] % {"id": application.pk})
    cells = [
        f'<span class="row-number" title="{title}">{number}.</span>',
        f'<a href="{_esc(url)}" class="fw-semibold">{_esc(applicant.full_name)}</a>'
        + "".join(badges),
        f'<a href="mailto:{email}">{email}</a><br>'
        f'<span class="text-body-secondary">{_esc(applicant.phone)}</span>',
        _esc(applicant.city or ""),
        f"{_esc(application.vacancy.title)} {_stage_badge(application)}"
        + confirmation_badge(application),
        _esc(applicant.source or ""),
        "" if age is None else age,
        applicant.experience_years,
        f'<span class="text-nowrap">{_day(application.created_at)}</span>',
        f'<span class="text-nowrap">{_day(applicant.latest_activity_at)}</span>',
        applicant.notes_count,
    ]
    if selectable:
        # The stage as the user saw it goes along: a bulk move refuses rows moved meanwhile.
        label = _esc(words["select"] % {"name": applicant.full_name})
        cells.insert(
            0,
            '<input class="form-check-input bulk-select" type="checkbox" form="bulk" '
            f'name="selected" value="{application.pk}:{_esc(application.stage)}" '
            f'aria-label="{label}">',
        )
    overdue = confirmation_of(application) == Confirmation.OVERDUE
    warning = ' class="table-warning unconfirmed"' if overdue else ""
    cells_html = "".join(f"<td>{cell}</td>" for cell in cells)
    return f'<tr data-application="{application.pk}"{warning}>{cells_html}</tr>'


@register.simple_tag
def list_cards(applications) -> str:
    """The same applications as cards, for a phone (the table is hidden there)."""
    latest = _esc(_("Latest activity"))
    cards = (_card(application, latest) for application in applications)
    return mark_safe("".join(cards))  # noqa: S308 - _card escapes every value


def _card(application, latest: str) -> str:
    applicant = application.applicant
    url = reverse("applicant_detail", args=[applicant.pk])
    return (
        f'<li class="card mb-2 application-list-card" data-application="{application.pk}">'
        '<div class="card-body p-2"><div class="d-flex justify-content-between gap-2">'
        f'<a class="fw-semibold" href="{_esc(url)}">{_esc(applicant.full_name)}</a>'
        f"{_stage_badge(application, status=application.status_label)}</div>"
        f'<div class="small">{_esc(application.vacancy.title)}{confirmation_badge(application)}'
        f'</div><div class="small text-body-secondary">{latest}: '
        f"{_day(applicant.latest_activity_at)}</div></div></li>"
    )


def _stage_badge(application, *, status: str | None = None) -> str:
    css = "stage-closed" if application.is_closed else f"stage-{application.stage}"
    label = _status(application) if status is None else status
    return f'<span class="stage-badge {_esc(css)}">{_esc(label)}</span>'


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
    return mark_safe(f' <span class="badge {css} confirmation-{state}">{_esc(label)}</span>')  # noqa: S308 - escaped


def _status(application) -> str:
    """The stage; for a closed one its group, and the closing reason when it says more."""
    reason = application.closed_because
    if not reason or reason == application.status_label:
        return application.status_label
    return f"{application.status_label} · {reason}"


def _day(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d")
