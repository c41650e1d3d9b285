"""The address a request came from, for the sign-in lockout's per-address count and the
careers site's rate limit."""

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    if settings.BEHIND_TLS_PROXY:
        return client_address_behind_proxy(request)
    return request.META.get("REMOTE_ADDR", "")


def client_address_behind_proxy(request: HttpRequest) -> str:
    """Behind the TLS proxy (BEHIND_TLS_PROXY=1) every connection comes from the proxy, so
    the lockout would lock everyone at once; the proxy appends the client's address as
    the last X-Forwarded-For entry, and only that entry is the proxy's word (earlier ones
    are whatever the client sent)."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").rsplit(",", 1)[-1].strip()
    return forwarded or request.META.get("REMOTE_ADDR", "")
