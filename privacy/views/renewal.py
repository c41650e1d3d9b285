"""The candidate's consent renewal link (public)."""

from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from privacy import services
from rms.signed_links import signed_link_page


@never_cache
@require_http_methods(["GET", "POST"])
def renew(request, token: str):
    return signed_link_page(
        request,
        act=lambda: {"valid_until": services.consent_renew(token=token)},
        ask="privacy/public/renew.html",
        done="privacy/public/renewed.html",
        invalid="privacy/public/link_invalid.html",
        token=token,
    )
