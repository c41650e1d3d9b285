from django.conf import settings
from django.db import transaction

from recruitment.models import UserLanguage


def user_language_set(*, user, language: str) -> UserLanguage:
    """Remember the user's language. A preference, not a record of the hiring work, so it
    writes no Activity: the timeline is the applicants'."""
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"not one of LANGUAGES: {language!r}")
    with transaction.atomic():
        choice, _ = UserLanguage.objects.update_or_create(
            user=user, defaults={"language": language}
        )
    return choice
