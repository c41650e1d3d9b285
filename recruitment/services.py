"""Writes: every state change runs here, in a transaction, and leaves an Activity.

Views, API views and commands call these functions; none of them writes models directly.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from recruitment.models import Activity, Applicant, Application, CloseReason, Stage, Vacancy
from recruitment.richtext import html_has_text, sanitize_html


class ServiceError(Exception):
    """A refused change. `field` names the input at fault, when there is one."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class ApplicationClosedError(ServiceError):
    pass


class StaleApplicationError(ServiceError):
    """The application changed since the caller looked at it."""


def _record(*, applicant: Applicant, **fields) -> Activity:
    activity = Activity.objects.create(applicant=applicant, **fields)
    Applicant.objects.filter(pk=applicant.pk).update(latest_activity_at=activity.created_at)
    applicant.latest_activity_at = activity.created_at
    return activity


@transaction.atomic
def application_create(
    *,
    applicant: Applicant,
    vacancy: Vacancy,
    actor: AbstractBaseUser | None,
    stage: Stage = Stage.APPLICATION,
) -> Application:
    if not vacancy.is_open:
        raise ServiceError(_("This vacancy is closed."), field="vacancy")
    try:
        # A savepoint, so the refused insert leaves the caller's transaction usable.
        with transaction.atomic():
            application = Application.objects.create(
                applicant=applicant, vacancy=vacancy, stage=stage
            )
    except IntegrityError:
        raise ServiceError(
            _("%(applicant)s already has an open application for %(vacancy)s.")
            % {"applicant": applicant, "vacancy": vacancy},
            field="vacancy",
        ) from None
    _record(
        applicant=applicant,
        application=application,
        kind=Activity.Kind.APPLICATION_CREATED,
        actor=actor,
        to_stage=stage,
    )
    return application


def _lock_open(application: Application) -> Application:
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.is_closed:
        raise ApplicationClosedError(
            _("This application is closed (%(reason)s); it cannot change.")
            % {"reason": locked.get_close_reason_display()}
        )
    return locked


@transaction.atomic
def application_move_to_stage(
    *,
    application: Application,
    stage: str,
    actor: AbstractBaseUser | None,
    expected_stage: str | None = None,
) -> Application:
    """Move an open application to `stage`.

    The row is locked first, so two recruiters moving it at once are serialised; with
    `expected_stage` (the stage the caller saw), the later of them is refused instead
    of silently moving from a stage it never saw.
    """
    if stage not in Stage.values:
        raise ServiceError(_("Unknown stage: %(stage)s.") % {"stage": stage}, field="stage")
    locked = _lock_open(application)
    if expected_stage is not None and locked.stage != expected_stage:
        raise StaleApplicationError(
            _("Someone moved this application to %(stage)s meanwhile; reload and try again.")
            % {"stage": locked.get_stage_display()}
        )
    if locked.stage == stage:
        raise ServiceError(
            _("The application is already at %(stage)s.") % {"stage": locked.get_stage_display()},
            field="stage",
        )
    from_stage = locked.stage
    locked.stage = stage
    locked.stage_changed_at = timezone.now()
    locked.save(update_fields=["stage", "stage_changed_at"])
    _record(
        applicant=locked.applicant,
        application=locked,
        kind=Activity.Kind.STAGE_CHANGED,
        actor=actor,
        from_stage=from_stage,
        to_stage=stage,
        created_at=locked.stage_changed_at,
    )
    return locked


@transaction.atomic
def application_close(
    *,
    application: Application,
    reason: str,
    actor: AbstractBaseUser | None,
    note: str = "",
) -> Application:
    if reason not in CloseReason.values:
        raise ServiceError(
            _("Choose a reason: rejected or withdrawn."),
            field="reason",
        )
    locked = _lock_open(application)
    locked.closed_at = timezone.now()
    locked.close_reason = reason
    locked.close_note = note.strip()
    locked.save(update_fields=["closed_at", "close_reason", "close_note"])
    _record(
        applicant=locked.applicant,
        application=locked,
        kind=Activity.Kind.APPLICATION_CLOSED,
        actor=actor,
        from_stage=locked.stage,
        body=locked.close_note,
        created_at=locked.closed_at,
    )
    return locked


@transaction.atomic
def note_add(
    *,
    applicant: Applicant,
    body: str,
    actor: AbstractBaseUser | None,
    application: Application | None = None,
) -> Activity:
    clean = sanitize_html(body)
    if not html_has_text(clean):
        raise ServiceError(_("A note cannot be empty."), field="body")
    if application is not None and application.applicant_id != applicant.pk:
        raise ServiceError(_("That application belongs to someone else."), field="application")
    return _record(
        applicant=applicant,
        application=application,
        kind=Activity.Kind.NOTE,
        actor=actor,
        body=clean,
    )
