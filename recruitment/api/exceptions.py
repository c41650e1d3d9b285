"""Every API error is JSON: services' refusals become 400 or 409, unknown URLs 404."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler

from recruitment.services import ApplicationClosedError, ServiceError, StaleApplicationError


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy("The application changed meanwhile.")
    default_code = "conflict"


def api_exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF's handler, taught the services' errors and model validation (full_clean)."""
    if isinstance(exc, ApplicationClosedError | StaleApplicationError):
        exc = Conflict(exc.message)
    elif isinstance(exc, ServiceError):
        exc = ValidationError({exc.field or api_settings.NON_FIELD_ERRORS_KEY: [exc.message]})
    elif isinstance(exc, DjangoValidationError):
        exc = ValidationError(as_serializer_error(exc))
    return exception_handler(exc, context)


# Exempt from the CSRF check too: it changes nothing, and a POST to a wrong URL should
# learn that the URL is wrong, not get Django's HTML CSRF page.
@csrf_exempt
@login_not_required
def api_not_found(request: HttpRequest, path: str) -> JsonResponse:
    """Unknown URLs under /api/ answer in JSON, like the endpoints, not with an HTML page."""
    return JsonResponse({"detail": _("There is no API endpoint at this URL.")}, status=404)
