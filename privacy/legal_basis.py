"""Which applicants have which legal basis now, as filters on an applicant relation.

Both kinds of basis count: the careers site's consents (careers.Consent) and those a
recruiter recorded (LegalBasis). A basis is valid until its expiry (none: no expiry).
The list's filters and the nightly job share these, so they agree on who is who.
"""

from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef, Q

from careers.models import Consent
from privacy.models import LegalBasis

EXPIRING_DAYS = 30


def _unexpired(now: datetime) -> Q:
    return Q(valid_until__isnull=True) | Q(valid_until__gt=now)


def valid_basis_q(*, now: datetime, applicant_ref: str = "pk") -> Q:
    """Rows whose applicant (the column `applicant_ref`) has some unexpired basis."""
    careers = Consent.objects.filter(_unexpired(now), applicant=OuterRef(applicant_ref))
    recorded = LegalBasis.objects.filter(_unexpired(now), applicant=OuterRef(applicant_ref))
    return Q(Exists(careers)) | Q(Exists(recorded))


def consent_expiring_q(*, now: datetime, days: int = EXPIRING_DAYS, applicant_ref: str = "pk") -> Q:
    """Rows whose applicant has a consent ending within `days` (the future-openings
    ones, in practice: the others have no expiry)."""
    window = Q(valid_until__gt=now, valid_until__lte=now + timedelta(days=days))
    careers = Consent.objects.filter(window, applicant=OuterRef(applicant_ref))
    recorded = LegalBasis.objects.filter(
        window, basis=LegalBasis.Basis.CONSENT, applicant=OuterRef(applicant_ref)
    )
    return Q(Exists(careers)) | Q(Exists(recorded))
