"""Sign-in with Google (social-auth-app-django) for accounts on the company's domains.

RMS_SIGNIN_DOMAINS lists the domains. With none listed, Google sign-in is switched off
and password sign-in, kept for admins, is the only way in.
"""

from django.conf import settings
from django.contrib.auth.models import Group
from django.http import HttpRequest
from django.utils.translation import gettext as _
from social_core.backends.google import GoogleOAuth2
from social_core.exceptions import AuthPolicyError, SocialAuthBaseException
from social_django.middleware import SocialAuthExceptionMiddleware

from recruitment.roles import RECRUITERS


class CompanyGoogleOAuth2(GoogleOAuth2):
    """Google's OAuth2 sign-in, refusing every account when no domain is listed."""

    def auth_url(self) -> str:
        if not self.setting("WHITELISTED_DOMAINS"):
            raise AuthPolicyError(self, code="authentication_disallowed", stage="begin")
        return super().auth_url()

    def auth_allowed(self, response, details) -> bool:
        # social-auth lets everyone in when the list is empty. And a verified address
        # on our domain is not enough: a personal Google account registered with a
        # company address (kept by someone who has left) has one too. Only accounts
        # the company's Google Workspace manages carry its domain as `hd`.
        domain = (details.get("email") or "").rpartition("@")[2].lower()
        return (
            bool(self.setting("WHITELISTED_DOMAINS"))
            and (response.get("hd") or "").lower() == domain
            and super().auth_allowed(response, details)
        )


class SignInErrorMiddleware(SocialAuthExceptionMiddleware):
    """Sends a failed Google sign-in back to the sign-in page (SOCIAL_AUTH_LOGIN_ERROR_URL)
    with a message; a refusal says why, in words a person can act on."""

    def get_message(self, request: HttpRequest, exception: SocialAuthBaseException) -> str:
        # social-auth also uses this code for a resumed partial pipeline of the wrong
        # kind; RMS has no partial pipeline, so here it is one of the refusals above.
        if exception.code != "authentication_disallowed":
            return super().get_message(request, exception)
        domains = request.backend.setting("WHITELISTED_DOMAINS")
        if not domains:
            return _("Sign-in with Google is switched off here; sign in with your password.")
        return _("Only accounts of %(domains)s may sign in with Google.") % {
            "domains": ", ".join(domains)
        }


def add_new_user_to_recruiters(user, is_new: bool = False, **kwargs) -> None:
    """A pipeline step: people signing in for the first time become recruiters. Later
    sign-ins leave their groups alone (an admin may have changed them); staff and
    superuser rights are only ever given by an admin."""
    if is_new:
        # The data migration makes the group; an admin may have deleted it since.
        user.groups.add(Group.objects.get_or_create(name=RECRUITERS)[0])


def google_sign_in(request: HttpRequest) -> dict[str, bool]:
    """A context processor: whether the sign-in page offers Google."""
    return {"google_sign_in": bool(settings.SOCIAL_AUTH_GOOGLE_OAUTH2_WHITELISTED_DOMAINS)}
