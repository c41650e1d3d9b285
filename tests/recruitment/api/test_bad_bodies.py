"""Bodies and parameters that used to crash the API: each is now a 400 that renders."""

import json

import pytest

from recruitment.factories import ApplicantFactory, ApplicationFactory, CityFactory
from recruitment.models import Activity, Applicant, City

pytestmark = pytest.mark.django_db


def post_raw(api, url: str, body: str):
    return api.post(url, body.encode("utf-8", "surrogatepass"), content_type="application/json")


def test_a_deeply_nested_body_is_a_400(api):
    body = '{"name": ' + "[" * 1000 + "]" * 1000 + "}"

    response = post_raw(api, "/api/v1/cities/", body)

    assert response.status_code == 400
    assert "nested" in response.json()["detail"]
    assert not City.objects.exists()


def test_a_body_nested_a_little_too_deep_is_a_400(api):
    body = json.dumps({"name": [[[[[[[[["x"]]]]]]]]]})

    assert post_raw(api, "/api/v1/cities/", body).status_code == 400


@pytest.mark.parametrize("field", ["applicant", "application"])
def test_an_overflowing_number_as_an_id_is_a_400(api, field):
    applicant = ApplicantFactory()
    body = {"applicant": applicant.pk, "body": "<p>Hi</p>", field: "__NUMBER__"}

    response = post_raw(
        api, "/api/v1/activities/", json.dumps(body).replace('"__NUMBER__"', "1e309")
    )

    assert response.status_code == 400
    assert not Activity.objects.filter(kind=Activity.Kind.NOTE).exists()


@pytest.mark.parametrize("value", [10**30, -1, 0, True, "5", 1.5, 1e300])
def test_an_id_must_be_an_integer_in_range(api, value):
    application = ApplicationFactory()

    response = api.post("/api/v1/activities/", {"applicant": value, "body": "<p>Hi</p>"})
    same = api.post(
        "/api/v1/applications/",
        {"applicant": application.applicant_id, "vacancy": value},
    )

    assert response.status_code == 400 and "applicant" in response.json()
    assert same.status_code == 400 and "vacancy" in same.json()


@pytest.mark.parametrize(
    ("url", "body"),
    [
        ("/api/v1/cities/", '{"name": "\\ud800"}'),
        ("/api/v1/applications/1/move-stage/", '{"stage": "\\ud800"}'),
        ("/api/v1/applicants/", '{"first_name": "A", "last_name": "B", "email": "\\udfff@x.pl"}'),
        ("/api/v1/cities/", '{"\\ud800": "x"}'),
    ],
)
def test_a_lone_surrogate_is_a_400_that_renders(api, url, body):
    ApplicationFactory()

    response = post_raw(api, url, body)

    assert response.status_code == 400
    assert "surrogate" in response.json()["detail"]


@pytest.mark.parametrize("value", [0, False, ["x"], {"a": "b"}])
def test_a_string_field_takes_only_strings(api, value):
    response = api.post("/api/v1/cities/", {"name": value})

    assert response.status_code == 400
    assert response.json()["name"] == ["Not a valid string."]
    assert not City.objects.exists()


@pytest.mark.parametrize("url", ["/api/v1/cities/", "/api/v1/applicants/", "/api/v1/activities/"])
@pytest.mark.parametrize("page_size", ["true", "0", "-1", "1e3", "100000", "²"])
def test_a_page_size_outside_the_schema_is_a_400(api, url, page_size):
    CityFactory()

    response = api.get(url, {"page_size": page_size})

    assert response.status_code == 400
    assert "page_size" in response.json()


def test_a_page_size_inside_the_schema_is_used(api):
    CityFactory.create_batch(3)

    response = api.get("/api/v1/cities/", {"page_size": "2"})

    assert len(response.json()["results"]) == 2


def test_the_schema_bounds_page_size(api):
    schema = api.get("/api/schema/").json()
    parameters = schema["paths"]["/api/v1/cities/"]["get"]["parameters"]
    page_size = next(p for p in parameters if p["name"] == "page_size")

    assert page_size["schema"] == {"type": "integer", "minimum": 1, "maximum": 500}


def test_an_applicant_name_with_a_control_character_is_refused_on_edit(api):
    applicant = ApplicantFactory(first_name="Ola")

    response = api.patch(f"/api/v1/applicants/{applicant.pk}/", {"last_name": "N\x00"})

    assert response.status_code == 400
    assert Applicant.objects.get(pk=applicant.pk).first_name == "Ola"


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/applications/?vacancy=999999",
        "/api/v1/applications/?city=999999&city=888888",
        "/api/v1/applications/?tags=no-such-tag",
        "/api/v1/applicants/?city=999999",
        "/api/v1/applicants/?tags=999999",
        "/api/v1/activities/?applicant=999999",
        "/api/v1/vacancies/?cities=999999",
    ],
)
def test_an_unknown_id_in_a_filter_matches_nothing(api, url):
    ApplicationFactory()

    response = api.get(url)

    assert response.status_code == 200
    assert response.json()["results"] == []


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/applications/?vacancy=abc",
        "/api/v1/applicants/?city=-1",
        "/api/v1/activities/?applicant=1e309",
        "/api/v1/vacancies/?cities=99999999999999999999999",
    ],
)
def test_an_id_filter_that_is_no_integer_is_a_400(api, url):
    assert api.get(url).status_code == 400


def test_the_schema_declares_id_filters_as_integers(api):
    schema = api.get("/api/schema/").json()
    parameters = schema["paths"]["/api/v1/applicants/"]["get"]["parameters"]

    city = next(p for p in parameters if p["name"] == "city")
    assert city["schema"]["type"] == "integer"
