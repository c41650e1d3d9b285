"""Writes of the careers site: publishing, applying, confirming.

Applicants, applications, the timeline and the mails are recruitment's: these functions
change them only through `recruitment.services`.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext as _

from careers import selectors
from careers.consents import Wording, future_openings_wording, processing_wording
from careers.linkedin import LinkedInProfile
from careers.links import confirmation_submission_pk, confirmation_token
from careers.models import Consent, Posting, Submission
from recruitment import services
from recruitment.cv import cv_kind
from recruitment.models import Applicant, Source, Stage, Vacancy

CAREERS_SOURCE = "Careers page"
# A candidate who filled the form in from their LinkedIn profile.
LINKEDIN_SOURCE = "LinkedIn"
# What the form asks that the applicant's record holds too.
CANDIDATE_FIELDS = ("first_name", "last_name", "phone", "city", "linkedin_url")


class AlreadyAppliedError(services.ServiceError):
    """The candidate has an open application for this vacancy already."""


@transaction.atomic
def posting_save(
    *,
    vacancy: Vacancy,
    actor: AbstractBaseUser,
    slug: str,
    seniority: str,
    contract: str,
    is_published: bool,
) -> Posting:
    """Create or change a vacancy's posting; the first publishing dates it."""
    posting = selectors.posting_for_vacancy(vacancy=vacancy) or Posting(vacancy=vacancy)
    posting.slug, posting.seniority, posting.contract = slug, seniority, contract
    posting.is_published = is_published
    posting.updated_at = timezone.now()
    if is_published and posting.published_at is None:
        posting.published_at = posting.updated_at
    posting.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            posting.save()
    except IntegrityError:
        raise services.ServiceError(_("Another vacancy has this address."), field="slug") from None
    return posting


@dataclass(frozen=True)
class Candidate:
    """The form's values: first_name, last_name, email, phone, city (a City or None),
    linkedin_url."""

    first_name: str
    last_name: str
    email: str
    phone: str
    city: object
    linkedin_url: str


def careers_apply(
    *,
    posting: Posting,
    candidate: Candidate,
    cv,
    message: str,
    future_openings: bool,
    ip_address: str | None,
    language: str,
    site_url: str,
    linkedin: LinkedInProfile | None = None,
) -> Submission:
    """Apply for a posting: an Applicant (new, or the one with this e-mail), an
    Application at the Application stage, the consents, and the confirmation mail.

    With `linkedin`, the form was filled in from that LinkedIn profile: a new applicant's
    source is then "LinkedIn" rather than "Careers page", and the picture is kept.

    All or nothing: a refusal anywhere leaves no row, and no CV file either (a stored
    file is not rolled back with the transaction, so it is deleted here).
    """
    # Checked before anything is written: a CV may also be kept on the submission.
    if cv is not None:
        services.cv_check(cv)
    stored: list[str] = []
    try:
        with transaction.atomic():
            return _apply(
                posting=posting,
                candidate=candidate,
                cv=cv,
                message=message,
                future_openings=future_openings,
                ip_address=ip_address,
                language=language,
                site_url=site_url,
                linkedin=linkedin,
                stored=stored,
            )
    except BaseException:
        for name in stored:
            default_storage.delete(name)
        raise


def _apply(*, posting, candidate, cv, message, future_openings, ip_address, language,
           site_url, linkedin, stored) -> Submission:  # fmt: skip
    vacancy = posting.vacancy
    applicant = selectors.applicant_with_email(email=candidate.email)
    if applicant is not None and selectors.open_application_exists(
        applicant=applicant, vacancy=vacancy
    ):
        raise AlreadyAppliedError(_("You have already applied for this position."))
    says: dict[str, str] = {}
    if applicant is None:
        source = CAREERS_SOURCE if linkedin is None else LINKEDIN_SOURCE
        applicant = _applicant_new(candidate=candidate, cv=cv, source=source)
        if cv is not None:
            stored.append(applicant.cv.name)
        cv = None
    else:
        says = _applicant_known(applicant=applicant, candidate=candidate)
    try:
        application = services.application_create(applicant=applicant, vacancy=vacancy, actor=None)
    except services.ServiceError as error:
        if error.field != "vacancy":
            raise
        raise AlreadyAppliedError(_("You have already applied for this position.")) from None
    submission = Submission.objects.create(
        application=application,
        ip_address=ip_address,
        language=language,
        message=message.strip(),
        candidate_says=says,
        linkedin_picture=linkedin.picture if linkedin else "",
    )
    if cv is not None:
        _cv_keep(submission=submission, applicant=applicant, cv=cv, stored=stored)
    _consents_record(
        submission=submission, vacancy_title=vacancy.public_title, future_openings=future_openings
    )
    if says:
        _candidate_says_note(submission=submission, says=says)
    _confirmation_mail_queue(submission=submission, site_url=site_url)
    return submission


def _applicant_new(*, candidate: Candidate, cv, source: str) -> Applicant:
    return services.applicant_create(
        actor=None,
        cv=cv,
        source=_source(source),
        first_name=candidate.first_name,
        last_name=candidate.last_name,
        email=candidate.email,
        phone=candidate.phone,
        city=candidate.city,
        linkedin_url=candidate.linkedin_url,
    )


