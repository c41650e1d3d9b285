"""The invitations as calendars read them: parsed with icalendar, across the life of
one interview (schedule, reschedule, cancel), and as the mail that carries them."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from interviews import services
from interviews.factories import InterviewKindFactory
from recruitment.models import OutgoingEmail

pytestmark = pytest.mark.django_db


def when(days: int, hour: int = 10) -> services.When:
    day = timezone.localdate() + timedelta(days=days)
    start = timezone.make_aware(timezone.datetime(day.year, day.month, day.day, hour))
    return services.When(
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        time_zone="Europe/Warsaw",
        video_link="https://meet.example.com/abc",
    )


def event_of(email: OutgoingEmail):
    calendar = Calendar.from_ical(email.calendar)
    (event,) = calendar.walk("VEVENT")
    return calendar, event


def calendars_to(address: str):
    emails = OutgoingEmail.objects.filter(to=address).exclude(calendar="").order_by("id")
    return [event_of(email) for email in emails]


def test_schedule_reschedule_cancel_update_one_event(application, kind, ivan, ola, recruiter):
    interview = services.interview_schedule(
        application=application, kind=kind, when=when(3), interviewers=[ivan, ola], actor=recruiter
    ).interview
    services.interview_reschedule(
        interview=interview, when=when(4, hour=12), interviewers=[ivan], actor=recruiter
    )
    services.interview_cancel(interview=interview, actor=recruiter)

    candidate = calendars_to("lucja@example.com")
    assert [str(cal["METHOD"]) for cal, _ in candidate] == ["REQUEST", "REQUEST", "CANCEL"]
    assert [int(event["SEQUENCE"]) for _, event in candidate] == [0, 1, 2]
    assert {str(event["UID"]) for _, event in candidate} == {interview.uid}
    assert [str(event["STATUS"]) for _, event in candidate] == [
        "CONFIRMED",
        "CONFIRMED",
        "CANCELLED",
    ]
    # Ola left the panel on the reschedule: her event is cancelled then, at SEQUENCE 1.
    to_ola = calendars_to(ola.email)
    assert [(str(c["METHOD"]), int(e["SEQUENCE"])) for c, e in to_ola] == [
        ("REQUEST", 0),
        ("CANCEL", 1),
    ]
    to_ivan = calendars_to(ivan.email)
    assert [(str(c["METHOD"]), int(e["SEQUENCE"])) for c, e in to_ivan] == [
        ("REQUEST", 0),
        ("REQUEST", 1),
        ("CANCEL", 2),
    ]


def test_the_event_keeps_the_time_zone_it_was_given_in(application, kind, ivan, recruiter):
    services.interview_schedule(
        application=application, kind=kind, when=when(3), interviewers=[ivan], actor=recruiter
    )

    calendar, event = calendars_to(ivan.email)[0]

    start = event.decoded("DTSTART")
    assert (start.hour, str(start.tzinfo)) == (10, "Europe/Warsaw")
    assert [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")] == ["Europe/Warsaw"]
    assert str(event["SUMMARY"]) == "Technical: Łucja Śliwińska · Python Developer"
    attendees = sorted(str(a) for a in event.get("ATTENDEE"))
    assert attendees == [f"mailto:{ivan.email}", "mailto:lucja@example.com"]


def test_the_candidate_mail_is_the_kinds_template(application, kind, ivan, recruiter):
    kind.subject = "Rozmowa techniczna: $vacancy"
    kind.body = "Dzień dobry $first_name,\nzapraszamy $when, $where."
    kind.save()
    screen = InterviewKindFactory(name="Phone screen")
    screen.subject = "Krótka rozmowa: $vacancy"
    screen.save()
    for chosen, days in ((kind, 3), (screen, 4)):
        services.interview_schedule(
            application=application,
            kind=chosen,
            when=when(days),
            interviewers=[ivan],
            actor=recruiter,
        )

    first, second = OutgoingEmail.objects.filter(to="lucja@example.com").order_by("id")
    assert first.subject == "Rozmowa techniczna: Python Developer"
    assert first.body.startswith("Dzień dobry Łucja,")
    assert "(Europe/Warsaw)" in first.body and "https://meet.example.com/abc" in first.body
    assert second.subject == "Krótka rozmowa: Python Developer"


def test_the_sent_mail_carries_a_calendar_part_naming_its_method(
    application, kind, ivan, recruiter, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.interview_schedule(
            application=application, kind=kind, when=when(3), interviewers=[ivan], actor=recruiter
        )

    sent = {message.to[0]: message for message in mail.outbox}
    message = sent["lucja@example.com"].message()
    parts = [part for part in message.walk() if part.get_content_type() == "text/calendar"]
    assert len(parts) == 1
    assert parts[0].get_param("method") == "REQUEST"
    parsed = Calendar.from_ical(parts[0].get_payload(decode=True))
    assert str(parsed.walk("VEVENT")[0]["UID"]).endswith("@rms")
