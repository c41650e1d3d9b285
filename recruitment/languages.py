"""Which language a page is in.

Signed-in users: the language they chose (recruitment.UserLanguage), copied into their
session when they sign in, so a page costs no query for it. Everyone else (the careers
site): `?lang=pl` when given, remembered in Django's language cookie; otherwise the
browser's Accept-Language, as django.middleware.locale.LocaleMiddleware reads it.
"""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers

SESSION_KEY = "rms_language"
QUERY_PARAMETER = "lang"


def language_supported(code: str | None) -> bool:
    return code in dict(settings.LANGUAGES)


def copy_choice_into_session(sender, request, user, **kwargs) -> None:
    """On sign-in (user_logged_in): the user's remembered language, for this session."""
    from recruitment.models import UserLanguage

    choice = UserLanguage.objects.filter(user=user).values_list("language", flat=True).first()
    if language_supported(choice):
        request.session[SESSION_KEY] = choice


class UserLanguageMiddleware:
    """After LocaleMiddleware and AuthenticationMiddleware: a stated choice overrides the
    browser's languages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        asked = request.GET.get(QUERY_PARAMETER)
        chosen = None
        if language_supported(asked):
            chosen = asked
        elif settings.SESSION_COOKIE_NAME in request.COOKIES:
            # Only sign-in and the switcher put the key there, and signing out flushes
            # the session; a visitor without a session costs no query here.
            chosen = request.session.get(SESSION_KEY)
        if language_supported(chosen):
            translation.activate(chosen)
            request.LANGUAGE_CODE = chosen
        response = self.get_response(request)
        if language_supported(asked):
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                asked,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite="Lax",
                secure=request.is_secure(),
                httponly=True,
            )
        if language_supported(asked) or settings.LANGUAGE_COOKIE_NAME in request.COOKIES:
            # The page's language came from the address or the cookie, not only from
            # Accept-Language: a shared cache must not hand it to another visitor.
            patch_vary_headers(response, ("Cookie",))
        return response