def _source(name: str) -> Source:
    source = Source.objects.filter(name=name).first()
    if source is not None:
        return source
    try:
        return services.lookup_create(model=Source, name=name)
    except services.ServiceError:
        # Made by a concurrent application meanwhile.
        return Source.objects.get(name=name)


def _applicant_known(*, applicant: Applicant, candidate: Candidate) -> dict[str, str]:
    """Fill what the record leaves empty; what differs stays the recruiters' and is
    returned, as the candidate's word, to be shown beside it."""
    blanks, says = {}, {}
    for name in CANDIDATE_FIELDS:
        theirs, ours = getattr(candidate, name), getattr(applicant, name)
        if theirs in ("", None) or theirs == ours:
            continue
        if ours in ("", None):
            blanks[name] = theirs
        else:
            says[name] = str(theirs)
    if blanks:
        services.applicant_update(applicant=applicant, actor=None, **blanks)
    return says


def _cv_keep(*, submission: Submission, applicant: Applicant, cv, stored: list[str]) -> None:
    if not applicant.cv.name:
        services.applicant_cv_attach(applicant=applicant, upload=cv, actor=None)
        stored.append(applicant.cv.name)
        return
    # The recruiters' CV stays on the record; the new one is kept with the submission.
    submission.cv.save(f"cv.{cv_kind(cv)}", cv, save=False)
    stored.append(submission.cv.name)
    submission.save(update_fields=["cv"])


def _consents_record(*, submission: Submission, vacancy_title: str, future_openings: bool):
    wordings = [processing_wording(vacancy_title=vacancy_title)]
    if future_openings:
        wordings.append(future_openings_wording())
    Consent.objects.bulk_create(
        [_consent(submission=submission, wording=wording) for wording in wordings]
    )


def _consent(*, submission: Submission, wording: Wording) -> Consent:
    valid_until = None
    if wording.purpose == Consent.Purpose.FUTURE_OPENINGS:
        months = settings.RMS_CAREERS_FUTURE_CONSENT_MONTHS
        valid_until = submission.submitted_at + timedelta(days=30 * months)
    return Consent(
        submission=submission,
        applicant_id=submission.application.applicant_id,
        purpose=wording.purpose,
        wording_version=wording.version,
        wording=wording.text,
        given_at=submission.submitted_at,
        ip_address=submission.ip_address,
        valid_until=valid_until,
    )


def _candidate_says_note(*, submission: Submission, says: dict[str, str]) -> None:
    labels = {name: Applicant._meta.get_field(name).verbose_name for name in says}
    items = "".join(
        f"<li>{escape(labels[name])}: {escape(value)}</li>" for name, value in says.items()
    )
    services.note_add(
        applicant=submission.application.applicant,
        application=submission.application,
        actor=None,
        body=f"<p>{escape(_('The candidate now says (careers page):'))}</p><ul>{items}</ul>",
    )


def _mail(*, submission: Submission, template: str, context: dict) -> None:
    application = submission.application
    context = {"application": application, "submission": submission, **context}
    with translation.override(submission.language):
        subject = render_to_string(f"careers/emails/{template}_subject.txt", context)
        body = render_to_string(f"careers/emails/{template}_body.txt", context)
    services.email_queue(
        to=application.applicant.email,
        subject=" ".join(subject.split()),
        body=body,
        application=application,
        actor=None,
    )


def _confirmation_mail_queue(*, submission: Submission, site_url: str) -> None:
    token = confirmation_token(submission_pk=submission.pk)
    with translation.override(submission.language):
        path = reverse("careers:confirm", kwargs={"token": token})
    _mail(
        submission=submission,
        template="confirm",
        context={"link": f"{site_url}{path}", "days": settings.RMS_CAREERS_CONFIRM_DAYS},
    )


@transaction.atomic
def application_confirm(*, token: str) -> Submission:
    """Move the application the link names to Confirmation, as done by the candidate.

    signing.BadSignature (or SignatureExpired) for a link that was tampered with or is
    too old; a second use of a good link changes nothing.
    """
    submission = selectors.submission_for_confirmation(pk=confirmation_submission_pk(token))
    if submission is None:
        raise services.ServiceError(_("This application no longer exists."))
    if submission.confirmed_at is not None:
        return submission
    application = submission.application
    # A recruiter may have moved it on already; confirming then moves nothing back.
    if application.stage == Stage.APPLICATION:
        application = services.application_move_to_stage(
            application=application,
            stage=Stage.CONFIRMATION,
            actor=None,
            expected_stage=Stage.APPLICATION,
        )
    services.note_add(
        applicant=application.applicant,
        application=application,
        actor=None,
        body=escape(_("Confirmed by the candidate, through the link in the e-mail.")),
    )
    submission.confirmed_at = timezone.now()
    submission.save(update_fields=["confirmed_at"])
    _mail(submission=submission, template="thanks", context={})
    return submission
