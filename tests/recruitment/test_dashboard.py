import pytest
from django.utils import timezone

from recruitment.factories import ApplicationFactory
from recruitment.models import Stage

pytestmark = pytest.mark.django_db


def shown_counts(response) -> dict:
    return {key: count for key, _label, count in response.context["tabs"]}


def test_dashboard_shows_open_applications_per_stage(recruiter_client):
    ApplicationFactory.create_batch(3, stage=Stage.APPLICATION)
    ApplicationFactory.create_batch(2, stage=Stage.INTERVIEW)
    ApplicationFactory(stage=Stage.EMPLOYMENT)
    ApplicationFactory(stage=Stage.INTERVIEW, closed_at=timezone.now(), close_reason="rejected")

    response = recruiter_client.get("/")

    assert shown_counts(response) == {
        "all": 6,
        "application": 3,
        "confirmation": 0,
        "verification": 0,
        "interview": 2,
        "decision": 0,
        "employment": 1,
    }
    assert response.context["closed_count"] == 1
    assert b"Interview" in response.content


@pytest.mark.parametrize("rows", [5, 50])
def test_dashboard_query_count_does_not_grow_with_applications(
    recruiter_client, django_assert_num_queries, rows
):
    ApplicationFactory.create_batch(rows)

    # 1. the session, 2. the signed-in user, 3. the user's role, 4. every stage count
    # in one aggregate.
    with django_assert_num_queries(4):
        response = recruiter_client.get("/")

    assert shown_counts(response)["all"] == rows
