"""Writes of the interviews app: `from interviews import services`."""

from interviews.services.mails import cancellations_send, interview_reminders_send, invitations_send
from interviews.services.scheduling import (
    Scheduled,
    When,
    interview_cancel,
    interview_reschedule,
    interview_schedule,
    interview_status_set,
)
from interviews.services.scorecards import scorecard_amend, scorecard_submit

__all__ = [
    "Scheduled",
    "When",
    "cancellations_send",
    "interview_cancel",
    "interview_reminders_send",
    "interview_reschedule",
    "interview_schedule",
    "interview_status_set",
    "invitations_send",
    "scorecard_amend",
    "scorecard_submit",
]
