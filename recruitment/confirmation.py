"""Applications the candidates sent themselves, and whether they confirmed them.

The careers site applies through `application_create` with no staff member as the actor,
and the candidate's confirmation (the e-mailed link) moves the application to Confirmation
with no actor either. Recruitment reads both off its own timeline, so it needs to know
nothing of the careers app. (Staff always act as themselves: the views, the API, the
admin and the bulk jobs pass the user.)
"""

import datetime
import enum

from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from recruitment.models import Activity, Application, Stage


class Confirmation(enum.StrEnum):
    CONFIRMED = "confirmed"
    AWAITED = "awaited"
    # Still not confirmed RMS_CAREERS_UNCONFIRMED_DAYS after it was sent: flagged.
    OVERDUE = "overdue"


def _by_candidate(**activity) -> Exists:
    return Exists(
        Activity.objects.filter(application=OuterRef("pk"), actor__isnull=True, **activity)
    )


def sent_by_candidate() -> Exists:
    return _by_candidate(kind=Activity.Kind.APPLICATION_CREATED)


def confirmed_by_candidate() -> Exists:
    return _by_candidate(kind=Activity.Kind.STAGE_CHANGED, to_stage=Stage.CONFIRMATION)


def unconfirmed_before() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=settings.RMS_CAREERS_UNCONFIRMED_DAYS)


def unconfirmed(applications: QuerySet[Application], *, wanted: bool = True) -> QuerySet:
    """Open applications a candidate sent and left at the Application stage for longer
    than RMS_CAREERS_UNCONFIRMED_DAYS (or, with wanted=False, every other one)."""
    condition = {"stage": Stage.APPLICATION, "closed_at__isnull": True}
    condition["created_at__lt"] = unconfirmed_before()
    if wanted:
        return applications.filter(sent_by_candidate(), **condition)
    return applications.exclude(sent_by_candidate(), **condition)


def with_confirmation(applications: QuerySet[Application]) -> QuerySet[Application]:
    """Each application with what confirmation_of() reads: two columns, no query more."""
    return applications.annotate(
        sent_by_candidate=sent_by_candidate(), confirmed_by_candidate=confirmed_by_candidate()
    )


def confirmation_of(application: Application) -> Confirmation | None:
    """None for an application staff entered; else whether its candidate confirmed."""
    if not getattr(application, "sent_by_candidate", False):
        return None
    if application.confirmed_by_candidate:
        return Confirmation.CONFIRMED
    overdue = (
        application.stage == Stage.APPLICATION
        and not application.is_closed
        and application.created_at < unconfirmed_before()
    )
    return Confirmation.OVERDUE if overdue else Confirmation.AWAITED
