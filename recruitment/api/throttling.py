from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from recruitment.models import ApiToken


class TokenClientRateThrottle(SimpleRateThrottle):
    """Rate-limits scripts that sign in with a token (RMS_API_THROTTLE_RATE), per user.

    People in a browser (session) are not throttled: a runaway loop is a script's failure.
    Counters live in Django's default cache, which is per process unless CACHES says
    otherwise, so with N workers a client gets up to N times the rate.
    """

    scope = "token"

    def get_cache_key(self, request: Request, view: object) -> str | None:
        if not isinstance(request.auth, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}
