"""Server-side sanitizing of rich text (notes, vacancy descriptions).

The editor's HTML is never trusted: whatever reaches the database passes through
`sanitize_html`, which keeps a small allow-list and drops everything else.
"""

import nh3

ALLOWED_TAGS = {"p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "a", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def sanitize_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    ).strip()


def html_has_text(html: str) -> bool:
    """True when sanitized HTML shows anything to a reader."""
    return bool(nh3.clean(html, tags=set()).strip())
