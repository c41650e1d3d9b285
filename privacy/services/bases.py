"""Legal bases recorded by a recruiter, and consents renewed by their candidates."""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from careers.models import Consent
from privacy.links import RenewalLink, renewal_link_read
from privacy.models import LegalBasis
from recruitment.models import Activity, Applicant, Vacancy
from recruitment.services import ServiceError
from recruitment.services.base import record_activity


@transaction.atomic
def legal_basis_record(
    *,
    applicant: Applicant,
    actor: AbstractBaseUser,
    basis: str,
    purpose: str,
    source: str,
    given_at: datetime,
    vacancy: Vacancy | None = None,
    wording_version: str = "",
    valid_until: datetime | None = None,
) -> LegalBasis:
    """Record why we may hold an applicant's data; ValidationError on a basis that does
    not hold together (a legitimate interest without its vacancy, ...)."""
    if applicant.anonymised_at is not None:
        raise ServiceError(_("This applicant's data were anonymised: there is nothing to hold."))
    legal_basis = LegalBasis(
        applicant=applicant,
        basis=basis,
        purpose=purpose,
        source=source,
        given_at=given_at,
        vacancy=vacancy,
        wording_version=wording_version.strip(),
        valid_until=valid_until,
        recorded_by=actor,
    )
    legal_basis.full_clean()
    legal_basis.save()
    record_activity(
        applicant=applicant,
        kind=Activity.Kind.BASIS_RECORDED,
        actor=actor,
        body=_basis_summary(legal_basis),
    )
    return legal_basis


def _basis_summary(legal_basis: LegalBasis) -> str:
    parts = [f"{legal_basis.get_basis_display()}: {legal_basis.get_purpose_display()}"]
    if legal_basis.vacancy is not None:
        parts.append(str(legal_basis.vacancy))
    parts.append(_("source: %(source)s") % {"source": legal_basis.get_source_display()})
    if legal_basis.valid_until is not None:
        parts.append(_("until %(date)s") % {"date": _day(legal_basis.valid_until)})
    return "; ".join(parts)


def _day(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "Y-m-d")


def consent_extension() -> timedelta:
    # As long as the careers site's consent lasts (30-day months, as careers counts them).
    return timedelta(days=30 * settings.RMS_CAREERS_FUTURE_CONSENT_MONTHS)


@transaction.atomic
def consent_renew(*, token: str) -> datetime:
    """Extend the future-openings consent a renewal link names; its new expiry.

    signing.BadSignature (SignatureExpired) for a tampered (too old) link. A link used
    again after it worked changes nothing; one for a consent that was renewed meanwhile
    or whose holder was anonymised is refused.
    """
    link = renewal_link_read(token)
    row = _consent_row(link)
    if row is None:
        raise ServiceError(_("This consent no longer exists: the data were erased."))
    applicant = Applicant.objects.select_for_update().get(pk=row.applicant_id)
    if applicant.anonymised_at is not None:
        raise ServiceError(_("This consent no longer exists: the data were erased."))
    if row.valid_until != link.valid_until:
        # Renewed already, with this link or another: the later expiry stands.
        return row.valid_until
    now = timezone.now()
    renewed = max(now, row.valid_until) + consent_extension()
    type(row).objects.filter(pk=row.pk).update(valid_until=renewed)
    record_activity(
        applicant=applicant,
        kind=Activity.Kind.CONSENT_RENEWED,
        actor=None,
        body=_(
            "The candidate renewed the future-openings consent through the e-mailed link: "
            "valid until %(until)s (was %(was)s)."
        )
        % {"until": _day(renewed), "was": _day(row.valid_until)},
    )
    return renewed


def _consent_row(link: RenewalLink) -> Consent | LegalBasis | None:
    model = Consent if link.source == RenewalLink.CAREERS else LegalBasis
    return model.objects.select_for_update().filter(pk=link.pk).first()
