import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from recruitment.factories import (
    ActivityFactory,
    ApplicationFactory,
    SourceFactory,
    VacancyFactory,
)
from recruitment.models import Activity, Application, Stage
from recruitment.reports import application_report, application_report_from_timeline

pytestmark = pytest.mark.django_db


def test_funnel_counts_each_stage_reached_and_the_conversion_to_the_next():
    for stage, count in ((Stage.APPLICATION, 4), (Stage.INTERVIEW, 3), (Stage.EMPLOYMENT, 1)):
        ApplicationFactory.create_batch(count, stage=stage)
    ApplicationFactory(stage=Stage.INTERVIEW, closed_at=timezone.now(), close_reason="rejected")

    funnel = {
        step.stage: step
        for step in application_report(applications=Application.objects.all()).funnel
    }

    assert funnel[Stage.APPLICATION].reached == 9
    assert funnel[Stage.CONFIRMATION].reached == 5
    assert funnel[Stage.INTERVIEW].reached == 5
    assert funnel[Stage.DECISION].reached == 1
    assert funnel[Stage.APPLICATION].conversion == pytest.approx(5 / 9)
    assert funnel[Stage.EMPLOYMENT].conversion is None


def test_sources_and_vacancies_are_counted():
    fair = SourceFactory(name="Job fair")
    qa = VacancyFactory(title="QA")
    ApplicationFactory.create_batch(2, vacancy=qa, applicant__source=fair)
    ApplicationFactory(vacancy=VacancyFactory(title="PM"), applicant__source=fair)

    report = application_report(applications=Application.objects.all())

    assert report.by_source == [("Job fair", 3)]
    assert report.by_vacancy == [("QA", 2), ("PM", 1)]


def timeline(application, *entries):
    """Timeline rows for `application`: (days after the start, kind, from stage, to stage)."""
    start = timezone.now() - datetime.timedelta(days=60)
    for days, kind, from_stage, to_stage in entries:
        ActivityFactory(
            applicant=application.applicant,
            application=application,
            kind=kind,
            from_stage=from_stage,
            to_stage=to_stage,
            body="",
            created_at=start + datetime.timedelta(days=days),
        )


def test_median_days_in_a_stage_counts_only_finished_stays():
    created, moved, closed = (
        Activity.Kind.APPLICATION_CREATED,
        Activity.Kind.STAGE_CHANGED,
        Activity.Kind.APPLICATION_CLOSED,
    )
    for days_in_application in (2, 4, 9):
        timeline(
            ApplicationFactory(stage=Stage.CONFIRMATION),
            (0, created, "", Stage.APPLICATION),
            (days_in_application, moved, Stage.APPLICATION, Stage.CONFIRMATION),
        )
    timeline(
        ApplicationFactory(stage=Stage.CONFIRMATION),
        (0, created, "", Stage.APPLICATION),
        (1, moved, Stage.APPLICATION, Stage.CONFIRMATION),
        (12, closed, Stage.CONFIRMATION, ""),
    )

    days = dict(application_report(applications=Application.objects.all()).median_days)

    assert days[Stage.APPLICATION] == 3.0
    assert days[Stage.CONFIRMATION] == 11.0
    assert days[Stage.INTERVIEW] is None


def test_report_page_follows_the_list_filters(recruiter_client):
    qa = VacancyFactory(title="QA")
    ApplicationFactory.create_batch(2, vacancy=qa)
    ApplicationFactory(vacancy=VacancyFactory(title="PM"))

    response = recruiter_client.get("/applicants/report/", {"vacancy": qa.pk})

    assert response.status_code == 200
    assert response.context["report"].total == 2
    assert response.context["chart_data"]["vacancies"] == {"labels": ["QA"], "values": [2]}
    assert 'id="report-data"' in response.content.decode()


def report_queries(client, django_assert_num_queries, query, expected: int):
    with django_assert_num_queries(expected):
        response = client.get("/applicants/report/", query)
    return response.context["report"]


def test_the_report_costs_the_same_queries_however_many_applications(
    recruiter_client, django_assert_num_queries
):
    # Unfiltered, or by vacancies alone: session, user, role; the two tallies; source
    # names, vacancy titles (7). By a row-level filter (text): the same three;
    # applications per stage, vacancy and source, the stays per stage and length; source
    # names, vacancy titles (7).
    qa = VacancyFactory(title="QA")
    ApplicationFactory.create_batch(2, vacancy=qa)
    assert report_queries(recruiter_client, django_assert_num_queries, {}, 7).total == 2
    assert report_queries(recruiter_client, django_assert_num_queries, {"vacancy": qa.pk}, 7)

    for title in ("PM", "Łódź DevOps", "Żabka QA"):
        ApplicationFactory.create_batch(3, vacancy=VacancyFactory(title=title))
    ApplicationFactory.create_batch(3, vacancy=qa)

    assert report_queries(recruiter_client, django_assert_num_queries, {}, 7).total == 14
    by_vacancy = report_queries(recruiter_client, django_assert_num_queries, {"vacancy": qa.pk}, 7)
    assert by_vacancy.total == 5
    report_queries(
        recruiter_client, django_assert_num_queries, {"vacancy": qa.pk, "search": "a"}, 7
    )


def test_a_vacancy_filter_alone_reads_the_summary_not_the_applications(recruiter_client):
    qa, pm = VacancyFactory(title="QA"), VacancyFactory(title="Łódź PM")
    ApplicationFactory.create_batch(2, vacancy=qa, stage=Stage.INTERVIEW)
    ApplicationFactory(vacancy=pm)

    with CaptureQueriesContext(connection) as queries:
        response = recruiter_client.get("/applicants/report/", {"vacancy": [qa.pk, pm.pk]})

    assert not [q for q in queries if 'FROM "recruitment_application"' in q["sql"]]
    report = response.context["report"]
    assert report.by_vacancy == [("QA", 2), ("Łódź PM", 1)]
    chosen = Application.objects.filter(vacancy__in=[qa, pm])
    assert report == application_report_from_timeline(applications=chosen)


def test_the_unfiltered_page_reads_the_summary_and_agrees_with_the_timeline(recruiter_client):
    ApplicationFactory.create_batch(3, stage=Stage.INTERVIEW)
    ApplicationFactory(stage=Stage.DECISION, closed_at=timezone.now(), close_reason="withdrawn")

    report = recruiter_client.get("/applicants/report/").context["report"]

    assert report == application_report_from_timeline(applications=Application.objects.all())
    assert [step.reached for step in report.funnel][:4] == [4, 4, 4, 4]
