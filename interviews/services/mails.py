"""Interview mails through the recruitment outbox: invitations and cancellations with
their calendar object, and the day-before reminders."""

import string
from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from interviews import ics
from interviews.models import Interview
from recruitment.services import email_queue

# Reminders go out for interviews starting within this long; the beat runs hourly.
REMINDER_AHEAD = timedelta(hours=24)


def _attendees(interview: Interview, people: list[AbstractBaseUser]) -> list[tuple[str, str]]:
    applicant = interview.application.applicant
    panel = [(person.get_full_name() or person.get_username(), person.email) for person in people]
    return [(applicant.full_name, applicant.email), *[(n, e) for n, e in panel if e]]


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _candidate_values(interview: Interview) -> dict:
    applicant = interview.application.applicant
    return {
        "first_name": applicant.first_name,
        "last_name": applicant.last_name,
        "vacancy": interview.application.vacancy.title,
        "kind": interview.kind.name,
        "when": interview.when_text,
        "where": interview.where_text,
    }


def _panel_body(interview: Interview, headline: str) -> str:
    return "\n".join(
        [
            headline,
            "",
            ics.event_summary(interview),
            _("When: %(when)s") % {"when": interview.when_text},
            _("Where: %(where)s") % {"where": interview.where_text},
        ]
    )


def invitations_send(
    *, interview: Interview, actor: AbstractBaseUser | None, rescheduled: bool = False
) -> None:
    """Queue a REQUEST to the candidate (the kind's template) and to each interviewer."""
    people = list(interview.interviewers.all())
    calendar = ics.interview_calendar(
        interview=interview, method=ics.REQUEST, attendees=_attendees(interview, people)
    )
    values = _candidate_values(interview)
    subject = string.Template(interview.kind.subject).safe_substitute(values)
    if rescheduled:
        subject = _("New time: %(subject)s") % {"subject": subject}
    email_queue(
        to=interview.application.applicant.email,
        subject=_one_line(subject),
        body=string.Template(interview.kind.body).safe_substitute(values),
        application=interview.application,
        actor=actor,
        calendar=calendar,
    )
    headline = (
        _("The interview has a new time or place.")
        if rescheduled
        else _("You are invited to interview a candidate.")
    )
    for person in people:
        if person.email:
            email_queue(
                to=person.email,
                subject=_one_line(
                    _("Interview: %(event)s") % {"event": ics.event_summary(interview)}
                ),
                body=_panel_body(interview, headline),
                actor=actor,
                calendar=calendar,
            )


def cancellations_send(
    *,
    interview: Interview,
    people: list[AbstractBaseUser],
    actor: AbstractBaseUser | None,
    candidate: bool = False,
) -> None:
    """Queue a CANCEL to `people` (and the candidate): the event leaves their calendars."""
    if not people and not candidate:
        return
    calendar = ics.interview_calendar(
        interview=interview, method=ics.CANCEL, attendees=_attendees(interview, people)
    )
    subject = _one_line(_("Cancelled: %(event)s") % {"event": ics.event_summary(interview)})
    if candidate:
        values = _candidate_values(interview)
        email_queue(
            to=interview.application.applicant.email,
            subject=_one_line(
                _("Cancelled: %(kind)s interview for %(vacancy)s")
                % {"kind": values["kind"], "vacancy": values["vacancy"]}
            ),
            body=_("Dear %(first_name)s,\n\nthe interview on %(when)s is cancelled.") % values,
            application=interview.application,
            actor=actor,
            calendar=calendar,
        )
    for person in people:
        if person.email:
            email_queue(
                to=person.email,
                subject=subject,
                body=_panel_body(interview, _("This interview is cancelled.")),
                actor=actor,
                calendar=calendar,
            )


def interview_reminders_send() -> int:
    """Queue reminders for scheduled interviews starting within a day; how many
    interviews. Each is marked in the transaction that queues its mails, so a second
    run (or a duplicate task) sends nothing twice."""
    now = timezone.now()
    due = Interview.objects.filter(
        status=Interview.Status.SCHEDULED,
        reminded_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=now + REMINDER_AHEAD,
    )
    sent = 0
    for pk in list(due.values_list("pk", flat=True)[:500]):
        sent += _reminder_send(pk, now=now)
    return sent


@transaction.atomic
def _reminder_send(pk: int, *, now) -> int:
    interview = (
        Interview.objects.select_for_update(of=("self",))
        .select_related("kind", "application__applicant", "application__vacancy")
        .get(pk=pk)
    )
    if interview.reminded_at is not None or interview.status != Interview.Status.SCHEDULED:
        return 0
    values = _candidate_values(interview)
    email_queue(
        to=interview.application.applicant.email,
        subject=_one_line(_("Reminder: %(kind)s interview for %(vacancy)s") % values),
        body=_("Dear %(first_name)s,\n\nwe look forward to seeing you on %(when)s.\n%(where)s")
        % values,
        application=interview.application,
    )
    for person in interview.interviewers.all():
        if person.email:
            email_queue(
                to=person.email,
                subject=_one_line(
                    _("Tomorrow: %(event)s") % {"event": ics.event_summary(interview)}
                ),
                body=_panel_body(interview, _("A reminder of your interview.")),
            )
    interview.reminded_at = now
    interview.save(update_fields=["reminded_at"])
    return 1
