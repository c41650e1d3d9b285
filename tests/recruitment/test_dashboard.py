import datetime

import pytest
from django.utils import timezone

from recruitment import services
from recruitment.factories import ApplicantFactory, ApplicationFactory, UserFactory
from recruitment.models import Activity, Stage

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
    # in one aggregate, 5. whether the user is in charge of a vacancy, 6-7. the stale
    # applications and their count, 8-9. the unconfirmed ones and their count, 10. the
    # latest activity.
    with django_assert_num_queries(10):
        response = recruiter_client.get("/")

    assert shown_counts(response)["all"] == rows


def test_the_work_list_shows_stale_unconfirmed_and_recent(recruiter_client, recruiter, settings):
    settings.RMS_STALE_DAYS = 10
    long_ago = timezone.now() - datetime.timedelta(days=11)
    quiet = ApplicationFactory(
        applicant=ApplicantFactory(first_name="Quiet", latest_activity_at=long_ago),
        stage=Stage.INTERVIEW,
    )
    ApplicationFactory(applicant=ApplicantFactory(first_name="Busy"), stage=Stage.INTERVIEW)
    waiting = ApplicationFactory(applicant=ApplicantFactory(first_name="Waiting"))
    ApplicationFactory(
        applicant=ApplicantFactory(first_name="Closed", latest_activity_at=long_ago),
        closed_at=timezone.now(),
        close_reason="rejected",
    )
    services.note_add(applicant=waiting.applicant, body="<p>called</p>", actor=recruiter)
    services.application_move_to_stage(
        application=waiting, stage=Stage.CONFIRMATION, actor=recruiter
    )
    fresh = ApplicationFactory(applicant=ApplicantFactory(first_name="Fresh"))

    response = recruiter_client.get("/")

    work = response.context["work"]
    assert [a.pk for a in work.stale] == [quiet.pk]
    assert [a.pk for a in work.unconfirmed] == [fresh.pk]
    assert (work.stale_count, work.unconfirmed_count) == (1, 1)
    assert work.recent[0].kind == Activity.Kind.STAGE_CHANGED
    html = response.content.decode()
    # Once, in the page: the browser tab says only "Dashboard".
    assert html.count("1 quiet for 10 days or more") == 1
    assert "1 not yet confirmed" in html
    assert "<title>Dashboard · Recruitment</title>" in html


def test_an_interviewer_sees_only_the_work_of_assigned_vacancies(client):
    from django.contrib.auth.models import Group

    interviewer = UserFactory(username="ivan")
    interviewer.groups.add(Group.objects.get(name="interviewers"))
    theirs = ApplicationFactory()
    theirs.vacancy.interviewers.add(interviewer)
    ApplicationFactory()
    client.force_login(interviewer)

    work = client.get("/").context["work"]

    assert [a.pk for a in work.unconfirmed] == [theirs.pk]


def test_a_recruiter_in_charge_of_vacancies_sees_their_work_and_can_see_everyones(
    recruiter_client, recruiter
):
    mine = ApplicationFactory(applicant=ApplicantFactory(first_name="Mine"))
    services.vacancy_update(vacancy=mine.vacancy, recruiters=[recruiter])
    others = ApplicationFactory(applicant=ApplicantFactory(first_name="Others"))

    own = recruiter_client.get("/")
    everyone = recruiter_client.get("/", {"scope": "all"})

    assert [a.pk for a in own.context["work"].unconfirmed] == [mine.pk]
    assert "<strong>My vacancies</strong>" in own.content.decode()
    assert {a.pk for a in everyone.context["work"].unconfirmed} == {mine.pk, others.pk}
    assert "<strong>Everyone's</strong>" in everyone.content.decode()
    # The counts are the office's either way.
    assert shown_counts(own)["all"] == shown_counts(everyone)["all"] == 2


def test_a_recruiter_in_charge_of_nothing_sees_everyones_work(recruiter_client):
    ApplicationFactory.create_batch(2)

    response = recruiter_client.get("/")

    assert len(response.context["work"].unconfirmed) == 2
    assert "My vacancies" not in response.content.decode()


@pytest.mark.postgres
def test_postgres_latest_activity_walks_the_recent_index(recruiter):
    from django.db import connection

    from recruitment.models import Application
    from recruitment.selectors import dashboard_work_list

    application = ApplicationFactory()
    services.note_add(applicant=application.applicant, body="<p>x</p>", actor=recruiter)
    recent = Activity.objects.filter(
        applicant__in=Application.objects.values("applicant")
    ).order_by("-created_at", "-id")[:10]
    sql, params = recent.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "activity_recent_idx" in plan
    shown = dashboard_work_list(applications=Application.objects.all(), stale_days=1).recent
    assert [activity.kind for activity in shown] == [Activity.Kind.NOTE]
