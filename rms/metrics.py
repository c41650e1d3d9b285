"""Prometheus metrics at /metrics: requests, latency and database queries per view,
counted by a middleware in each worker; the queue's length and the applicant and
application counts read when Prometheus scrapes.

uWSGI runs several workers and a scrape reaches one of them: with
PROMETHEUS_MULTIPROC_DIR set (an instance's `env` table in the instance file, pointing
to a directory emptied when uWSGI starts), every worker writes its counters to files
there and /metrics adds them up across workers; without it a scrape shows the counters
of the one worker that answered.
"""

import ipaddress
import os
import secrets
import time
from contextlib import ExitStack

import redis
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connections
from django.db.models import Count
from django.http import HttpResponse, HttpResponseForbidden
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

from rms.client_address import client_address

REQUESTS = Counter(
    "rms_http_requests",
    "Requests answered, by view, method and status.",
    ["view", "method", "status"],
)
LATENCY = Histogram(
    "rms_http_request_duration_seconds",
    "Time from the request reaching Django to its response, by view.",
    ["view"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
QUERIES = Histogram(
    "rms_db_queries_per_request",
    "Database queries one request ran, by view.",
    ["view"],
    buckets=(0, 1, 2, 5, 10, 20, 50, 100, 200),
)


class QueryCounter:
    """An execute_wrapper: counts the queries a request runs, on every connection."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class MetricsMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        counter = QueryCounter()
        started = time.perf_counter()
        with ExitStack() as stack:
            for connection in connections.all():
                stack.enter_context(connection.execute_wrapper(counter))
            response = self.get_response(request)
        # The view's name, not its path: one series per view, however many applicants.
        match = request.resolver_match
        view = match.view_name if match else "unresolved"
        REQUESTS.labels(view, request.method, str(response.status_code)).inc()
        LATENCY.labels(view).observe(time.perf_counter() - started)
        QUERIES.labels(view).observe(counter.count)
        return response


class DomainCollector:
    """What the recruiters and the queue hold now, read once per scrape."""

    def collect(self):
        from recruitment.models import Applicant, Application

        yield GaugeMetricFamily(
            "rms_applicants", "Applicants on record.", value=Applicant.objects.count()
        )
        stages = GaugeMetricFamily(
            "rms_applications_open", "Open applications, by stage.", labels=["stage"]
        )
        open_ones = Application.objects.filter(closed_at__isnull=True)
        for row in open_ones.values("stage").annotate(n=Count("id")).order_by("stage"):
            stages.add_metric([row["stage"]], row["n"])
        yield stages
        yield GaugeMetricFamily(
            "rms_applications_closed",
            "Closed applications.",
            value=Application.objects.filter(closed_at__isnull=False).count(),
        )
        queued = queue_length()
        if queued is not None:
            yield GaugeMetricFamily(
                "rms_queue_length", "Tasks waiting in the instance's Celery queue.", value=queued
            )


def queue_length() -> int | None:
    """None with no broker (tasks run in the web worker) or when it does not answer."""
    if not settings.CELERY_BROKER_URL:
        return None
    client = redis.Redis.from_url(
        settings.CELERY_BROKER_URL, socket_connect_timeout=1, socket_timeout=1
    )
    try:
        return client.llen(settings.CELERY_TASK_DEFAULT_QUEUE)
    except (redis.RedisError, OSError):
        return None
    finally:
        client.close()


def allowed(request) -> bool:
    token = settings.RMS_METRICS_TOKEN
    header = request.headers.get("Authorization", "")
    if token and secrets.compare_digest(header.encode(), f"Bearer {token}".encode()):
        return True
    try:
        address = ipaddress.ip_address(client_address(request))
    except ValueError:
        return False
    return any(address in network for network in settings.RMS_METRICS_NETWORKS)


def exposition() -> bytes:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        workers = CollectorRegistry()
        MultiProcessCollector(workers)
    else:
        workers = REGISTRY
    domain = CollectorRegistry(auto_describe=False)
    domain.register(DomainCollector())
    return generate_latest(workers) + generate_latest(domain)


@require_GET
@never_cache
@login_not_required
def metrics(request):
    if not allowed(request):
        return HttpResponseForbidden(
            "/metrics is readable from RMS_METRICS_ADDRESSES or with RMS_METRICS_TOKEN\n",
            content_type="text/plain",
        )
    return HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)
