"""The sign-in lockout's limits, for django-axes (AXES_FAILURE_LIMIT in settings)."""

from axes.attempts import get_cool_off_threshold
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def failure_limit(request, credentials) -> int:
    """The limit for axes's count, the account's failures from this address.

    axes 8 holds all its counts to one limit, so the higher per-address limit is applied
    here: once the address has used it up, the limit is 0 and every account is locked.
    """
    from_address = AccessAttempt.objects.filter(
        ip_address=request.axes_ip_address, attempt_time__gte=get_cool_off_threshold(request)
    ).aggregate(failures=Sum("failures_since_start"))["failures"]
    if (from_address or 0) >= settings.RMS_SIGNIN_ADDRESS_FAILURES:
        return 0
    return settings.RMS_SIGNIN_FAILURES
