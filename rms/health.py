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

# (release, database) pairs this process found with no migration pending. Building the
# migration graph costs ~15 ms of CPU per check (SELECT 1 costs 0.2 ms): every load
# balancer's poll paid it, while the answer only changes when a new release (new
# migration files, in new worker processes) is deployed.
_current: set[tuple[str, str]] = set()


def health_report(*, connection) -> dict:
    """Database reachability and pending migrations for one connection."""
    key = (settings.RMS_RELEASE, str(connection.settings_dict["NAME"]))
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        pending = 0 if key in _current else _pending_migrations(connection)
    except DatabaseError:
        return {"database": "unreachable", "migrations_pending": None}
    if not pending:
        _current.add(key)
    return {"database": "ok", "migrations_pending": pending}


def _pending_migrations(connection) -> int:
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def health_cache_clear() -> None:
    """Forget what was found current (tests; a release's own migrations rolled back by hand
    under running workers is otherwise seen only by new worker processes)."""
    _current.clear()


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
