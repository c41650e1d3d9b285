"""Outgoing e-mail: queued in the caller's transaction, sent by a worker, once.

Every mail goes through `email_queue`: the row (with its Message-ID) and the "queued"
timeline entry are written in the transaction of the change that caused the mail, and
the task is handed to the broker only after that commits. A broker that is down then
loses nothing: the row stays queued and `email_outbox_requeue` (beat) hands it out again.
"""

import logging
import secrets
import string
from datetime import timedelta
from email.mime.text import MIMEText
from email.utils import make_msgid
from functools import partial
from smtplib import SMTPException

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import BadHeaderError, EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError

from recruitment.models import (
    Activity,
    Application,
    OutgoingEmail,
    Stage,
    StageEmailTemplate,
)
from recruitment.services.base import ServiceError, record_activity

logger = logging.getLogger(__name__)

# The longest pause between two tries; a queued row older than STUCK_AFTER is stuck.
RETRY_MAX_SECONDS = 600
STUCK_AFTER = timedelta(seconds=RETRY_MAX_SECONDS * 2)


def stage_email_send(
    *, application_pk: int, stage: str, actor: AbstractBaseUser | None
) -> OutgoingEmail | None:
    """Queue the stage's active e-mail template for this application move.

    The one entry point for "send the stage e-mail": a move, a bulk action or a resend
    all come here. Call it inside the move's transaction; None when the stage has no
    active template.
    """
    templates = {
        template.language: template
        for template in StageEmailTemplate.objects.filter(stage=stage, is_active=True)
    }
    if not templates:
        return None
    application = Application.objects.select_related(
        "applicant", "vacancy", "careers_submission"
    ).get(pk=application_pk)
    # The candidate's language first; the default language's template when it has none.
    template = templates.get(_candidate_language(application)) or templates.get(
        settings.LANGUAGE_CODE
    )
    if template is None:
        return None
    applicant = application.applicant
    with translation.override(template.language):
        values = {
            "first_name": applicant.first_name,
            "last_name": applicant.last_name,
            "vacancy": application.vacancy.title,
            "stage": str(Stage(stage).label),
        }
    return email_queue(
        to=applicant.email,
        subject=_header_safe(string.Template(template.subject).safe_substitute(values)),
        body=string.Template(template.body).safe_substitute(values),
        application=application,
        actor=actor,
    )


def _candidate_language(application: Application) -> str:
    """The language the candidate applied in on the careers site; the default language
    for applicants the recruiters added themselves."""
    submission = getattr(application, "careers_submission", None)
    if submission is not None and submission.language in dict(settings.LANGUAGES):
        return submission.language
    return settings.LANGUAGE_CODE


def _header_safe(text: str) -> str:
    # Names cannot hold line breaks (the model refuses them), but records older than
    # that rule may: a subject is one line, or the mail's headers cannot be written.
    return " ".join(text.split())


@transaction.atomic
def email_queue(
    *,
    to: str,
    subject: str,
    body: str,
    application: Application | None = None,
    actor: AbstractBaseUser | None = None,
    calendar: str = "",
) -> OutgoingEmail:
    """Write the mail to the outbox; a worker sends it once this transaction commits.

    `calendar`, when given, is an iCalendar object sent as the mail's calendar part.

    A mail about an application is to the candidate: it ends with the link where they
    may ask about their personal data (privacy/).
    """
    applicant = application.applicant if application else None
    if applicant is not None:
        body += _personal_data_footer()
    email = OutgoingEmail.objects.create(
        # make_msgid's own random part comes from the random module, whose state anyone
        # in the process may set (the fuzz tests' Hypothesis does, per example): two
        # mails in the same hundredth of a second then shared an id, a unique column.
        message_id=make_msgid(idstring=secrets.token_hex(8), domain="rms"),
        to=to,
        subject=subject,
        body=body,
        calendar=calendar,
        applicant=applicant,
        application=application,
        actor=actor,
    )
    if applicant is not None:
        record_activity(
            applicant=applicant,
            application=application,
            kind=Activity.Kind.EMAIL_QUEUED,
            actor=actor,
            email=email,
            body=subject,
        )
    transaction.on_commit(partial(email_dispatch, email_pk=email.pk, first=True))
    return email


def _personal_data_footer() -> str:
    link = settings.RMS_SITE_URL + reverse("privacy:request")
    text = _("Your personal data with us (a copy, erasure, restriction): %(link)s")
    return "\n\n-- \n" + text % {"link": link}


def email_dispatch(*, email_pk: int, first: bool = False) -> bool:
    """Hand the mail to the broker; False (and the row stays queued) when it is down."""
    from recruitment.tasks import email_deliver

    try:
        email_deliver.delay(email_pk)
    except OperationalError as error:
        logger.warning("E-mail %s stays queued: the broker is unreachable (%s)", email_pk, error)
        if first:
            _attempt_record(
                email_pk,
                _("Not handed to the queue yet (%(error)s); it is sent once the queue is back.")
                % {"error": error},
                kind=Activity.Kind.EMAIL_RETRYING,
            )
        return False
    return True


