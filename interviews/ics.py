"""The iCalendar (RFC 5545) objects sent with interview mails: one event per interview,
known to every calendar by the interview's UID, revised by its SEQUENCE."""

from email.utils import parseaddr
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress

REQUEST = "REQUEST"
CANCEL = "CANCEL"
PRODID = "-//RMS//Interviews//EN"


def interview_calendar(*, interview, method: str, attendees: list[tuple[str, str]]) -> str:
    """The calendar object for `interview`: REQUEST adds or updates the event, CANCEL
    removes it. `attendees` are (name, e-mail) of the people invited."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    calendar.add_component(_event(interview, method=method, attendees=attendees))
    # The event's times carry their zone's TZID; RFC 5545 wants its VTIMEZONE beside it.
    calendar.add_missing_timezones()
    return calendar.to_ical().decode()


def _event(interview, *, method: str, attendees: list[tuple[str, str]]) -> Event:
    zone = ZoneInfo(interview.time_zone)
    event = Event()
    event.add("uid", interview.uid)
    event.add("sequence", interview.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", interview.starts_at.astimezone(zone))
    event.add("dtend", interview.ends_at.astimezone(zone))
    event.add("summary", event_summary(interview))
    event.add("status", "CANCELLED" if method == CANCEL else "CONFIRMED")
    if interview.location:
        event.add("location", interview.location)
    if interview.video_link:
        event.add("url", interview.video_link)
        event.add("description", interview.video_link)
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    event.add("organizer", vCalAddress(f"mailto:{address}"), parameters={"CN": name or address})
    for attendee_name, email in attendees:
        event.add(
            "attendee",
            vCalAddress(f"mailto:{email}"),
            parameters={"CN": attendee_name or email, "ROLE": "REQ-PARTICIPANT", "RSVP": "TRUE"},
        )
    return event


def event_summary(interview) -> str:
    application = interview.application
    return f"{interview.kind.name}: {application.applicant.full_name} · {application.vacancy.title}"
