"""Template helpers for links that keep the list's query string."""

from django import template

register = template.Library()


@register.simple_tag
def query_with(query, **changes) -> str:
    """The current query string with some parameters replaced (None removes one).

    Any change but the page number sends the user back to page 1.
    """
    updated = query.copy()
    if "page" not in changes:
        updated.pop("page", None)
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
