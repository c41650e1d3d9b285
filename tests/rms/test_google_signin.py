"""Sign-in with Google, for accounts on the company's domains.

Only Google's servers are faked: its token endpoint and its userinfo endpoint, the two
calls social-auth makes to Google. The begin redirect, the state in the session, the
whole pipeline with our step, the session and the redirects all run for real.
"""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import User
from social_core.backends.google import GoogleOAuth2

from recruitment.factories import UserFactory
from tests.conftest import role

TOKEN_URL = "https://accounts.google.com/o/oauth2/token"
USERINFO_URL = "https://www.googleapis.com/oauth2/v3/userinfo"


class FakeGoogle:
    """Google's side of the sign-in: it swaps a code for a token and answers the
    profile of the account that signed in."""

    def __init__(self):
        self.profile = None
        self.codes = []

    def get_json(self, url, *, data=None, headers=None, **kwargs):
        if url == TOKEN_URL:
            self.codes.append(data["code"])
            return {"access_token": "token-for-" + data["code"], "token_type": "Bearer"}
        assert url == USERINFO_URL, url
        assert headers["Authorization"] == "Bearer token-for-" + self.codes[-1]
        return self.profile


@pytest.fixture
def google(monkeypatch, settings):
    settings.SOCIAL_AUTH_GOOGLE_OAUTH2_WHITELISTED_DOMAINS = ["example.com"]
    settings.SOCIAL_AUTH_GOOGLE_OAUTH2_KEY = "rms-client-id"
    settings.SOCIAL_AUTH_GOOGLE_OAUTH2_SECRET = "rms-client-secret"
    fake = FakeGoogle()
    monkeypatch.setattr(
        GoogleOAuth2, "get_json", lambda backend, url, *args, **kwargs: fake.get_json(url, **kwargs)
    )
    return fake


def profile(email, *, hd="example.com", sub="108000000000000000001"):
    """Google's userinfo answer; `hd` is the Workspace domain managing the account."""
    answer = {"sub": sub, "email": email, "email_verified": True, "name": "Gina Google"}
    answer.update({"given_name": "Gina", "family_name": "Google"})
    return answer | ({"hd": hd} if hd else {})


def begin(client, next_url=""):
    """Press "Sign in with Google"; returns the query of the redirect to Google."""
    response = client.post("/auth/login/google-oauth2/", {"next": next_url})

    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert (location.scheme, location.netloc) == ("https", "accounts.google.com")
    return {key: values[0] for key, values in parse_qs(location.query).items()}


def sign_in_with_google(client, google, account, next_url=""):
    """The whole round trip: begin, Google asks the person, Google sends them back."""
    google.profile = account
    query = begin(client, next_url)
    return client.get("/auth/complete/google-oauth2/", {"state": query["state"], "code": "c0de"})


def refusal_message(client, response):
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    return [str(message) for message in client.get(response["Location"]).context["messages"]]


@pytest.mark.django_db
def test_sign_in_page_offers_google_above_the_password_form(client, google):
    page = client.get("/accounts/login/").content.decode()

    assert 'action="/auth/login/google-oauth2/"' in page
    assert page.index("Sign in with Google") < page.index('name="password"')


@pytest.mark.django_db
def test_begin_sends_the_browser_to_google_with_our_client_and_callback(client, google):
    query = begin(client)

    assert query["client_id"] == "rms-client-id"
    assert query["redirect_uri"] == "http://testserver/auth/complete/google-oauth2/"
    assert query["state"]
    assert google.codes == []


@pytest.mark.django_db
def test_colleague_signs_in_with_google_and_becomes_a_recruiter(client, google):
    response = sign_in_with_google(client, google, profile("gina@example.com"))

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert google.codes == ["c0de"]
    gina = User.objects.get(email="gina@example.com")
    assert (gina.first_name, gina.last_name) == ("Gina", "Google")
    assert list(gina.groups.values_list("name", flat=True)) == ["recruiters"]
    assert not gina.is_staff
    assert not gina.is_superuser
    assert not gina.has_usable_password()
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_sign_in_lands_on_the_page_the_colleague_was_going_to(client, google):
    response = sign_in_with_google(client, google, profile("gina@example.com"), "/vacancies/")

    assert response["Location"] == "/vacancies/"


@pytest.mark.django_db
def test_second_sign_in_finds_the_same_user_and_keeps_their_role(client, google):
    sign_in_with_google(client, google, profile("gina@example.com"))
    gina = User.objects.get(email="gina@example.com")
    gina.groups.set([role("interviewers")])  # an admin changed her role meanwhile
    client.post("/accounts/logout/")

    response = sign_in_with_google(client, google, profile("gina@example.com"))

    assert response["Location"] == "/"
    assert User.objects.count() == 1
    assert list(gina.groups.values_list("name", flat=True)) == ["interviewers"]
    assert client.get("/").wsgi_request.user == gina


@pytest.mark.django_db
def test_google_account_never_takes_over_an_admin_with_the_same_address(client, google):
    adam = UserFactory(username="adam", email="adam@example.com", is_staff=True)

    sign_in_with_google(client, google, profile("adam@example.com"))

    signed_in = client.get("/").wsgi_request.user
    assert signed_in != adam
    assert not signed_in.is_staff


@pytest.mark.django_db
@pytest.mark.parametrize(
    "account",
    [
        pytest.param(profile("mallory@gmail.com", hd=None), id="personal-gmail"),
        pytest.param(profile("mallory@example.org", hd="example.org"), id="other-company"),
        # A personal Google account registered with a company address, say by someone
        # who has left: Google verified the address once, but the company manages none of it.
        pytest.param(profile("former@example.com", hd=None), id="company-address-not-managed"),
    ],
)
def test_account_outside_the_company_domains_is_refused(client, google, account):
    response = sign_in_with_google(client, google, account)

    assert refusal_message(client, response) == [
        "Only accounts of example.com may sign in with Google."
    ]
    assert not User.objects.exists()
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_callback_with_a_state_this_browser_was_not_given_is_refused(client, google):
    google.profile = profile("gina@example.com")
    begin(client)

    response = client.get("/auth/complete/google-oauth2/", {"state": "forged", "code": "c0de"})

    assert refusal_message(client, response)
    assert google.codes == []
    assert not User.objects.exists()


@pytest.mark.django_db
def test_without_domains_google_sign_in_is_switched_off(client, settings):
    settings.SOCIAL_AUTH_GOOGLE_OAUTH2_WHITELISTED_DOMAINS = []

    page = client.get("/accounts/login/").content.decode()
    response = client.post("/auth/login/google-oauth2/")

    assert "Sign in with Google" not in page
    assert 'name="password"' in page
    assert refusal_message(client, response) == [
        "Sign-in with Google is switched off here; sign in with your password."
    ]


@pytest.mark.django_db
def test_switching_google_sign_in_off_refuses_a_sign_in_under_way(client, google, settings):
    google.profile = profile("gina@example.com")
    query = begin(client)
    settings.SOCIAL_AUTH_GOOGLE_OAUTH2_WHITELISTED_DOMAINS = []

    response = client.get(
        "/auth/complete/google-oauth2/", {"state": query["state"], "code": "c0de"}
    )

    assert refusal_message(client, response)
    assert not User.objects.exists()


@pytest.mark.django_db
def test_admin_still_signs_in_with_a_password(client, google, admin_user):
    response = client.post(
        "/accounts/login/", {"username": "adam", "password": "secret-password"}, follow=True
    )

    assert response.redirect_chain[-1][0] == "/"
    assert response.wsgi_request.user == admin_user