def email_deliver(*, email_pk: int) -> int | None:
    """Send one outbox mail unless it went already; seconds to wait before another try,
    or None when it is done (sent, already sent, or failed for good).

    The row is locked for the whole send, so a duplicate delivery of the task waits and
    then sees "sent". What remains is the at-least-once window of any mail queue: a
    worker that dies after the SMTP server accepted the mail but before this transaction
    commits leaves the row queued, and the task (acknowledged only after it returns,
    acks_late) is delivered again and sends a second copy with the same Message-ID,
    which receiving servers may use to drop it. A lost task is the worse fault: acks_late
    puts it back in the queue, and a row nobody touched is re-queued by beat.
    """
    with transaction.atomic():
        email = OutgoingEmail.objects.select_for_update().get(pk=email_pk)
        if email.status != OutgoingEmail.Status.QUEUED:
            return None
        try:
            _smtp_send(email)
        except BadHeaderError as error:
            error_text = _("the subject or address holds a line break (%(error)s)") % {
                "error": error
            }
            permanent = True
        except (SMTPException, OSError) as error:
            error_text, permanent = str(error) or error.__class__.__name__, False
        else:
            _mark_sent(email)
            return None
    return _failure_record(email_pk, error_text, permanent=permanent)


def _smtp_send(email: OutgoingEmail) -> None:
    message = EmailMessage(
        email.subject, email.body, None, [email.to], headers={"Message-ID": email.message_id}
    )
    if email.calendar:
        message.attach(_calendar_part(email.calendar))
    message.send()


def _calendar_part(calendar: str) -> MIMEText:
    # Mail programs act on an invitation (add, update, remove the event) only when the
    # part's content type names the calendar's METHOD, as RFC 6047 asks.
    method = next(
        (
            line[len("METHOD:") :].strip()
            for line in calendar.splitlines()
            if line.startswith("METHOD:")
        ),
        "PUBLISH",
    )
    part = MIMEText(calendar, "calendar", "utf-8")
    part.set_param("method", method)
    part.add_header("Content-Disposition", "attachment", filename="invite.ics")
    return part


def _mark_sent(email: OutgoingEmail) -> None:
    email.status = OutgoingEmail.Status.SENT
    email.tries += 1
    email.sent_at = timezone.now()
    email.save(update_fields=["status", "tries", "sent_at"])
    if email.applicant_id:
        record_activity(
            applicant=email.applicant,
            application=email.application,
            kind=Activity.Kind.EMAIL,
            actor=email.actor,
            email=email,
            body=f"{email.subject}\n\n{email.body}",
        )


@transaction.atomic
def _failure_record(email_pk: int, error: str, *, permanent: bool) -> int | None:
    email = OutgoingEmail.objects.select_for_update().get(pk=email_pk)
    email.tries += 1
    email.last_error = error
    email.queued_at = timezone.now()
    final = permanent or email.tries >= settings.RMS_EMAIL_TRIES
    if final:
        email.status = OutgoingEmail.Status.FAILED
        text = _("Failed after %(tries)s tries: %(error)s") % {"tries": email.tries, "error": error}
        wait = None
    else:
        wait = min(settings.RMS_EMAIL_RETRY_SECONDS * 2 ** (email.tries - 1), RETRY_MAX_SECONDS)
        text = _("Try %(tries)s failed: %(error)s; trying again in %(wait)s s") % {
            "tries": email.tries,
            "error": error,
            "wait": wait,
        }
    email.save(update_fields=["status", "tries", "last_error", "queued_at"])
    kind = Activity.Kind.EMAIL_FAILED if final else Activity.Kind.EMAIL_RETRYING
    _attempt_record(email.pk, text, kind=kind, email=email)
    return wait


def email_fail(*, email_pk: int, error: str, tries: int) -> None:
    """Mark a mail failed for good: its task broke `tries` times in a way a retry did
    not cure."""
    with transaction.atomic():
        email = OutgoingEmail.objects.select_for_update().get(pk=email_pk)
        if email.status != OutgoingEmail.Status.QUEUED:
            return
        email.status = OutgoingEmail.Status.FAILED
        email.last_error = error
        email.tries = max(email.tries, tries)
        email.save(update_fields=["status", "last_error", "tries"])
        text = _("Failed after %(tries)s tries: %(error)s") % {"tries": email.tries, "error": error}
        _attempt_record(email.pk, text, kind=Activity.Kind.EMAIL_FAILED, email=email)


@transaction.atomic
def _attempt_record(
    email_pk: int, text: str, *, kind: str, email: OutgoingEmail | None = None
) -> None:
    email = email or OutgoingEmail.objects.get(pk=email_pk)
    if email.applicant_id:
        record_activity(
            applicant=email.applicant,
            application=email.application,
            kind=kind,
            email=email,
            body=f"{email.subject}: {text}",
        )


@transaction.atomic
def email_resend(*, email: OutgoingEmail, actor: AbstractBaseUser) -> OutgoingEmail:
    """Queue a failed mail again, with its tries counted from zero."""
    email = OutgoingEmail.objects.select_for_update().get(pk=email.pk)
    if email.status != OutgoingEmail.Status.FAILED:
        raise ServiceError(_("Only a failed e-mail can be sent again."))
    email.status = OutgoingEmail.Status.QUEUED
    email.tries = 0
    email.queued_at = timezone.now()
    email.save(update_fields=["status", "tries", "queued_at"])
    if email.applicant_id:
        record_activity(
            applicant=email.applicant,
            application=email.application,
            kind=Activity.Kind.EMAIL_QUEUED,
            actor=actor,
            email=email,
            body=_("%(subject)s (sent again)") % {"subject": email.subject},
        )
    transaction.on_commit(partial(email_dispatch, email_pk=email.pk))
    return email


def email_outbox_requeue() -> int:
    """Hand stuck queued mails to the broker again (the broker was down); how many."""
    stuck = OutgoingEmail.objects.filter(
        status=OutgoingEmail.Status.QUEUED, queued_at__lt=timezone.now() - STUCK_AFTER
    )
    pks = list(stuck.values_list("pk", flat=True)[:500])
    OutgoingEmail.objects.filter(pk__in=pks).update(queued_at=timezone.now())
    return sum(email_dispatch(email_pk=pk) for pk in pks)
