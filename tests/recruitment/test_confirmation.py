"""Applications candidates sent themselves (the careers site) on the recruiters' side:
where they came from, whether the candidate confirmed, and the "unconfirmed" filter.

A candidate's application is made the way the careers site makes it: through
application_create with no staff member acting, and confirmed by a move to Confirmation
with no actor either.
"""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from recruitment import services
from recruitment.factories import ApplicantFactory, VacancyFactory
from recruitment.models import Application, Source, Stage
from tests.recruitment.api.conftest import token_client

pytestmark = pytest.mark.django_db


def sent(name: str, *, days_ago: float, actor=None, source="Careers page") -> Application:
    source = Source.objects.get_or_create(name=source)[0]
    applicant = ApplicantFactory(first_name=name, source=source)
    application = services.application_create(
        applicant=applicant, vacancy=VacancyFactory(title=f"Job of {name}"), actor=actor
    )
    Application.objects.filter(pk=application.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=days_ago)
    )
    return application


def confirm(application: Application) -> None:
    services.application_move_to_stage(
        application=application, stage=Stage.CONFIRMATION, actor=None
    )


@pytest.fixture
def applications(recruiter, settings):
    settings.RMS_CAREERS_UNCONFIRMED_DAYS = 3
    rows = {
        "overdue": sent("Łucja", days_ago=4),
        "recent": sent("Żaneta", days_ago=1),
        "confirmed": sent("Ślęzak", days_ago=5, source="LinkedIn"),
        "entered": sent("Oskar", days_ago=9, actor=recruiter, source="Job fair"),
        "closed": sent("Ćwik", days_ago=6),
    }
    confirm(rows["confirmed"])
    services.application_close(application=rows["closed"], reason="withdrawn", actor=recruiter)
    return rows


def names(response) -> set[str]:
    return {row.applicant.first_name for row in response.context["listing"].page.object_list}


def test_the_filter_keeps_the_overdue_applications_candidates_sent(recruiter_client, applications):
    assert names(recruiter_client.get("/applicants/", {"unconfirmed": "true"})) == {"Łucja"}
    assert names(recruiter_client.get("/applicants/", {"unconfirmed": "false"})) == {
        "Żaneta", "Ślęzak", "Oskar",
    }  # fmt: skip
    assert len(names(recruiter_client.get("/applicants/"))) == 4


def test_the_days_come_from_the_setting(recruiter_client, applications, settings):
    settings.RMS_CAREERS_UNCONFIRMED_DAYS = 0
    assert names(recruiter_client.get("/applicants/", {"unconfirmed": "true"})) == {
        "Łucja", "Żaneta",
    }  # fmt: skip


def test_the_api_filters_alike(recruiter, applications):
    response = token_client(recruiter).get("/api/v1/applications/", {"unconfirmed": "true"})
    assert [row["id"] for row in response.json()["results"]] == [applications["overdue"].pk]


def _row(html: str, application: Application) -> str:
    return re.search(rf'<tr data-application="{application.pk}"[^>]*>.*?</tr>', html, re.S)[0]


def test_the_list_shows_source_and_confirmation_and_flags_the_overdue(
    recruiter_client, applications
):
    html = recruiter_client.get("/applicants/").text
    overdue = _row(html, applications["overdue"])
    assert 'class="table-warning unconfirmed"' in overdue
    assert "Unconfirmed" in overdue and "Careers page" in overdue
    recent = _row(html, applications["recent"])
    assert "awaiting confirmation" in recent and "table-warning" not in recent
    confirmed = _row(html, applications["confirmed"])
    assert "Confirmed by the candidate" in confirmed and "LinkedIn" in confirmed
    entered = _row(html, applications["entered"])
    assert "confirm" not in entered.lower() and "Job fair" in entered


def test_the_applicant_record_shows_them_too(recruiter_client, applications):
    page = recruiter_client.get(f"/applicants/{applications['overdue'].applicant_id}/").text
    assert "Unconfirmed" in page and "Careers page" in page
    page = recruiter_client.get(f"/applicants/{applications['confirmed'].applicant_id}/").text
    assert "Confirmed by the candidate" in page and "LinkedIn" in page
    page = recruiter_client.get(f"/applicants/{applications['entered'].applicant_id}/").text
    assert "Confirmed by the candidate" not in page and "Unconfirmed" not in page


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/applicants/", {"unconfirmed": "false"}).status_code == 200
    return len(queries)


def test_the_confirmation_columns_cost_no_query_per_row(recruiter_client, recruiter):
    for number in range(3):
        confirm(sent(f"Ola{number}", days_ago=number))
    few = _queries(recruiter_client)
    for number in range(30):
        application = sent(f"Iga{number}", days_ago=number)
        if number % 2:
            confirm(application)
    assert _queries(recruiter_client) == few
