"""Apply with LinkedIn: LinkedIn's OpenID Connect sign-in fills in the apply form.

The candidate signs in at LinkedIn only for RMS to read their name, e-mail and picture:
they never become a Django user and are never signed in to RMS. The backend has its own
pipeline (SOCIAL_AUTH_LINKEDIN_OPENIDCONNECT_PIPELINE) whose last step keeps the profile
in the session and sends the browser back to the apply form, where the candidate reviews
it and sends the form as anyone else does. Staff sign-in with Google keeps the default
pipeline (SOCIAL_AUTH_PIPELINE).

Two decisions, written down in README ("Careers site"):

- LinkedIn's discovery document is pinned here, not fetched: the endpoints below are
  those https://www.linkedin.com/oauth/.well-known/openid-configuration publishes. RMS
  then calls LinkedIn at two addresses only, the token and the userinfo endpoints.
- The ID token's signature is not checked against LinkedIn's JWKS. OpenID Connect Core
  1.0, 3.1.3.7 (6), allows this for a token received straight from the token endpoint
  over TLS in the code flow, which is the only way this backend receives one: the TLS
  check of www.linkedin.com stands in for the signature. Its issuer, audience, expiry
  and age are still checked, and the userinfo answer must name the same subject. Nothing
  is trusted for signing in either: the profile only fills in a form.
"""

from dataclasses import asdict, dataclass

import jwt
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import Resolver404, resolve
from social_core.backends.linkedin import LinkedinOpenIdConnect
from social_core.backends.utils import jwt_error
from social_core.exceptions import AuthPolicyError

SESSION_KEY = "careers_linkedin_profile"
# The apply form the candidate left for LinkedIn: social-auth keeps the "next" it was sent.
RETURN_SESSION_KEY = "next"


def linkedin_enabled() -> bool:
    return bool(
        settings.SOCIAL_AUTH_LINKEDIN_OPENIDCONNECT_KEY
        and settings.SOCIAL_AUTH_LINKEDIN_OPENIDCONNECT_SECRET
    )


class CandidateLinkedIn(LinkedinOpenIdConnect):
    """social-core's LinkedIn OpenID Connect backend, configured without discovery."""

    AUTHORIZATION_URL = "https://www.linkedin.com/oauth/v2/authorization"
    ACCESS_TOKEN_URL = "https://www.linkedin.com/oauth/v2/accessToken"  # noqa: S105
    USERINFO_URL = "https://api.linkedin.com/v2/userinfo"
    ID_TOKEN_ISSUER = "https://www.linkedin.com/oauth"  # noqa: S105

    def auth_url(self) -> str:
        if not linkedin_enabled():
            raise AuthPolicyError(self, code="authentication_disallowed", stage="begin")
        return super().auth_url()

    def decode_and_validate_id_token(self, id_token: str, access_token: str) -> dict:
        client_id, _secret = self.get_key_and_secret()
        options = {
            "verify_signature": False,
            "verify_aud": True,
            "verify_iss": True,
            "verify_exp": True,
            "verify_iat": True,
            "require": ["iss", "sub", "aud", "exp", "iat"],
        }
        try:
            claims = jwt.decode(
                id_token,
                options=options,
                audience=client_id,
                issuer=self.id_token_issuer(),
                leeway=self.setting("JWT_LEEWAY", self.JWT_LEEWAY),
            )
        except jwt.PyJWTError as error:
            raise jwt_error(self, error) from error
        self.validate_authorized_party(claims, client_id)
        return claims


@dataclass(frozen=True)
class LinkedInProfile:
    first_name: str
    last_name: str
    email: str
    picture: str


def profile_for_apply_form(strategy, backend, details, response, *args, **kwargs):
    """The pipeline's last step: keep the profile for the form and go back to it.

    Returning a response ends social-auth's pipeline there: no user is looked up, made or
    signed in.
    """
    picture = response.get("picture") or ""
    profile = LinkedInProfile(
        first_name=details.get("first_name") or "",
        last_name=details.get("last_name") or "",
        email=details.get("email") or "",
        # Shown on the form as an image: only LinkedIn's own https addresses.
        picture=picture if picture.startswith("https://media.licdn.com/") else "",
    )
    strategy.session_set(SESSION_KEY, asdict(profile))
    return strategy.redirect(apply_form_left(strategy.session_get(RETURN_SESSION_KEY)))


def apply_form_left(path: str | None) -> str:
    """The apply form the candidate came from, or the list of openings."""
    try:
        match = resolve(path or "")
    except Resolver404:
        match = None
    if match is None or match.view_name != "careers:apply":
        return resolve_url("careers:list")
    return path


def profile_in(session) -> LinkedInProfile | None:
    stored = session.get(SESSION_KEY)
    return LinkedInProfile(**stored) if isinstance(stored, dict) else None


def profile_forget(session) -> None:
    session.pop(SESSION_KEY, None)
