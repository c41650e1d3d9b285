import pytest

from recruitment.factories import ApplicantFactory, CityFactory, SourceFactory, TagFactory
from recruitment.models import Activity, Applicant

pytestmark = pytest.mark.django_db


def new_applicant(**fields) -> dict:
    return {"first_name": "Anna", "last_name": "Kowalska", "email": "anna@example.com", **fields}


def test_list_is_newest_first_in_cursor_pages(api):
    older, newer = ApplicantFactory(), ApplicantFactory()
    older.created_at = newer.created_at.replace(year=2020)
    older.save()

    first = api.get("/api/v1/applicants/", {"page_size": 1}).json()
    second = api.get(first["next"]).json()

    assert [row["id"] for row in first["results"]] == [newer.pk]
    assert [row["id"] for row in second["results"]] == [older.pk]
    assert second["next"] is None


def test_list_orders_by_name_and_filters_by_city(api):
    poznan, lodz = CityFactory(name="Poznań"), CityFactory(name="Łódź")
    ApplicantFactory(last_name="Zawada", city=poznan)
    ApplicantFactory(last_name="Adamska", city=poznan)
    ApplicantFactory(last_name="Nowak", city=lodz)

    response = api.get("/api/v1/applicants/", {"ordering": "last_name", "city": poznan.pk})

    assert [row["last_name"] for row in response.json()["results"]] == ["Adamska", "Zawada"]


def test_retrieve_shows_lookups_by_name(api):
    applicant = ApplicantFactory(city=CityFactory(name="Kraków"), birth_year=1990)
    applicant.tags.set([TagFactory(name="django")])

    row = api.get(f"/api/v1/applicants/{applicant.pk}/").json()

    assert row["city"] == {"id": applicant.city_id, "name": "Kraków"}
    assert row["tags"] == [{"id": applicant.tags.get().pk, "name": "django"}]
    assert row["full_name"] == applicant.full_name
    assert row["age"] == applicant.age


def test_create_saves_every_field_and_starts_the_timeline(api, recruiter):
    city, source, tag = CityFactory(), SourceFactory(), TagFactory(name="python")

    response = api.post(
        "/api/v1/applicants/",
        new_applicant(city=city.pk, source=source.pk, tags=[tag.pk], birth_year=1990),
    )

    assert response.status_code == 201, response.json()
    applicant = Applicant.objects.get(pk=response.json()["id"])
    assert (applicant.email, applicant.city, applicant.source) == ("anna@example.com", city, source)
    assert list(applicant.tags.all()) == [tag]
    assert response.json()["tags"] == [{"id": tag.pk, "name": "python"}]
    created = applicant.activities.get()
    assert (created.kind, created.actor) == (Activity.Kind.APPLICANT_CREATED, recruiter)


def test_create_refuses_an_e_mail_taken_in_any_letter_case(api):
    ApplicantFactory(email="anna@example.com")

    response = api.post("/api/v1/applicants/", new_applicant(email="ANNA@Example.com"))

    assert response.status_code == 400
    assert response.json() == {"email": ["An applicant with this e-mail already exists."]}
    assert Applicant.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"birth_year": 1900}, "birth_year"),
        ({"experience_years": 61}, "experience_years"),
        ({"email": "not-an-e-mail"}, "email"),
        ({"first_name": ""}, "first_name"),
        ({"city": 999999}, "city"),
        ({"tags": ["python"]}, "tags"),
        ({"linkedin_url": "javascript:alert(1)"}, "linkedin_url"),
    ],
)
def test_create_reports_bad_values_per_field(api, fields, field):
    response = api.post("/api/v1/applicants/", new_applicant(**fields))

    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert not Applicant.objects.exists()


def test_partial_update_changes_only_what_is_sent(api):
    applicant = ApplicantFactory(first_name="Anna", phone="+48 600 000 000")
    applicant.tags.set([TagFactory(name="php")])
    django = TagFactory(name="django")

    response = api.patch(
        f"/api/v1/applicants/{applicant.pk}/",
        {"phone": "+48 700 000 000", "tags": [django.pk]},
    )

    assert response.status_code == 200, response.json()
    applicant.refresh_from_db()
    assert (applicant.first_name, applicant.phone) == ("Anna", "+48 700 000 000")
    assert list(applicant.tags.all()) == [django]
    assert response.json()["tags"] == [{"id": django.pk, "name": "django"}]


def test_update_keeps_own_e_mail_but_refuses_anothers(api):
    ApplicantFactory(email="taken@example.com")
    applicant = ApplicantFactory(email="anna@example.com")
    url = f"/api/v1/applicants/{applicant.pk}/"

    assert api.patch(url, {"email": "Anna@example.com"}).status_code == 200
    response = api.patch(url, {"email": "TAKEN@example.com"})

    assert response.status_code == 400
    assert response.json() == {"email": ["An applicant with this e-mail already exists."]}


def test_put_is_not_offered(api):
    applicant = ApplicantFactory()

    response = api.put(f"/api/v1/applicants/{applicant.pk}/", new_applicant())

    assert response.status_code == 405


@pytest.mark.parametrize("rows", [5, 50])
def test_list_query_count_does_not_grow_with_rows(api, django_assert_num_queries, rows):
    for applicant in ApplicantFactory.create_batch(rows):
        applicant.tags.set([TagFactory(name="python"), TagFactory(name="sql")])

    # 1. the token and its user, 2. the user's role, 3. the page of applicants with
    # city and source, 4. their tags.
    with django_assert_num_queries(4):
        response = api.get("/api/v1/applicants/", {"page_size": 50})

    assert len(response.json()["results"]) == rows
