"""Data subject requests: asked from a link in any mail, verified by e-mail, then queued
for the admins with the GDPR's month to answer."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from privacy.links import request_link_read, request_token
from privacy.models import SubjectRequest
from recruitment import services
from recruitment.models import Activity, Applicant
from recruitment.services.base import record_activity

MESSAGE_MAX = 2000
ANSWER_MAX = 2000


def subject_request_ask(*, email: str, kind: str, message: str, site_url: str) -> None:
    """Mail a verification link to `email`; the request exists once it is followed.

    Nothing is stored before that, and the answer is the same for any address: a
    stranger learns nothing about who is on file.
    """
    email = email.strip()
    try:
        validate_email(email)
    except ValidationError:
        raise services.ServiceError(_("Enter a valid e-mail address."), field="email") from None
    if kind not in SubjectRequest.Kind.values:
        raise services.ServiceError(_("Choose what you ask for."), field="kind")
    if len(message) > MESSAGE_MAX:
        raise services.ServiceError(
            _("Write at most %(max)s characters.") % {"max": MESSAGE_MAX}, field="message"
        )
    token = request_token(email=email, kind=kind, message=message.strip())
    context = {
        "link": site_url + reverse("privacy:request_verify", kwargs={"token": token}),
        "kind": SubjectRequest.Kind(kind).label,
        "hours": settings.RMS_PRIVACY_REQUEST_LINK_HOURS,
    }
    subject = render_to_string("privacy/emails/verify_subject.txt", context)
    body = render_to_string("privacy/emails/verify_body.txt", context)
    services.email_queue(to=email, subject=" ".join(subject.split()), body=body)


@transaction.atomic
def subject_request_verify(*, token: str) -> SubjectRequest:
    """Queue the request a verification link carries (once: a second use finds it).

    signing.BadSignature (SignatureExpired) for a tampered (too old) link.
    """
    email, kind, message = request_link_read(token)
    now = timezone.now()
    recent = now - timedelta(hours=settings.RMS_PRIVACY_REQUEST_LINK_HOURS)
    existing = SubjectRequest.objects.filter(
        email__iexact=email, kind=kind, message=message, received_at__gte=recent
    ).first()
    if existing is not None:
        return existing
    applicant = Applicant.objects.filter(
        email__iexact=email, anonymised_at__isnull=True, merged_into__isnull=True
    ).first()
    request = SubjectRequest.objects.create(
        kind=kind,
        email=email,
        applicant=applicant,
        message=message,
        received_at=now,
        due_at=now + timedelta(days=settings.RMS_PRIVACY_REQUEST_DAYS),
    )
    if applicant is not None:
        record_activity(
            applicant=applicant,
            kind=Activity.Kind.SUBJECT_REQUEST,
            actor=None,
            body=_("The candidate asked: %(kind)s (verified by e-mail).")
            % {"kind": request.get_kind_display()},
        )
    return request


@transaction.atomic
def subject_request_close(
    *, request: SubjectRequest, actor: AbstractBaseUser, status: str, answer: str
) -> SubjectRequest:
    """Mark a request done or refused, with what was done or why not."""
    if status not in (SubjectRequest.Status.DONE, SubjectRequest.Status.REFUSED):
        raise services.ServiceError(_("Choose done or refused."), field="status")
    answer = answer.strip()
    if not answer:
        raise services.ServiceError(_("Say what was done, or why not."), field="answer")
    if len(answer) > ANSWER_MAX:
        raise services.ServiceError(
            _("Write at most %(max)s characters.") % {"max": ANSWER_MAX}, field="answer"
        )
    request = SubjectRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != SubjectRequest.Status.OPEN:
        raise services.ServiceError(_("This request was handled already."))
    request.status, request.answer = status, answer
    request.handled_by, request.handled_at = actor, timezone.now()
    request.save(update_fields=["status", "answer", "handled_by", "handled_at"])
    applicant = request.applicant
    if applicant is not None:
        record_activity(
            applicant=applicant,
            kind=Activity.Kind.SUBJECT_REQUEST,
            actor=actor,
            body=_("Request “%(kind)s” %(status)s: %(answer)s")
            % {
                "kind": request.get_kind_display(),
                "status": request.get_status_display().lower(),
                "answer": answer,
            },
        )
    return request
