"""The admin, as a member of the "admins" group uses it.

`admin_client` is pytest-django's, logged in as the `admin_user` of tests/conftest.py:
staff, not a superuser, so the group's permissions are what is tested.
"""

from datetime import timedelta

import factory
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from recruitment import services
from recruitment.admin import ApplicationForm
from recruitment.factories import (
    ActivityFactory,
    ApplicantFactory,
    ApplicationFactory,
    CityFactory,
    SourceFactory,
    TagFactory,
    UserFactory,
    VacancyFactory,
)
from recruitment.models import Activity, Application, CloseReason, Stage, Vacancy

pytestmark = pytest.mark.django_db


def _named(factory_class):
    # The lookup factories cycle through a few fixed names; lists need more rows.
    def make(count):
        name = factory.Sequence(lambda n: f"{factory_class.__name__} {n}")
        return factory_class.create_batch(count, name=name)

    return make


def _vacancies(count):
    vacancies = VacancyFactory.create_batch(count)
    for vacancy in vacancies:
        vacancy.cities.add(CityFactory())
        ApplicationFactory(vacancy=vacancy)
    return vacancies


def _activity():
    application = ApplicationFactory()
    return ActivityFactory(
        applicant=application.applicant,
        application=application,
        actor=UserFactory(),
        kind=Activity.Kind.STAGE_CHANGED,
        from_stage=Stage.APPLICATION,
        to_stage=Stage.CONFIRMATION,
    )


ROWS = {
    "city": _named(CityFactory),
    "source": _named(SourceFactory),
    "tag": _named(TagFactory),
    "vacancy": _vacancies,
    "applicant": ApplicantFactory.create_batch,
    "application": ApplicationFactory.create_batch,
    "activity": lambda count: [_activity() for _ in range(count)],
}


def _changelist(model_name):
    return reverse(f"admin:recruitment_{model_name}_changelist")


def _change(obj):
    return reverse(f"admin:recruitment_{obj._meta.model_name}_change", args=[obj.pk])


def _select(client, action, *applications):
    data = {"action": action, "_selected_action": [a.pk for a in applications]}
    return client.post(_changelist("application"), data, follow=True)


@pytest.mark.parametrize("model_name", ROWS)
def test_changelist_shows_the_rows(admin_client, model_name):
    rows = ROWS[model_name](2)

    response = admin_client.get(_changelist(model_name))

    assert response.status_code == 200
    for row in rows:
        assertContains(response, _change(row))


@pytest.mark.parametrize("model_name", ROWS)
def test_changelist_query_count_does_not_grow_with_rows(admin_client, model_name):
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            response = admin_client.get(_changelist(model_name))
        return len(queries), len(response.context["cl"].result_list)

    ROWS[model_name](5)
    queries_for_5, shown = count_queries()
    assert shown == 5
    ROWS[model_name](20)

    assert count_queries() == (queries_for_5, 25)


def test_search_finds_an_applicant_by_email(admin_client):
    wanted = ApplicantFactory(email="ola.nowak@example.com")
    other = ApplicantFactory(email="jan.kowalski@example.com")

    response = admin_client.get(_changelist("applicant"), {"q": "ola.nowak@"})

    assertContains(response, _change(wanted))
    assertNotContains(response, _change(other))


def test_applicant_autocomplete_returns_matches(admin_client):
    wanted = ApplicantFactory(first_name="Ola", last_name="Kowalska")
    ApplicantFactory(first_name="Jan", last_name="Nowak")
    query = {
        "app_label": "recruitment",
        "model_name": "application",
        "field_name": "applicant",
        "term": "kowal",
    }

    response = admin_client.get(reverse("admin:autocomplete"), query)

    assert response.json()["results"] == [{"id": str(wanted.pk), "text": "Ola Kowalska"}]


def test_applicant_page_shows_the_timeline_newest_first(admin_client):
    applicant = ApplicantFactory()
    now = timezone.now()
    ActivityFactory(applicant=applicant, body="Older note", created_at=now - timedelta(days=1))
    ActivityFactory(applicant=applicant, body="Newer note", created_at=now)

    content = admin_client.get(_change(applicant)).content.decode()

    assert content.index("Newer note") < content.index("Older note")


def test_applicant_page_query_count_does_not_grow_with_the_timeline(admin_client):
    applicant = ApplicantFactory()

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(_change(applicant)).status_code == 200
        return len(queries)

    def add_activities(count):
        for _ in range(count):
            application = ApplicationFactory(applicant=applicant)
            ActivityFactory(applicant=applicant, application=application, actor=UserFactory())

    add_activities(2)
    # The first request of a process also fills its caches (content types and the like).
    count_queries()
    queries_for_2 = count_queries()
    add_activities(10)

    assert count_queries() == queries_for_2


def test_move_to_next_stage_action_moves_and_records_it(admin_client, admin_user):
    application = ApplicationFactory(stage=Stage.VERIFICATION)

    response = _select(admin_client, "move_to_next_stage", application)

    assertContains(response, "Moved to the next stage: 1.")
    application.refresh_from_db()
    assert application.stage == Stage.INTERVIEW
    activity = application.activities.get()
    assert activity.kind == Activity.Kind.STAGE_CHANGED
    assert (activity.from_stage, activity.to_stage) == (Stage.VERIFICATION, Stage.INTERVIEW)
    assert activity.actor == admin_user


