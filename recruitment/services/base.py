"""What every service shares: the refusals they raise and the timeline entry they write."""

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from recruitment.models import (
    Activity,
    Applicant,
)


class ServiceError(Exception):
    """A refused change. `field` names the input at fault, when there is one."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    def add_to(self, form) -> None:
        """Show the refusal on the form: on the field it names, else above the fields."""
        form.add_error(self.field if self.field in form.fields else None, self.message)


class ApplicationClosedError(ServiceError):
    pass


class StaleApplicationError(ServiceError):
    """The application changed since the caller looked at it."""


# What a job that could not be handed to the broker says on its page.
QUEUE_DOWN = _("The queue is unreachable (%(error)s): nothing was done. Ask again once it is back.")

NOTE_COUNT_CHANGE = {Activity.Kind.NOTE: 1, Activity.Kind.NOTE_DELETED: -1}


class FrozenApplicantError(ServiceError):
    """The applicant's processing is restricted, or their data were anonymised."""


PRIVACY_KINDS_PREFIX = "privacy."


def record_activity(*, applicant: Applicant, **fields) -> Activity:
    """Add a timeline entry and keep the applicant's derived columns in step with it.

    Every change to an applicant passes here inside its transaction, so refusing here
    rolls back any change to a frozen (restricted or anonymised) record, and any mail to
    it; the privacy app's own entries are the exception.
    """
    if applicant.is_frozen and not str(fields.get("kind", "")).startswith(PRIVACY_KINDS_PREFIX):
        raise FrozenApplicantError(
            _("This record is restricted or anonymised: it can no longer be changed or mailed.")
        )
    activity = Activity.objects.create(applicant=applicant, **fields)
    derived = {"latest_activity_at": activity.created_at}
    if activity.kind in NOTE_COUNT_CHANGE:
        derived["notes_count"] = F("notes_count") + NOTE_COUNT_CHANGE[activity.kind]
    Applicant.objects.filter(pk=applicant.pk).update(**derived)
    applicant.latest_activity_at = activity.created_at
    return activity
