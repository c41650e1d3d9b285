"""Apply with LinkedIn: LinkedIn's OpenID Connect sign-in fills in the apply form.

Only LinkedIn's servers are faked, and of them only the two RMS calls: the token
endpoint (which answers an access token and an ID token) and the userinfo endpoint. Any
other call (discovery, JWKS) fails the test. The begin redirect, the state in the
session, social-auth's pipeline with our step, and the form all run for real.
"""

import time
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from django.contrib.auth.models import User

from careers.linkedin import CandidateLinkedIn
from careers.models import Submission
from recruitment.models import Applicant
from tests.careers.test_apply import URL, form
from tests.rms.test_google_signin import google, profile, sign_in_with_google

# Staff sign-in's own fake Google, for the test that it still works beside LinkedIn.
google = google

pytestmark = pytest.mark.django_db

TOKEN_URL = "https://www.linkedin.com/oauth/v2/accessToken"
USERINFO_URL = "https://api.linkedin.com/v2/userinfo"
PICTURE = "https://media.licdn.com/dms/image/v2/ala-kowalska/profile.jpg"
SUB = "782bbtaQ"


class FakeLinkedIn:
    """LinkedIn's side: it swaps a code for tokens and answers the member's profile."""

    def __init__(self):
        self.userinfo = {
            "sub": SUB,
            "name": "Łucja Żółć",
            "given_name": "Łucja",
            "family_name": "Żółć",
            "picture": PICTURE,
            "email": "lucja@example.com",
            "email_verified": True,
            "locale": {"country": "PL", "language": "pl"},
        }
        self.claims = {}
        self.calls = []

    def id_token(self, **changes) -> str:
        now = int(time.time())
        claims = {"iss": "https://www.linkedin.com/oauth", "aud": "rms-linkedin-client"}
        claims |= {"sub": SUB, "iat": now, "exp": now + 3600} | self.claims
        # Signed with a key of LinkedIn's the test does not know: RMS does not check it.
        return jwt.encode(claims, "a key only LinkedIn has, 32 bytes+", algorithm="HS256")

    def get_json(self, url, *, data=None, headers=None, **kwargs):
        self.calls.append(url)
        if url == TOKEN_URL:
            assert data["client_id"] == "rms-linkedin-client"
            assert data["client_secret"] == "rms-linkedin-secret"
            token = "token-for-" + data["code"]
            return {"access_token": token, "expires_in": 3600, "id_token": self.id_token()}
        assert url == USERINFO_URL, f"RMS called LinkedIn at {url}"
        assert headers["Authorization"].startswith("Bearer token-for-")
        return self.userinfo


@pytest.fixture
def linkedin(monkeypatch, settings):
    settings.SOCIAL_AUTH_LINKEDIN_OPENIDCONNECT_KEY = "rms-linkedin-client"
    settings.SOCIAL_AUTH_LINKEDIN_OPENIDCONNECT_SECRET = "rms-linkedin-secret"
    fake = FakeLinkedIn()
    monkeypatch.setattr(
        CandidateLinkedIn,
        "get_json",
        lambda backend, url, *args, **kwargs: fake.get_json(url, **kwargs),
    )
    return fake


def begin(client) -> dict:
    """Press "Fill in the form from LinkedIn" on the apply form."""
    response = client.post("/auth/login/linkedin-openidconnect/", {"next": URL})
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == (
        "https://www.linkedin.com/oauth/v2/authorization"
    )
    return {key: values[0] for key, values in parse_qs(location.query).items()}


def come_back(client, query: dict, **answer):
    """LinkedIn sends the candidate back with a code (or an error)."""
    params = {"state": query["state"], **(answer or {"code": "c0de"})}
    return client.get("/auth/complete/linkedin-openidconnect/", params)


def test_the_form_offers_linkedin_only_when_configured(client, posting, settings):
    assert "Fill in the form from LinkedIn" not in client.get(URL).text
    settings.SOCIAL_AUTH_LINKEDIN_OPENIDCONNECT_KEY = "rms-linkedin-client"
    settings.SOCIAL_AUTH_LINKEDIN_OPENIDCONNECT_SECRET = "rms-linkedin-secret"
    page = client.get(URL).text
    assert 'action="/auth/login/linkedin-openidconnect/"' in page
    assert f'name="next" value="{URL}"' in page


def test_begin_asks_linkedin_for_the_openid_profile_and_email(client, posting, linkedin):
    query = begin(client)
    assert query["client_id"] == "rms-linkedin-client"
    assert query["redirect_uri"] == "http://testserver/auth/complete/linkedin-openidconnect/"
    assert set(query["scope"].split()) == {"openid", "profile", "email"}
    assert query["state"] and query["response_type"] == "code"
    assert linkedin.calls == []