def test_move_to_next_stage_refuses_a_closed_application(admin_client):
    application = services.application_close(
        application=ApplicationFactory(), reason=CloseReason.REJECTED, actor=None
    )

    response = _select(admin_client, "move_to_next_stage", application)

    assert response.status_code == 200
    assertContains(response, "This application is closed (Rejected); it cannot change.")
    assertNotContains(response, "Moved to the next stage")
    application.refresh_from_db()
    assert application.stage == Stage.APPLICATION
    assert application.activities.count() == 1


def test_move_to_next_stage_refuses_the_last_stage_and_moves_the_rest(admin_client):
    last = ApplicationFactory(stage=Stage.EMPLOYMENT)
    first = ApplicationFactory(stage=Stage.APPLICATION)

    response = _select(admin_client, "move_to_next_stage", last, first)

    assertContains(response, "It is at the last stage already.")
    assertContains(response, "Moved to the next stage: 1.")
    last.refresh_from_db()
    first.refresh_from_db()
    assert (last.stage, first.stage) == (Stage.EMPLOYMENT, Stage.CONFIRMATION)
    assert not last.activities.exists()


@pytest.mark.parametrize(
    ("action", "reason"),
    [("close_as_rejected", CloseReason.REJECTED), ("close_as_withdrawn", CloseReason.WITHDRAWN)],
)
def test_close_action_closes_and_records_it(admin_client, admin_user, action, reason):
    application = ApplicationFactory()

    _select(admin_client, action, application)

    application.refresh_from_db()
    assert application.is_closed
    assert application.close_reason == reason
    activity = application.activities.get()
    assert (activity.kind, activity.actor) == (Activity.Kind.APPLICATION_CLOSED, admin_user)


def test_application_state_cannot_be_edited_on_its_page(admin_client):
    application = ApplicationFactory()

    page = admin_client.get(_change(application))
    posted = admin_client.post(_change(application), {"stage": Stage.DECISION})

    assert page.status_code == 200
    assertNotContains(page, 'name="stage"')
    assert posted.status_code == 403
    application.refresh_from_db()
    assert application.stage == Stage.APPLICATION


def test_adding_an_application_goes_through_the_service(admin_client, admin_user):
    applicant, vacancy = ApplicantFactory(), VacancyFactory()
    data = {"applicant": applicant.pk, "vacancy": vacancy.pk, "stage": Stage.INTERVIEW}

    response = admin_client.post(reverse("admin:recruitment_application_add"), data)

    assert response.status_code == 302
    application = Application.objects.get()
    assert (application.applicant, application.vacancy) == (applicant, vacancy)
    activity = application.activities.get()
    assert activity.kind == Activity.Kind.APPLICATION_CREATED
    assert (activity.to_stage, activity.actor) == (Stage.INTERVIEW, admin_user)


def test_adding_a_duplicate_open_application_shows_a_form_error(admin_client):
    existing = ApplicationFactory()
    data = {
        "applicant": existing.applicant.pk,
        "vacancy": existing.vacancy.pk,
        "stage": "application",
    }

    response = admin_client.post(reverse("admin:recruitment_application_add"), data)

    assertContains(response, "This applicant already has an open application here.")
    assert Application.objects.count() == 1
    assert not Activity.objects.exists()


def test_adding_an_application_for_a_closed_vacancy_shows_a_form_error(admin_client):
    data = {
        "applicant": ApplicantFactory().pk,
        "vacancy": VacancyFactory(is_open=False).pk,
        "stage": Stage.APPLICATION,
    }

    response = admin_client.post(reverse("admin:recruitment_application_add"), data)

    assertContains(response, "This vacancy is closed.")
    assert not Application.objects.exists()


def test_adding_an_application_that_loses_a_race_shows_the_refusal(admin_client, monkeypatch):
    # As if the duplicate was saved between the form's check and the service's insert.
    monkeypatch.setattr(ApplicationForm, "validate_unique", lambda form: None)
    existing = ApplicationFactory()
    data = {
        "applicant": existing.applicant.pk,
        "vacancy": existing.vacancy.pk,
        "stage": "application",
    }

    response = admin_client.post(reverse("admin:recruitment_application_add"), data, follow=True)

    assert response.status_code == 200
    assertContains(response, "already has an open application for")
    assert Application.objects.count() == 1
    assert not Activity.objects.exists()


def test_activities_cannot_be_added_changed_or_deleted(admin_client):
    activity = ActivityFactory(body="Called, no answer.")

    added = admin_client.get(reverse("admin:recruitment_activity_add"))
    changed = admin_client.post(_change(activity), {"body": "Rewritten."})
    deleted = admin_client.post(
        reverse("admin:recruitment_activity_delete", args=[activity.pk]), {"post": "yes"}
    )
    listed = admin_client.get(_changelist("activity"))

    assert (added.status_code, changed.status_code, deleted.status_code) == (403, 403, 403)
    assertNotContains(listed, "delete_selected")
    activity.refresh_from_db()
    assert activity.body == "Called, no answer."


def test_vacancy_description_is_sanitized_on_save(admin_client):
    data = {
        "title": "Python Developer",
        "description": '<p>Join <strong>us</strong></p><script>alert("x")</script>',
        "is_open": "on",
    }

    response = admin_client.post(reverse("admin:recruitment_vacancy_add"), data)

    assert response.status_code == 302
    assert Vacancy.objects.get().description == "<p>Join <strong>us</strong></p>"
