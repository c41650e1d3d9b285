"""The candidate's consent renewal link (public)."""

from django.core import signing
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from privacy import services
from recruitment.services import ServiceError


@never_cache
@require_http_methods(["GET", "POST"])
def renew(request, token: str):
    # A GET only shows the button: mail scanners follow links, and must not renew.
    if request.method == "GET":
        return render(request, "privacy/public/renew.html", {"token": token})
    try:
        valid_until = services.consent_renew(token=token)
    except signing.SignatureExpired:
        return render(request, "privacy/public/link_invalid.html", {"expired": True}, status=410)
    except signing.BadSignature:
        return render(request, "privacy/public/link_invalid.html", {"expired": False}, status=400)
    except ServiceError as error:
        context = {"error": error.message}
        return render(request, "privacy/public/link_invalid.html", context, status=409)
    return render(request, "privacy/public/renewed.html", {"valid_until": valid_until})
