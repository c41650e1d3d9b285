import pytest

from recruitment import services
from recruitment.factories import ActivityFactory, ApplicantFactory, ApplicationFactory
from recruitment.models import Activity

pytestmark = pytest.mark.django_db


def test_list_per_applicant_newest_first(api):
    anna, other = ApplicantFactory(), ApplicantFactory()
    old = ActivityFactory(applicant=anna)
    new = ActivityFactory(applicant=anna)
    new.created_at = old.created_at.replace(year=old.created_at.year + 1)
    new.save()
    ActivityFactory(applicant=other)

    response = api.get("/api/v1/activities/", {"applicant": anna.pk})

    assert [row["id"] for row in response.json()["results"]] == [new.pk, old.pk]


def test_add_note_sanitizes_and_records_the_author(api, recruiter):
    application = ApplicationFactory()

    response = api.post(
        "/api/v1/activities/",
        {
            "applicant": application.applicant_id,
            "application": application.pk,
            "body": '<p>Good <b>Django</b><script>alert("x")</script></p>',
        },
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["kind"], body["actor"], body["application"]) == (
        "note.added",
        "rita",
        application.pk,
    )
    assert body["body"] == "<p>Good <b>Django</b></p>"
    application.applicant.refresh_from_db()
    assert application.applicant.notes_count == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [("<p> </p>", "body"), ("<script>x</script>", "body"), ("", "body")],
)
def test_empty_note_is_400(api, body, field):
    applicant = ApplicantFactory()

    response = api.post("/api/v1/activities/", {"applicant": applicant.pk, "body": body})

    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert not Activity.objects.exists()


def test_note_on_someone_elses_application_is_400(api):
    application = ApplicationFactory()

    response = api.post(
        "/api/v1/activities/",
        {"applicant": ApplicantFactory().pk, "application": application.pk, "body": "Hi"},
    )

    assert response.json() == {"application": ["That application belongs to someone else."]}


def test_activities_cannot_be_edited(api):
    url = f"/api/v1/activities/{ActivityFactory().pk}/"

    assert api.patch(url, {"body": "rewritten"}).status_code == 405


@pytest.mark.parametrize("rows", [5, 50])
def test_list_query_count_does_not_grow_with_rows(api, recruiter, django_assert_num_queries, rows):
    applicant = ApplicantFactory()
    ActivityFactory.create_batch(rows, applicant=applicant, actor=recruiter)

    # 1. the token and its user, 2. the user's role, 3. the page of activities with
    # their actors. (The applicant filter takes the id as given: no query.)
    with django_assert_num_queries(3):
        response = api.get("/api/v1/activities/", {"applicant": applicant.pk})

    assert len(response.json()["results"]) == rows


def test_deleted_note_is_listed_without_its_text(api, recruiter):
    applicant = ApplicantFactory()
    note = services.note_add(applicant=applicant, body="<p>Secret</p>", actor=recruiter)
    services.note_delete(note=note, actor=recruiter)

    rows = api.get("/api/v1/activities/", {"applicant": applicant.pk}).json()["results"]

    deleted = next(row for row in rows if row["id"] == note.pk)
    assert deleted["body"] == ""
    assert deleted["deleted_at"] is not None
    assert [row["kind"] for row in rows] == ["note.deleted", "note.added"]
