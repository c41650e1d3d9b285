from django import template
from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

from careers.selectors import posting_for_vacancy
from recruitment.languages import QUERY_PARAMETER
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


@register.simple_tag(takes_context=True)
def careers_language_links(context) -> list[dict[str, str]]:
    """This page in each language (`?lang=`), for hreflang links and the language links.
    x-default, the address without `?lang=`, follows the browser's Accept-Language."""
    request = context["request"]
    links = []
    for code, name in settings.LANGUAGES:
        query = request.GET.copy()
        query[QUERY_PARAMETER] = code
        links.append(
            {
                "code": code,
                "name": name,
                "href": request.build_absolute_uri(f"{request.path}?{query.urlencode()}"),
            }
        )
    query = request.GET.copy()
    query.pop(QUERY_PARAMETER, None)
    default = request.path + (f"?{query.urlencode()}" if query else "")
    links.append({"code": "x-default", "name": "", "href": request.build_absolute_uri(default)})
    return links
