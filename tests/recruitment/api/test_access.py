"""Who may call the API, and that every refusal is JSON."""

import pytest
from rest_framework.test import APIClient

from recruitment.api.throttling import TokenClientRateThrottle
from recruitment.factories import UserFactory
from tests.recruitment.api.conftest import token_client

pytestmark = pytest.mark.django_db

LIST_URLS = [
    "/api/v1/applicants/",
    "/api/v1/applications/",
    "/api/v1/activities/",
    "/api/v1/vacancies/",
    "/api/v1/cities/",
    "/api/v1/sources/",
    "/api/v1/tags/",
]


@pytest.mark.parametrize("url", [*LIST_URLS, "/api/schema/"])
def test_anonymous_gets_401_json_with_a_token_challenge(anonymous, url):
    response = anonymous.get(url)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response["Content-Type"].startswith("application/")
    assert "detail" in response.json()


@pytest.mark.parametrize("url", LIST_URLS)
def test_anonymous_cannot_write(anonymous, url):
    response = anonymous.post(url, {"name": "x"})

    assert response.status_code == 401


@pytest.mark.parametrize("url", [*LIST_URLS, "/api/schema/"])
def test_user_without_a_role_gets_403_json(outsider, url):
    response = outsider.get(url)

    assert response.status_code == 403
    assert response.json() == {"detail": "Your account has no recruiter or admin role."}


def test_user_without_a_role_cannot_write(outsider):
    response = outsider.post("/api/v1/tags/", {"name": "rust"})

    assert response.status_code == 403


@pytest.mark.parametrize("url", LIST_URLS)
def test_recruiter_admin_and_superuser_may_read(recruiter, admin_user, url):
    superuser = UserFactory(username="root", is_superuser=True, is_staff=True)
    for user in (recruiter, admin_user, superuser):
        assert token_client(user).get(url).status_code == 200, user


def test_bad_token_is_401(anonymous):
    anonymous.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    response = anonymous.get("/api/v1/applicants/")

    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token."}


def test_browser_session_works_with_csrf(recruiter):
    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(recruiter)

    assert browser.get("/api/v1/tags/").status_code == 200
    # A session write without the CSRF token is refused: a foreign page cannot post.
    assert browser.post("/api/v1/tags/", {"name": "rust"}).status_code == 403


def test_session_without_a_role_is_403_not_a_sign_in_redirect(client):
    client.force_login(UserFactory(username="otto"))

    response = client.get("/api/v1/applicants/")

    assert response.status_code == 403


def test_unknown_api_url_is_json_404(api, anonymous):
    for client in (api, anonymous):
        response = client.get("/api/v1/nothing-here/")
        assert response.status_code == 404
        assert response.json() == {"detail": "There is no API endpoint at this URL."}


def test_non_numeric_id_is_json_404(api):
    response = api.get("/api/v1/applicants/abc/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_missing_object_is_json_404(api):
    response = api.get("/api/v1/applicants/999999/")

    assert response.status_code == 404
    assert response.json() == {"detail": "No Applicant matches the given query."}


def test_method_not_allowed_is_json_405(api):
    response = api.delete("/api/v1/tags/")

    assert response.status_code == 405
    assert response.json() == {"detail": 'Method "DELETE" not allowed.'}


def test_malformed_json_is_400(api):
    response = api.post("/api/v1/tags/", "{not json", content_type="application/json")

    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]


def test_token_clients_are_throttled(api, monkeypatch):
    monkeypatch.setitem(TokenClientRateThrottle.THROTTLE_RATES, "token", "2/minute")

    statuses = [api.get("/api/v1/tags/").status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
    response = api.get("/api/v1/tags/")
    assert "Retry-After" in response
    assert response.json()["detail"].startswith("Request was throttled.")


def test_browser_sessions_are_not_throttled(recruiter, monkeypatch):
    monkeypatch.setitem(TokenClientRateThrottle.THROTTLE_RATES, "token", "2/minute")
    browser = APIClient()
    browser.force_login(recruiter)

    statuses = {browser.get("/api/v1/tags/").status_code for _ in range(3)}

    assert statuses == {200}


def test_odd_urls_and_wrong_methods_under_api_are_json_404_not_csrf_pages(recruiter):
    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(recruiter)

    for url in ("/api/v1/applications/%0A/close/", "/api/nothing", "/api/v1/tags/x/"):
        response = browser.post(url, {})
        assert response.status_code == 404, url
        assert response["Content-Type"] == "application/json"
