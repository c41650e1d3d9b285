"""Anonymisation: the person goes, the recruitment's history stays.

Names, contact details, birth year, the CV and every free text written about or by the
person are erased or replaced; applications, stages, dates, sources, vacancies, tags
and ratings' numbers stay, so the reports count the same before and after. The record
(and every record merged into it) is marked anonymised: duplicate detection never
matches it again, and recruitment's services refuse to change or mail it.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from careers.models import Consent, Submission
from privacy.models import SubjectRequest
from recruitment.cv import cv_file_delete_after_commit
from recruitment.models import Activity, Applicant, Application, OutgoingEmail
from recruitment.services import ServiceError
from recruitment.services.base import record_activity

# What an anonymised record shows in place of a name ("Anonymised #123"), in the list and
# on the page.
ANONYMOUS_NAME = "Anonymised"
REASON_MAX = 500


def anonymous_email(pk: int) -> str:
    # Unique (the e-mail is), on a reserved top-level domain no mail can reach.
    return f"anonymised-{pk}@anonymised.invalid"


@transaction.atomic
def applicant_anonymise(
    *, applicant: Applicant, actor: AbstractBaseUser | None, reason: str
) -> Applicant:
    """Erase an applicant's personal data (and that of records merged into theirs).

    The CV files are deleted from storage once the transaction commits; the timeline
    keeps an entry saying who did it and why.
    """
    reason = reason.strip()
    if not reason:
        raise ServiceError(_("Say why the data are erased."), field="reason")
    if len(reason) > REASON_MAX:
        raise ServiceError(
            _("Say why in at most %(max)s characters.") % {"max": REASON_MAX}, field="reason"
        )
    applicant = Applicant.objects.select_for_update().get(pk=applicant.pk)
    if applicant.anonymised_at is not None:
        raise ServiceError(_("This applicant's data were anonymised already."))
    now = timezone.now()
    for person in _with_merged(applicant):
        _erase(person, now=now)
    applicant.refresh_from_db()
    record_activity(applicant=applicant, kind=Activity.Kind.ANONYMISED, actor=actor, body=reason)
    return applicant


def _with_merged(applicant: Applicant) -> list[Applicant]:
    """The applicant and every record merged into it, directly or through another."""
    people, frontier = [applicant], [applicant.pk]
    while frontier:
        merged = list(Applicant.objects.select_for_update().filter(merged_into__in=frontier))
        people += merged
        frontier = [person.pk for person in merged]
    return people


def _erase(person: Applicant, *, now) -> None:
    submissions = Submission.objects.filter(application__applicant=person)
    files = [person.cv.name, *submissions.exclude(cv="").values_list("cv", flat=True)]
    emails = OutgoingEmail.objects.filter(Q(applicant=person) | Q(to__iexact=person.email))
    emails.filter(status=OutgoingEmail.Status.QUEUED).update(
        status=OutgoingEmail.Status.FAILED, last_error=_("Not sent: the data were anonymised.")
    )
    emails.update(to="", subject="", body="")
    SubjectRequest.objects.filter(Q(applicant=person) | Q(email__iexact=person.email)).update(
        email=anonymous_email(person.pk), message=""
    )
    submissions.update(ip_address=None, message="", candidate_says={}, cv="")
    Consent.objects.filter(applicant=person).update(ip_address=None)
    Activity.objects.filter(applicant=person).update(body="")
    Application.objects.filter(applicant=person).update(close_note="")
    # update(), not the services: this is no recruiter's edit, and its timeline entry
    # must not say what the values were.
    Applicant.objects.filter(pk=person.pk).update(
        first_name=ANONYMOUS_NAME,
        last_name=f"#{person.pk}",
        email=anonymous_email(person.pk),
        phone="",
        phone_key="",
        birth_year=None,
        current_work="",
        linkedin_url="",
        cv="",
        cv_text="",
        anonymised_at=now,
    )
    for name in files:
        cv_file_delete_after_commit(name)
