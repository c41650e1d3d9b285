"""The consents' wording. A change of words gets a new version: the records keep both."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from careers.models import Consent


@dataclass(frozen=True)
class Wording:
    purpose: str
    version: str
    text: str


def processing_wording(*, vacancy_title: str) -> Wording:
    return Wording(
        Consent.Purpose.PROCESSING,
        "2025-1",
        _(
            "I agree that my personal data in this application are processed to recruit "
            "for the position %(vacancy)s."
        )
        % {"vacancy": vacancy_title},
    )


def future_openings_wording() -> Wording:
    return Wording(
        Consent.Purpose.FUTURE_OPENINGS,
        "2025-1",
        _(
            "I agree that my data are kept for %(months)s months and that I may be asked "
            "about other openings."
        )
        % {"months": settings.RMS_CAREERS_FUTURE_CONSENT_MONTHS},
    )
