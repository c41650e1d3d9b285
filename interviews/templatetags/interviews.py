"""Interviews beside the recruitment pages: each application's interviews and the
scorecards' summary, fetched once per page whatever the number of applications."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from interviews.selectors import application_interviews, interview_summaries

register = template.Library()


@register.simple_tag(takes_context=True)
def interviews_attach(context, applications) -> str:
    """Give each application its `interview_list` and `interview_summary` (or None)."""
    user = context["request"].user
    applications = list(applications)
    grouped = application_interviews(applications=applications)
    summaries = interview_summaries(application_ids=[a.pk for a in applications], user=user)
    for application in applications:
        application.interview_list = grouped.get(application.pk, [])
        application.interview_summary = summaries.get(application.pk)
    return ""


@register.simple_tag(takes_context=True)
def interview_badges(context, applications) -> str:
    """Add the interview summary to the list's rows (their `row_badges`)."""
    applications = list(applications)
    user = context["request"].user
    summaries = interview_summaries(application_ids=[a.pk for a in applications], user=user)
    for application in applications:
        summary = summaries.get(application.pk)
        if summary is not None:
            application.row_badges = [
                *getattr(application, "row_badges", []),
                summary_badge(summary),
            ]
    return ""


def summary_badge(summary) -> str:
    """'2 interviews · 3 scorecards: Yes · ★ 3.8', or the count only while blind."""
    parts = [
        ngettext("%(count)s interview", "%(count)s interviews", summary.interviews)
        % {"count": summary.interviews}
    ]
    if summary.scorecards:
        cards = ngettext("%(count)s scorecard", "%(count)s scorecards", summary.scorecards) % {
            "count": summary.scorecards
        }
        if summary.visible and summary.recommendation is not None:
            cards += f": {summary.recommendation_label}"
        if summary.visible and summary.rating is not None:
            cards += f" · ★ {summary.rating:.1f}"
        parts.append(cards)
    title = _("Next interview: %(when)s") % {"when": summary.next_at} if summary.next_at else ""
    return format_html(
        '<span class="badge text-bg-light interview-summary" title="{}">{}</span>',
        title,
        " · ".join(parts),
    )


@register.filter
def interview_summary_text(summary) -> str:
    return summary_badge(summary) if summary is not None else ""
