from django import template
from django.utils.safestring import SafeString, mark_safe

from careers.selectors import posting_for_vacancy
from recruitment.richtext import sanitize_html

register = template.Library()


@register.filter
def sanitized(html: str) -> SafeString:
    """Rich text as stored, cleaned once more on the way out to the public."""
    return mark_safe(sanitize_html(html))  # noqa: S308


@register.inclusion_tag("careers/_posting_status.html", takes_context=True)
def careers_posting_status(context, vacancy):
    """A vacancy's careers-page state, its public link and the recruiter's edit link."""
    return {
        "vacancy": vacancy,
        "posting": posting_for_vacancy(vacancy=vacancy),
        "request": context["request"],
        "manages": context.get("manages", False),
    }
