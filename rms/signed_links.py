"""Pages behind a signed link in a mail (a careers confirmation, a consent renewal, a
data request's verification): a GET only shows a button, since mail scanners follow
links and must change nothing; the POST acts. A link that expired, was tampered with,
or that the service refuses gets a page saying which, never a 500."""

from collections.abc import Callable

from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from recruitment.services import ServiceError


def signed_link_page(
    request: HttpRequest,
    *,
    act: Callable[[], dict],
    ask: str,
    done: str,
    invalid: str,
    token: str,
) -> HttpResponse:
    """`act` checks the token and acts, returning the `done` page's context."""
    if request.method == "GET":
        return render(request, ask, {"token": token})
    try:
        context = act()
    except signing.SignatureExpired:
        return render(request, invalid, {"expired": True}, status=410)
    except signing.BadSignature:
        return render(request, invalid, {"expired": False}, status=400)
    except ServiceError as error:
        return render(request, invalid, {"error": error.message}, status=409)
    return render(request, done, context)
