"""Writes the access log for the pages that show an applicant's data.

A middleware, not a call in each view: recruitment's record page, its CV download and
the API's record endpoint stay as they are, and a new such page is one line here. The
privacy export (a POST) records itself.
"""

from privacy.models import AccessLogEntry
from privacy.services import access_log_record

# URL name: what looking at it is.
LOGGED_PAGES = {
    "applicant_detail": AccessLogEntry.Action.VIEW,
    "applicant_cv": AccessLogEntry.Action.CV,
    "applicant-detail": AccessLogEntry.Action.API,
}


class AccessLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = request.resolver_match
        # Only what was shown: a refusal (403, 404) or a redirect showed nothing.
        if (
            match is not None
            and response.status_code == 200
            and request.method == "GET"
            and match.view_name in LOGGED_PAGES
            and request.user.is_authenticated
        ):
            access_log_record(
                user_id=request.user.pk,
                applicant_id=int(match.kwargs["pk"]),
                action=LOGGED_PAGES[match.view_name],
            )
        return response
