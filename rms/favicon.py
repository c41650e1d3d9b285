"""The site icon, served at /favicon.ico where browsers and bookmarking tools look.

An SVG kept here rather than among the static files: the address is fixed by custom,
not by the static storage's hashed names, and it must not need a sign-in.
"""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

ICON = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">'
    '<rect width="32" height="32" rx="6" fill="#0d6efd"/>'
    '<text x="16" y="22" font-family="sans-serif" font-size="14" font-weight="700" '
    'fill="#fff" text-anchor="middle">RMS</text></svg>'
)


@require_GET
@login_not_required
@cache_control(max_age=86400, public=True)
def favicon(request):
    return HttpResponse(ICON, content_type="image/svg+xml")
