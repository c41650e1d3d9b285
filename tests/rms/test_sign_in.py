"""Every page needs a signed-in user, except the ones made to be public."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

# Routes anyone may open: signing in and out, and the probes (/metrics checks the
# caller's address or token instead, tests/rms/test_metrics.py).
PUBLIC_ROUTES = {
    "health",
    "metrics",
    # The benchmarks' yardstick: "pong", nothing else (tests/rms/test_health.py).
    "ping",
    # The site icon: the sign-in page shows it too.
    "favicon",
    "login",
    "logout",
    # Sign-in with Google: begin answers a GET with 405 (it takes the sign-in page's
    # POST), complete is Google's callback, the launch bridges are off (404).
    "social:begin",
    "social:complete",
    "social:idp_launch",
    "social:app_launch",
    # The careers site is for candidates (tests/careers); a posting's settings are not.
    "careers:list",
    "careers:feed",
    "careers:detail",
    "careers:apply",
    "careers:thanks",
    "careers:confirm",
    "careers:linkedin_failed",
    # The candidates' personal-data links and request form (tests/privacy).
    "privacy:renew",
    "privacy:request",
    "privacy:request_verify",
}
ADMIN_PUBLIC_ROUTES = {"admin:login", "admin:logout", "admin:javascript-catalog"}


def walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name}", prefix + str(entry.pattern)


def example_path(route: str) -> str:
    """A concrete path for a route: converters get a plausible value."""
    path = route.lstrip("^").rstrip("$").replace("\\Z", "")
    for placeholder, value in [
        ("<path:object_id>", "1"),
        ("<int:", "1<"),
        ("<str:", "x<"),
        ("<uidb64>", "MQ"),
        ("<token>", "set-password"),
    ]:
        path = path.replace(placeholder, value)
    while "<" in path:
        start = path.index("<")
        path = path[:start] + path[path.index(">", start) + 1 :]
    return "/" + path.replace("(?P", "").replace("[^/]+", "x")


def protected_routes():
    for name, route in walk(get_resolver().url_patterns):
        if name in PUBLIC_ROUTES or name in ADMIN_PUBLIC_ROUTES or "(?P" in route:
            continue
        # The API answers strangers 401 in JSON, not with a redirect
        # (tests/recruitment/api/test_access.py); its docs page is for people.
        if route.startswith("api/") and name != "api-docs":
            continue
        yield pytest.param(example_path(route), id=name)


@pytest.mark.django_db
@pytest.mark.parametrize("path", list(protected_routes()))
def test_anonymous_visitor_is_sent_to_sign_in(client, path):
    response = client.get(path)

    assert response.status_code == 302, path
    assert "/login/" in response["Location"]


@pytest.mark.django_db
def test_sign_in_page_is_public_and_has_the_form(client):
    response = client.get("/accounts/login/")

    assert response.status_code == 200
    assert b'name="username"' in response.content
    assert b'name="password"' in response.content


@pytest.mark.django_db
def test_recruiter_signs_in_with_password_and_lands_on_the_dashboard(client, recruiter):
    response = client.post(
        "/accounts/login/", {"username": "rita", "password": "secret-password"}, follow=True
    )

    assert response.redirect_chain[-1][0] == "/"
    assert b"Open applications by stage" in response.content


@pytest.mark.django_db
def test_wrong_password_shows_an_error_and_stays_signed_out(client, recruiter):
    response = client.post("/accounts/login/", {"username": "rita", "password": "nope"})

    assert response.status_code == 200
    assert b"Please enter a correct username and password" in response.content
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_sign_out_ends_the_session(recruiter_client):
    recruiter_client.post("/accounts/logout/")

    assert recruiter_client.get("/").status_code == 302


@pytest.mark.django_db
def test_groups_exist_with_their_permissions():
    from django.contrib.auth.models import Group

    recruiters = set(
        Group.objects.get(name="recruiters").permissions.values_list("codename", flat=True)
    )
    admins = set(Group.objects.get(name="admins").permissions.values_list("codename", flat=True))

    assert {"change_application", "add_activity", "view_applicant"} <= recruiters
    assert "delete_applicant" not in recruiters
    assert {"delete_applicant", "change_user", "add_group"} <= admins


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/accounts/password_reset/",
        "/accounts/password_reset/done/",
        "/accounts/reset/MQ/set-password/",
        "/accounts/reset/done/",
    ],
)
def test_there_is_no_public_password_reset(client, recruiter, path):
    # Signed in or not: the pages do not exist, so no reset mail can be asked for.
    assert client.get(path).status_code == 404
    assert client.post(path, {"email": recruiter.email}).status_code == 404
    client.force_login(recruiter)
    assert client.get(path).status_code == 404


@pytest.mark.django_db
def test_a_signed_in_user_changes_their_own_password(recruiter_client, recruiter):
    response = recruiter_client.post(
        "/accounts/password_change/",
        {
            "old_password": "secret-password",
            "new_password1": "a-much-longer-passphrase",
            "new_password2": "a-much-longer-passphrase",
        },
    )

    assert response["Location"] == "/accounts/password_change/done/"
    recruiter.refresh_from_db()
    assert recruiter.check_password("a-much-longer-passphrase")
