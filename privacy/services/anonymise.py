"""Anonymisation: the person goes, the recruitment's history stays.

Names, contact details, birth year, the CV and every free text written about or by the
person are erased or replaced; applications, stages, dates, sources, vacancies, tags
and ratings' numbers stay, so the reports count the same before and after. The record
(and every record merged into it) is marked anonymised: duplicate detection never
matches it again, and recruitment's services refuse to change or mail it.

One person at a time (an admin's "erase now"), or many in a few statements (the nightly
retention run: ten thousand people one by one would cost ~20 queries each).
"""

from functools import partial

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import CharField, F, Q, Value
from django.db.models.functions import Cast, Concat, Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from careers.models import Consent, Submission
from privacy.models import SubjectRequest
from recruitment.models import Activity, Applicant, Application, BulkJob, OutgoingEmail
from recruitment.services import ServiceError
from recruitment.services.base import record_activity

# What an anonymised record shows in place of a name ("Anonymised #123"), in the list and
# on the page.
ANONYMOUS_NAME = "Anonymised"
ANONYMOUS_DOMAIN = "anonymised.invalid"
REASON_MAX = 500
# People per set of statements in a bulk run: the id lists stay short enough to plan.
CHUNK = 500


def anonymous_email(pk: int) -> str:
    # Unique (the e-mail is), on a reserved top-level domain no mail can reach.
    return f"anonymised-{pk}@{ANONYMOUS_DOMAIN}"


def reason_check(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ServiceError(_("Say why."), field="reason")
    if len(reason) > REASON_MAX:
        raise ServiceError(
            _("Say why in at most %(max)s characters.") % {"max": REASON_MAX}, field="reason"
        )
    return reason


@transaction.atomic
def applicant_anonymise(
    *, applicant: Applicant, actor: AbstractBaseUser | None, reason: str
) -> Applicant:
    """Erase an applicant's personal data (and that of records merged into theirs).

    The CV files are deleted from storage once the transaction commits; the timeline
    keeps an entry saying who did it and why.
    """
    reason = reason_check(reason)
    applicant = Applicant.objects.select_for_update().get(pk=applicant.pk)
    if applicant.anonymised_at is not None:
        raise ServiceError(_("This applicant's data were anonymised already."))
    _erase([applicant.pk], now=timezone.now())
    applicant.refresh_from_db()
    record_activity(applicant=applicant, kind=Activity.Kind.ANONYMISED, actor=actor, body=reason)
    return applicant


def applicants_anonymise(*, pks: list[int], actor: AbstractBaseUser | None, reason: str) -> int:
    """Anonymise many at once, CHUNK people per transaction; how many were.

    The same erasure and the same timeline entry as applicant_anonymise. Anyone
    anonymised meanwhile is skipped; a chunk that fails leaves the chunks before it done.
    """
    reason = reason_check(reason)
    done = 0
    for start in range(0, len(pks), CHUNK):
        done += _anonymise_chunk(pks[start : start + CHUNK], actor=actor, reason=reason)
    return done


@transaction.atomic
def _anonymise_chunk(pks: list[int], *, actor, reason: str) -> int:
    locked = Applicant.objects.select_for_update().filter(pk__in=pks, anonymised_at__isnull=True)
    people = list(locked.values_list("pk", flat=True))
    if not people:
        return 0
    now = timezone.now()
    _erase(people, now=now)
    # record_activity's work for many: the entries, and the records' latest activity.
    Activity.objects.bulk_create(
        Activity(
            applicant_id=pk, kind=Activity.Kind.ANONYMISED, actor=actor, body=reason, created_at=now
        )
        for pk in people
    )
    Applicant.objects.filter(pk__in=people).update(latest_activity_at=now)
    return len(people)


def _with_merged(pks: list[int]) -> list[int]:
    """These records and every record merged into them, directly or through another."""
    everyone, frontier = list(pks), list(pks)
    while frontier:
        merged = Applicant.objects.select_for_update().filter(merged_into__in=frontier)
        frontier = list(merged.values_list("pk", flat=True))
        everyone += frontier
    return everyone


def _erase(pks: list[int], *, now) -> None:
    pks = _with_merged(pks)
    people = Applicant.objects.filter(pk__in=pks)
    addresses = [email.lower() for email in people.values_list("email", flat=True)]
    submissions = Submission.objects.filter(application__applicant__in=pks)
    files = [*people.exclude(cv="").values_list("cv", flat=True)]
    files += submissions.exclude(cv="").values_list("cv", flat=True)
    # Mails about an application name its applicant; the others (a request's
    # verification) are found by their address.
    emails = OutgoingEmail.objects.alias(to_lower=Lower("to")).filter(
        Q(applicant__in=pks) | Q(applicant__isnull=True, to_lower__in=addresses)
    )
    emails.filter(status=OutgoingEmail.Status.QUEUED).update(
        status=OutgoingEmail.Status.FAILED, last_error=_("Not sent: the data were anonymised.")
    )
    emails.update(to="", subject="", body="")
    requests = SubjectRequest.objects.alias(email_lower=Lower("email"))
    requests.filter(applicant__in=pks).update(
        email=_anonymous_email_of_applicant("applicant_id"), message=""
    )
    requests.filter(applicant__isnull=True, email_lower__in=addresses).update(
        email=f"anonymised@{ANONYMOUS_DOMAIN}", message=""
    )
    _bulk_refusals_erase(Application.objects.filter(applicant__in=pks).values_list("pk", flat=True))
    submissions.update(ip_address=None, message="", candidate_says={}, cv="")
    Consent.objects.filter(applicant__in=pks).update(ip_address=None)
    Activity.objects.filter(applicant__in=pks).exclude(body="").update(body="")
    Application.objects.filter(applicant__in=pks).exclude(close_note="").update(close_note="")
    # update(), not the services: this is no recruiter's edit, and its timeline entry
    # must not say what the values were.
    people.update(
        first_name=ANONYMOUS_NAME,
        last_name=Concat(Value("#"), Cast(F("pk"), CharField())),
        email=_anonymous_email_of_applicant("pk"),
        phone="",
        phone_key="",
        birth_year=None,
        current_work="",
        linkedin_url="",
        cv="",
        cv_text="",
        anonymised_at=now,
    )
    if files:
        # Before the commit a rollback could still bring the names back.
        transaction.on_commit(partial(_files_delete, files))


def _bulk_refusals_erase(application_pks) -> None:
    """A bulk job keeps its first refusals as lines "who (application id): why": the
    person's lines lose the name. Jobs are few (a recruiter's recent ones), so a pass
    over those with refusals costs little."""
    marks = tuple(f" ({pk}): " for pk in application_pks)
    for job in BulkJob.objects.filter(refused__gt=0).only("pk", "refusals"):
        lines = [_refusal_unnamed(line, marks) for line in job.refusals]
        if lines != job.refusals:
            BulkJob.objects.filter(pk=job.pk).update(refusals=lines)


def _refusal_unnamed(line: str, marks: tuple[str, ...]) -> str:
    for mark in marks:
        if mark in line:
            return ANONYMOUS_NAME + line[line.index(mark) :]
    return line


def _anonymous_email_of_applicant(column: str) -> Concat:
    """anonymous_email() in SQL, of the applicant id in `column`."""
    return Concat(
        Value("anonymised-"),
        Cast(F(column), CharField()),
        Value(f"@{ANONYMOUS_DOMAIN}"),
        output_field=CharField(),
    )


def _files_delete(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)
