"""/metrics: Prometheus' text format, counting what the site did, shown only to the
addresses and the token allowed."""

import pytest
from django.urls import reverse
from prometheus_client.parser import text_string_to_metric_families

from recruitment.factories import ApplicationFactory
from recruitment.models import Stage


def samples(response) -> dict:
    """{(name, frozenset(labels)): value} of every sample in the exposition."""
    text = response.content.decode()
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(parsed: dict, name: str, **labels) -> float:
    return parsed.get((name, frozenset(labels.items())), 0.0)


@pytest.mark.django_db
def test_metrics_count_requests_by_view_and_status_and_the_queries_they_ran(
    client, recruiter_client
):
    before = samples(client.get("/metrics"))
    recruiter_client.get(reverse("dashboard"))
    recruiter_client.get("/no-such-page/")
    after = samples(client.get("/metrics"))

    requests = "rms_http_requests_total"
    seen = {"view": "dashboard", "method": "GET", "status": "200"}
    assert value(after, requests, **seen) == value(before, requests, **seen) + 1
    missing = {"view": "unresolved", "method": "GET", "status": "404"}
    assert value(after, requests, **missing) == value(before, requests, **missing) + 1
    latency = "rms_http_request_duration_seconds_count"
    assert value(after, latency, view="dashboard") == value(before, latency, view="dashboard") + 1
    # The dashboard reads the session, the user and its lists: some queries, counted.
    queries = "rms_db_queries_per_request_sum"
    assert value(after, queries, view="dashboard") > value(before, queries, view="dashboard")


@pytest.mark.django_db
def test_metrics_show_applicants_and_open_applications_by_stage(client):
    ApplicationFactory(applicant__first_name="Łucja", stage=Stage.INTERVIEW)
    ApplicationFactory(applicant__last_name="Żółć", stage=Stage.INTERVIEW)
    ApplicationFactory(stage=Stage.APPLICATION)

    parsed = samples(client.get("/metrics"))

    assert value(parsed, "rms_applicants") == 3
    assert value(parsed, "rms_applications_open", stage="interview") == 2
    assert value(parsed, "rms_applications_open", stage="application") == 1
    assert value(parsed, "rms_applications_closed") == 0


@pytest.mark.django_db
def test_metrics_show_the_queue_length_when_there_is_a_broker(client, settings, redis_url):
    import redis

    settings.CELERY_BROKER_URL = redis_url
    settings.CELERY_TASK_DEFAULT_QUEUE = "rms-metrics-test"
    broker = redis.Redis.from_url(redis_url)
    broker.delete("rms-metrics-test")
    broker.rpush("rms-metrics-test", "a", "b")
    try:
        parsed = samples(client.get("/metrics"))
    finally:
        broker.delete("rms-metrics-test")
        broker.close()

    assert value(parsed, "rms_queue_length") == 2


@pytest.mark.django_db
def test_metrics_are_refused_to_other_addresses_without_the_token(client, settings):
    settings.RMS_METRICS_TOKEN = "s3cret-token"

    refused = client.get("/metrics", REMOTE_ADDR="203.0.113.9")
    wrong = client.get(
        "/metrics", REMOTE_ADDR="203.0.113.9", headers={"Authorization": "Bearer nope"}
    )
    with_token = client.get(
        "/metrics", REMOTE_ADDR="203.0.113.9", headers={"Authorization": "Bearer s3cret-token"}
    )

    assert refused.status_code == 403
    assert wrong.status_code == 403
    assert with_token.status_code == 200
    assert "rms_applicants" in with_token.content.decode()


@pytest.mark.django_db
def test_metrics_answer_an_allowed_network(client, settings):
    import ipaddress

    settings.RMS_METRICS_NETWORKS = [ipaddress.ip_network("10.1.0.0/16")]

    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 403
