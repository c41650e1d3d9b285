"""/ping/: the cheapest answer the application can give, the yardstick of the benchmarks.

No database, no session, no sign-in, no template: what a request costs in uWSGI and
Django's middleware alone. bench/api_throughput.py compares the API with it.
"""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@require_GET
@never_cache
@login_not_required
def ping(request):
    return HttpResponse("pong", content_type="text/plain")
