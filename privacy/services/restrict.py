"""Restriction of processing: the record stays, readable, but frozen, unsearched, unmailed."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from privacy.services.anonymise import reason_check
from recruitment.models import Activity, Applicant, OutgoingEmail
from recruitment.services import ServiceError
from recruitment.services.base import record_activity


@transaction.atomic
def applicant_restrict(*, applicant: Applicant, actor: AbstractBaseUser, reason: str) -> Applicant:
    """Freeze the record: no change, no search finds it, and no mail goes out (those
    waiting in the outbox are stopped)."""
    reason = reason_check(reason)
    applicant = Applicant.objects.select_for_update().get(pk=applicant.pk)
    if applicant.anonymised_at is not None:
        raise ServiceError(
            _("This applicant's data were anonymised: there is nothing to restrict.")
        )
    if applicant.restricted_at is not None:
        raise ServiceError(_("This record is restricted already."))
    applicant.restricted_at = timezone.now()
    applicant.save(update_fields=["restricted_at"])
    OutgoingEmail.objects.filter(applicant=applicant, status=OutgoingEmail.Status.QUEUED).update(
        status=OutgoingEmail.Status.FAILED,
        last_error=_("Not sent: the processing of this person's data is restricted."),
    )
    record_activity(applicant=applicant, kind=Activity.Kind.RESTRICTED, actor=actor, body=reason)
    return applicant


@transaction.atomic
def applicant_unrestrict(
    *, applicant: Applicant, actor: AbstractBaseUser, reason: str
) -> Applicant:
    reason = reason_check(reason)
    applicant = Applicant.objects.select_for_update().get(pk=applicant.pk)
    if applicant.restricted_at is None:
        raise ServiceError(_("This record is not restricted."))
    applicant.restricted_at = None
    applicant.save(update_fields=["restricted_at"])
    record_activity(applicant=applicant, kind=Activity.Kind.UNRESTRICTED, actor=actor, body=reason)
    return applicant
