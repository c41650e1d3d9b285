"""Clear pages for requests refused before any view runs: a body over the size limit
(413) and a form sent without a valid CSRF token (403). Nothing of either request is
read into the database, and neither page repeats what was sent."""

import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import DataError
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import defaults

logger = logging.getLogger(__name__)


def _back(request) -> str:
    # The path may be anything a client sent ("//elsewhere.example"): a link only to ours.
    path = request.path
    return path if url_has_allowed_host_and_scheme(path, allowed_hosts=None) else "/"


def _too_large(request):
    context = {"limit_mb": settings.RMS_MAX_REQUEST_MB, "back": _back(request)}
    return render(request, "errors/request_too_large.html", context, status=413)


class RequestSizeLimitMiddleware:
    """Refuses a body over RMS_MAX_REQUEST_MB before anything reads it.

    Django's own limit (DATA_UPLOAD_MAX_MEMORY_SIZE) leaves out uploaded files, which it
    streams to disk whatever their size: a 500 MB "CV" would be written out in full only
    for the form to refuse it afterwards.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads such a body as empty
        if length > settings.RMS_MAX_REQUEST_MB * 1024 * 1024:
            return _too_large(request)
        return self.get_response(request)


def bad_request(request, exception):
    """handler400: too many non-file bytes (Django's RequestDataTooBig) is a 413 too."""
    if isinstance(exception, RequestDataTooBig):
        return _too_large(request)
    return defaults.bad_request(request, exception)


def csrf_failure(request, reason: str = ""):
    """CSRF_FAILURE_VIEW: the usual cause is a form left open past its token's life or a
    browser refusing cookies; the page says what to do, and what was sent is dropped."""
    return render(request, "errors/csrf_failure.html", {"back": _back(request)}, status=403)


class AdminRefusedValueMiddleware:
    """The admin's list pages put the filter values of their address (which anyone can
    edit) into queries as they are. A value the database refuses, a NUL character in
    text on PostgreSQL or a number past a column's range, answers 400, not 500; so does
    a value Python refuses while a list page reads it (the date drill-down's year 0).

    Only under the admin: the app's own pages read their input through forms, which
    refuse such values field by field. Each is logged with its traceback.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        refused = (DataError, OverflowError, *([ValueError] if request.method == "GET" else []))
        if not isinstance(exception, refused):
            return None
        if not request.path.startswith(reverse("admin:index")):
            return None
        logger.warning("Admin request refused: %s", request.path, exc_info=exception)
        return defaults.bad_request(request, exception)
