import pytest
from django.utils import timezone

from recruitment import services
from recruitment.factories import (
    ApplicantFactory,
    ApplicationFactory,
    CityFactory,
    TagFactory,
    VacancyFactory,
)
from recruitment.models import Activity, Application, Stage

pytestmark = pytest.mark.django_db


def ids(response) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


def closed(**fields) -> Application:
    return ApplicationFactory(closed_at=timezone.now(), close_reason="rejected", **fields)


def test_list_shows_open_applications_unless_asked_for_closed(api):
    open_ = ApplicationFactory()
    gone = closed()

    assert ids(api.get("/api/v1/applications/")) == [open_.pk]
    assert ids(api.get("/api/v1/applications/", {"stage": "closed"})) == [gone.pk]


def test_same_query_string_gives_the_same_rows_as_the_list_page(api, recruiter_client):
    poznan = CityFactory(name="Poznań")
    python = TagFactory(name="python")
    for n, stage in enumerate([Stage.INTERVIEW, Stage.INTERVIEW, Stage.DECISION] * 3):
        applicant = ApplicantFactory(last_name=f"Name{n % 4}", city=poznan if n % 2 else None)
        applicant.tags.set([python] if n % 3 else [])
        ApplicationFactory(applicant=applicant, stage=stage)
    query = f"stage=interview&city={poznan.pk}&tags=python&sort=-name&per_page=25"

    page = recruiter_client.get(f"/applicants/?{query}")
    response = api.get(f"/api/v1/applications/?{query}")

    shown = [row.pk for row in page.context["listing"].page.object_list]
    assert shown
    assert ids(response) == shown


def test_list_pages_like_the_list_page(api):
    ApplicationFactory.create_batch(30)

    first = api.get("/api/v1/applications/", {"per_page": 25}).json()
    second = api.get(first["next"]).json()

    assert len(first["results"]) == 25
    assert len(second["results"]) == 5
    assert second["next"] is None
    assert "page=1" in second["previous"]


@pytest.mark.parametrize(
    ("query", "status", "field"),
    [
        ({"stage": "hired"}, 400, "stage"),
        ({"age_min": "abc"}, 400, "age_min"),
        ({"sort": "salary"}, 400, "sort"),
        ({"per_page": 7}, 400, "per_page"),
        ({"page": 0}, 404, "detail"),
        ({"page": "x"}, 404, "detail"),
    ],
)
def test_bad_list_parameters_are_refused(api, query, status, field):
    response = api.get("/api/v1/applications/", query)

    assert response.status_code == status
    assert field in response.json()


def test_create_starts_the_timeline(api, recruiter):
    applicant, vacancy = ApplicantFactory(), VacancyFactory()

    response = api.post("/api/v1/applications/", {"applicant": applicant.pk, "vacancy": vacancy.pk})

    assert response.status_code == 201, response.json()
    assert response.json()["stage"] == "application"
    assert response.json()["applicant"]["email"] == applicant.email
    activity = Activity.objects.get(kind=Activity.Kind.APPLICATION_CREATED)
    assert (activity.applicant, activity.actor) == (applicant, recruiter)


def test_create_refuses_a_second_open_application_and_a_closed_vacancy(api):
    application = ApplicationFactory()
    shut = VacancyFactory(is_open=False)

    twice = api.post(
        "/api/v1/applications/",
        {"applicant": application.applicant_id, "vacancy": application.vacancy_id},
    )
    closed_vacancy = api.post(
        "/api/v1/applications/", {"applicant": application.applicant_id, "vacancy": shut.pk}
    )

    assert twice.status_code == 400
    assert list(twice.json()) == ["vacancy"]
    assert closed_vacancy.json() == {"vacancy": ["This vacancy is closed."]}


def test_move_stage_records_who_moved_it(api, recruiter):
    application = ApplicationFactory(stage=Stage.VERIFICATION)

    response = api.post(
        f"/api/v1/applications/{application.pk}/move-stage/",
        {"stage": "interview", "expected_stage": "verification"},
    )

    assert response.status_code == 200, response.json()
    assert response.json()["stage"] == "interview"
    move = Activity.objects.get(kind=Activity.Kind.STAGE_CHANGED)
    assert (move.from_stage, move.to_stage, move.actor) == ("verification", "interview", recruiter)


def test_move_from_a_stage_someone_else_left_is_409(api, admin_user):
    application = ApplicationFactory(stage=Stage.VERIFICATION)
    services.application_move_to_stage(
        application=application, stage=Stage.DECISION, actor=admin_user
    )

    response = api.post(
        f"/api/v1/applications/{application.pk}/move-stage/",
        {"stage": "interview", "expected_stage": "verification"},
    )

    assert response.status_code == 409
    assert "meanwhile" in response.json()["detail"]
    application.refresh_from_db()
    assert application.stage == Stage.DECISION


def test_move_of_a_closed_application_is_409(api):
    application = closed()

    response = api.post(
        f"/api/v1/applications/{application.pk}/move-stage/", {"stage": "interview"}
    )

    assert response.status_code == 409
    assert "closed" in response.json()["detail"]


@pytest.mark.parametrize(
    ("body", "field"),
    [({"stage": "hired"}, "stage"), ({}, "stage"), ({"stage": "application"}, "stage")],
)
def test_bad_move_is_400_on_the_field(api, body, field):
    application = ApplicationFactory(stage=Stage.APPLICATION)

    response = api.post(f"/api/v1/applications/{application.pk}/move-stage/", body)

    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_close_then_close_again(api):
    application = ApplicationFactory()
    url = f"/api/v1/applications/{application.pk}/close/"

    first = api.post(url, {"reason": "withdrawn", "note": "Took another offer."})
    again = api.post(url, {"reason": "rejected"})

    assert first.status_code == 200, first.json()
    assert (first.json()["is_closed"], first.json()["close_reason"]) == (True, "withdrawn")
    assert again.status_code == 409
    assert api.post(url, {"reason": "fired"}).status_code == 400


def test_applications_cannot_be_edited_or_deleted_directly(api):
    url = f"/api/v1/applications/{ApplicationFactory().pk}/"

    assert api.patch(url, {"stage": "decision"}).status_code == 405
    assert api.delete(url).status_code == 405


@pytest.mark.parametrize("rows", [5, 50])
def test_list_query_count_does_not_grow_with_rows(api, django_assert_num_queries, rows):
    for application in ApplicationFactory.create_batch(rows):
        application.applicant.tags.set([TagFactory(name="python"), TagFactory(name="sql")])

    # 1. the token and its user, 2. the user's role, 3. the page's ids, 4. those
    # applications with applicant, city, source and vacancy, 5. the applicants' tags.
    with django_assert_num_queries(5):
        response = api.get("/api/v1/applications/")

    assert len(response.json()["results"]) == rows


def test_filtered_list_query_count(api, django_assert_num_queries):
    vacancy = VacancyFactory()
    ApplicationFactory.create_batch(5, vacancy=vacancy)

    # 1. the token and its user, 2. the user's role, 3. the page's ids, 4. their rows,
    # 5. the tags. (The vacancy filter takes the id as given: no query.)
    with django_assert_num_queries(5):
        response = api.get("/api/v1/applications/", {"vacancy": vacancy.pk})

    assert len(response.json()["results"]) == 5
