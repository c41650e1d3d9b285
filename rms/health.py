"""The /health/ endpoint for load balancers, deploy checks and Nagios-style probes."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def health_report(*, connection) -> dict:
    """Database reachability and pending migrations for one connection."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        return {"database": "unreachable", "migrations_pending": None}
    return {"database": "ok", "migrations_pending": len(plan)}


@require_GET
@never_cache
@login_not_required
def health(request):
    report = health_report(connection=connections[DEFAULT_DB_ALIAS])
    healthy = report["database"] == "ok" and report["migrations_pending"] == 0
    body = {"status": "ok" if healthy else "error", **report, "release": settings.RMS_RELEASE}
    return JsonResponse(body, status=200 if healthy else 503)
