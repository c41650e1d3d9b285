"""The /health/ endpoint for load balancers, deploy checks and Nagios-style probes."""

import redis
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
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


def broker_state() -> str:
    """One PING to the broker's Redis, or "in-process" when tasks run in the web worker."""
    if not settings.CELERY_BROKER_URL:
        return "in-process"
    client = redis.Redis.from_url(
        settings.CELERY_BROKER_URL, socket_connect_timeout=1, socket_timeout=1
    )
    try:
        client.ping()
    except (redis.RedisError, OSError):
        return "unreachable"
    finally:
        client.close()
    return "ok"


def cache_state() -> str:
    """One read of the shared cache, or "local" for the process's own memory cache."""
    if not settings.CACHE_URL:
        return "local"
    try:
        cache.get("health-probe")
    except (redis.RedisError, OSError):
        return "unreachable"
    return "ok"


@require_GET
@never_cache
@login_not_required
def health(request):
    report = health_report(connection=connections[DEFAULT_DB_ALIAS])
    report |= {"broker": broker_state(), "cache": cache_state()}
    healthy = (
        report["database"] == "ok"
        and report["migrations_pending"] == 0
        and "unreachable" not in (report["broker"], report["cache"])
    )
    body = {"status": "ok" if healthy else "error", **report, "release": settings.RMS_RELEASE}
    return JsonResponse(body, status=200 if healthy else 503)
