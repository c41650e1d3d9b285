import pytest

from recruitment.factories import CityFactory, TagFactory, VacancyFactory
from recruitment.models import City, Source, Tag, Vacancy

pytestmark = pytest.mark.django_db


def test_vacancy_create_sanitizes_the_description(api):
    poznan = CityFactory(name="Poznań")

    response = api.post(
        "/api/v1/vacancies/",
        {
            "title": "Python Developer",
            "description": '<p onclick="x()">Join us</p><iframe src="x"></iframe>',
            "cities": [poznan.pk],
        },
    )

    assert response.status_code == 201, response.json()
    assert response.json()["description"] == "<p>Join us</p>"
    assert response.json()["cities"] == [{"id": poznan.pk, "name": "Poznań"}]
    assert response.json()["is_open"] is True


def test_vacancy_can_be_closed_and_filtered(api):
    vacancy = VacancyFactory(title="QA")
    VacancyFactory(title="PHP Developer")

    response = api.patch(f"/api/v1/vacancies/{vacancy.pk}/", {"is_open": False})
    open_ = api.get("/api/v1/vacancies/", {"is_open": "true"}).json()

    assert response.json()["is_open"] is False
    assert [row["title"] for row in open_["results"]] == ["PHP Developer"]
    assert Vacancy.objects.get(pk=vacancy.pk).title == "QA"


def test_vacancy_without_a_title_is_400(api):
    response = api.post("/api/v1/vacancies/", {"description": "x"})

    assert response.status_code == 400
    assert list(response.json()) == ["title"]


@pytest.mark.parametrize(("url", "model"), [("cities", City), ("sources", Source), ("tags", Tag)])
def test_lookup_create_and_list(api, url, model):
    response = api.post(f"/api/v1/{url}/", {"name": " Zielona Góra "})

    assert response.status_code == 201, response.json()
    assert model.objects.get(pk=response.json()["id"]).name == "Zielona Góra"
    listed = api.get(f"/api/v1/{url}/").json()
    assert {"id": response.json()["id"], "name": "Zielona Góra"} in listed["results"]


def test_taken_lookup_name_is_400_on_name(api):
    TagFactory(name="python")

    response = api.post("/api/v1/tags/", {"name": "python"})

    assert response.status_code == 400
    assert list(response.json()) == ["name"]


def test_lookups_are_not_renamed_or_deleted_here(api):
    url = f"/api/v1/tags/{TagFactory().pk}/"

    assert api.patch(url, {"name": "other"}).status_code == 405
    assert api.delete(url).status_code == 405


@pytest.mark.parametrize("rows", [5, 50])
def test_vacancy_list_query_count_does_not_grow_with_rows(api, django_assert_num_queries, rows):
    cities = [CityFactory(name="Poznań"), CityFactory(name="Łódź")]
    for vacancy in VacancyFactory.create_batch(rows):
        vacancy.cities.set(cities)

    # 1. the token and its user, 2. the user's role, 3. the count for the page numbers,
    # 4. the page of vacancies, 5. their cities.
    with django_assert_num_queries(5):
        response = api.get("/api/v1/vacancies/")

    assert len(response.json()["results"]) == rows


@pytest.mark.parametrize("url", ["cities", "sources", "tags"])
@pytest.mark.parametrize("rows", [5, 50])
def test_lookup_list_query_count_does_not_grow_with_rows(api, django_assert_num_queries, url, rows):
    model = {"cities": City, "sources": Source, "tags": Tag}[url]
    model.objects.bulk_create(model(name=f"name {n}") for n in range(rows))

    # 1. the token and its user, 2. the user's role, 3. the count, 4. the page.
    with django_assert_num_queries(4):
        response = api.get(f"/api/v1/{url}/")

    assert len(response.json()["results"]) == rows