def test_the_profile_fills_in_the_form_and_nobody_is_signed_in(client, posting, linkedin):
    response = come_back(client, begin(client))

    assert response.status_code == 302
    assert response["Location"] == URL
    assert linkedin.calls == [TOKEN_URL, USERINFO_URL]
    assert not User.objects.exists()
    assert "_auth_user_id" not in client.session
    page = client.get(URL).text
    assert 'value="Łucja"' in page and 'value="Żółć"' in page
    assert 'value="lucja@example.com"' in page
    assert f'src="{PICTURE}"' in page
    assert not Applicant.objects.exists()  # nothing until the candidate sends the form


def test_sending_the_form_makes_a_linkedin_applicant_and_forgets_the_profile(
    client, posting, linkedin
):
    come_back(client, begin(client))
    # The candidate changed the e-mail LinkedIn gave before sending.
    response = client.post(URL, form(first_name="Łucja", last_name="Żółć", email="l@example.pl"))

    assert response.status_code == 302
    applicant = Applicant.objects.get()
    assert (applicant.full_name, applicant.email) == ("Łucja Żółć", "l@example.pl")
    assert applicant.source.name == "LinkedIn"
    assert Submission.objects.get().linkedin_picture == PICTURE
    assert not User.objects.exists()
    assert 'value="Łucja"' not in client.get(URL).text


def test_without_linkedin_the_source_stays_the_careers_page(client, posting):
    client.post(URL, form())
    assert Applicant.objects.get().source.name == "Careers page"
    assert Submission.objects.get().linkedin_picture == ""


def test_a_staff_member_signed_in_stays_who_they_are(client, posting, linkedin, recruiter):
    client.force_login(recruiter)
    come_back(client, begin(client))
    assert client.session["_auth_user_id"] == str(recruiter.pk)
    assert User.objects.count() == 1


def test_a_picture_from_elsewhere_is_not_shown(client, posting, linkedin):
    linkedin.userinfo["picture"] = "https://tracker.example/pixel.gif"
    come_back(client, begin(client))
    assert "tracker.example" not in client.get(URL).text


@pytest.mark.parametrize(
    "claims",
    [
        {"aud": "someone-elses-client"},
        {"iss": "https://evil.example/oauth"},
        {"exp": int(time.time()) - 3600, "iat": int(time.time()) - 7200},
        {"sub": "another-member"},  # the userinfo must be the token's member
    ],
    ids=["audience", "issuer", "expired", "subject"],
)
def test_a_wrong_id_token_fills_in_nothing(client, posting, linkedin, claims):
    linkedin.claims = claims
    response = come_back(client, begin(client))
    assert response.status_code == 302
    assert response["Location"] == "/careers/linkedin/failed/"
    page = client.get(response["Location"])
    assert "LinkedIn did not fill in the form" in page.text
    assert f'href="{URL}"' in page.text
    assert "Łucja" not in client.get(URL).text


def test_a_cancelled_sign_in_leads_back_to_the_form(client, posting, linkedin):
    query = begin(client)
    response = come_back(client, query, error="user_cancelled_login", error_description="no")
    assert response["Location"] == "/careers/linkedin/failed/"
    assert f'href="{URL}"' in client.get(response["Location"]).text
    assert linkedin.calls == []


def test_a_forged_state_fills_in_nothing(client, posting, linkedin):
    begin(client)
    response = come_back(client, {"state": "not-the-one-we-sent"})
    assert response["Location"] == "/careers/linkedin/failed/"
    assert linkedin.calls == []


def test_switched_off_it_sends_nobody_to_linkedin(client, posting):
    response = client.post("/auth/login/linkedin-openidconnect/", {"next": URL})
    assert response["Location"] == "/careers/linkedin/failed/"


def test_a_return_address_elsewhere_is_not_followed(client, posting, linkedin):
    response = client.post("/auth/login/linkedin-openidconnect/", {"next": "/admin/"})
    state = parse_qs(urlsplit(response["Location"]).query)["state"][0]
    assert come_back(client, {"state": state})["Location"] == "/careers/"


def test_staff_google_sign_in_still_makes_and_signs_in_a_user(client, linkedin, google):
    response = sign_in_with_google(client, google, profile("gina@example.com"))
    assert response["Location"] == "/"
    assert User.objects.get().email == "gina@example.com"
    assert client.get("/").status_code == 200
