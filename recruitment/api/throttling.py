from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from recruitment.models import ApiToken


class TokenClientRateThrottle(SimpleRateThrottle):
    """Rate-limits scripts that sign in with a token (RMS_API_THROTTLE_RATE), per user.

    People in a browser (session) are not throttled: a runaway loop is a script's failure.
    Counters live in Django's default cache: Redis on an instance (CACHE_URL), shared by
    all its workers; the process's own memory on the embedded default.
    """

    scope = "token"

    def get_cache_key(self, request: Request, view: object) -> str | None:
        if not isinstance(request.auth, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}
