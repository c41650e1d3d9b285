"""Scheduling: an interview is booked, moved, cancelled or closed here, with a timeline
entry each time and the invitations queued in the same transaction."""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import available_timezones

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from interviews.models import Interview, InterviewKind
from interviews.selectors import interview_overlaps
from interviews.services import mails
from recruitment.models import Activity, Application
from recruitment.roles import role_of, visible_applications
from recruitment.services import ServiceError
from recruitment.services.base import record_activity

# Set by hand once an interview has started.
CLOSING_STATUSES = (Interview.Status.DONE, Interview.Status.NO_SHOW)


@dataclass(frozen=True)
class Scheduled:
    interview: Interview
    # The interviewers' other interviews at the same time: shown, not refused (one of
    # them may be about to be moved, or a clash may be meant).
    overlaps: list[Interview]


@dataclass(frozen=True)
class When:
    starts_at: datetime
    ends_at: datetime
    time_zone: str
    location: str = ""
    video_link: str = ""


def _check_when(when: When) -> None:
    if when.time_zone not in available_timezones():
        raise ServiceError(_("Choose a time zone from the list."), field="time_zone")
    if when.ends_at <= when.starts_at:
        raise ServiceError(_("The interview must end after it starts."), field="ends_at")
    if when.starts_at < timezone.now():
        raise ServiceError(_("This time is in the past."), field="starts_at")
    if not (when.location.strip() or when.video_link.strip()):
        raise ServiceError(_("Give a place or a video link."), field="location")


def _check_interviewers(application: Application, interviewers: list[AbstractBaseUser]) -> None:
    """Everyone on the panel must already see this application: interviewers through the
    vacancies they are assigned to. Access is not granted here (see README)."""
    if not interviewers:
        raise ServiceError(_("Choose at least one interviewer."), field="interviewers")
    for person in interviewers:
        allowed = role_of(person) is not None and (
            visible_applications(person).filter(pk=application.pk).exists()
        )
        if not allowed:
            raise ServiceError(
                _(
                    "%(name)s cannot see this vacancy's applicants: add them to the "
                    "vacancy's interviewers first."
                )
                % {"name": person.get_full_name() or person.get_username()},
                field="interviewers",
            )


def describe(interview: Interview) -> str:
    """One line for the timeline: kind, local time with its zone, and the panel."""
    names = ", ".join(
        person.get_full_name() or person.get_username() for person in interview.interviewers.all()
    )
    return f"{interview.kind.name}, {interview.when_text}; {names}"


@transaction.atomic
def interview_schedule(
    *,
    application: Application,
    kind: InterviewKind,
    when: When,
    interviewers: list[AbstractBaseUser],
    actor: AbstractBaseUser,
    send_invitations: bool = True,
) -> Scheduled:
    # Locked against a close in another request: no interview on a closed application.
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("applicant", "vacancy")
        .get(pk=application.pk)
    )
    if application.is_closed:
        raise ServiceError(_("This application is closed: reopen it to schedule an interview."))
    if not kind.is_active:
        raise ServiceError(_("This kind of interview is no longer offered."), field="kind")
    _check_when(when)
    _check_interviewers(application, interviewers)
    interview = Interview.objects.create(
        application=application,
        kind=kind,
        starts_at=when.starts_at,
        ends_at=when.ends_at,
        time_zone=when.time_zone,
        location=when.location.strip(),
        video_link=when.video_link.strip(),
        created_by=actor,
    )
    interview.interviewers.set(interviewers)
    record_activity(
        applicant=application.applicant,
        application=application,
        kind=Activity.Kind.INTERVIEW_SCHEDULED,
        actor=actor,
        body=describe(interview),
    )
    if send_invitations:
        mails.invitations_send(interview=interview, actor=actor)
    return Scheduled(interview=interview, overlaps=interview_overlaps(interview=interview))


def _locked(interview: Interview) -> Interview:
    return (
        Interview.objects.select_for_update(of=("self",))
        .select_related("kind", "application__applicant", "application__vacancy")
        .get(pk=interview.pk)
    )


@transaction.atomic
def interview_reschedule(
    *,
    interview: Interview,
    when: When,
    interviewers: list[AbstractBaseUser],
    actor: AbstractBaseUser,
    send_invitations: bool = True,
) -> Scheduled:
    """A new time, place or panel: the same calendar event, one SEQUENCE later."""
    interview = _locked(interview)
    if interview.status != Interview.Status.SCHEDULED:
        raise ServiceError(_("Only a scheduled interview can be moved."))
    _check_when(when)
    _check_interviewers(interview.application, interviewers)
    dropped = [person for person in interview.interviewers.all() if person not in interviewers]
    interview.starts_at, interview.ends_at = when.starts_at, when.ends_at
    interview.time_zone = when.time_zone
    interview.location, interview.video_link = when.location.strip(), when.video_link.strip()
    interview.sequence += 1
    interview.reminded_at = None
    interview.save(
        update_fields=[
            "starts_at", "ends_at", "time_zone", "location", "video_link", "sequence",
            "reminded_at",
        ]
    )  # fmt: skip
    interview.interviewers.set(interviewers)
    record_activity(
        applicant=interview.application.applicant,
        application=interview.application,
        kind=Activity.Kind.INTERVIEW_RESCHEDULED,
        actor=actor,
        body=describe(interview),
    )
    if send_invitations:
        mails.invitations_send(interview=interview, actor=actor, rescheduled=True)
        mails.cancellations_send(interview=interview, people=dropped, actor=actor)
    return Scheduled(interview=interview, overlaps=interview_overlaps(interview=interview))


@transaction.atomic
def interview_cancel(
    *, interview: Interview, actor: AbstractBaseUser, send_invitations: bool = True
) -> Interview:
    """Cancelled for everyone: the event leaves their calendars (METHOD:CANCEL)."""
    interview = _locked(interview)
    if interview.status != Interview.Status.SCHEDULED:
        raise ServiceError(_("Only a scheduled interview can be cancelled."))
    interview.status = Interview.Status.CANCELLED
    interview.sequence += 1
    interview.save(update_fields=["status", "sequence"])
    record_activity(
        applicant=interview.application.applicant,
        application=interview.application,
        kind=Activity.Kind.INTERVIEW_CANCELLED,
        actor=actor,
        body=describe(interview),
    )
    if send_invitations:
        mails.cancellations_send(
            interview=interview,
            people=list(interview.interviewers.all()),
            actor=actor,
            candidate=True,
        )
    return interview


@transaction.atomic
def interview_status_set(
    *, interview: Interview, status: str, actor: AbstractBaseUser
) -> Interview:
    """Done or no-show, once the interview has started."""
    interview = _locked(interview)
    if status not in CLOSING_STATUSES:
        raise ServiceError(_("Choose done or no-show."), field="status")
    if interview.status != Interview.Status.SCHEDULED:
        raise ServiceError(_("Only a scheduled interview can be marked done or no-show."))
    if interview.starts_at > timezone.now():
        raise ServiceError(_("The interview has not started yet."), field="status")
    interview.status = status
    interview.save(update_fields=["status"])
    record_activity(
        applicant=interview.application.applicant,
        application=interview.application,
        kind=Activity.Kind.INTERVIEW_STATUS,
        actor=actor,
        body=f"{interview.kind.name}: {interview.get_status_display()}",
    )
    return interview
