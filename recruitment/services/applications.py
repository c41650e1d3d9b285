"""Applications: opened, moved through the pipeline, closed, reopened."""

import enum

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from recruitment.models import (
    Activity,
    Applicant,
    Application,
    CloseReason,
    ClosingReason,
    Stage,
    Vacancy,
)
from recruitment.services.base import (
    ApplicationClosedError,
    ServiceError,
    StaleApplicationError,
    record_activity,
)
from recruitment.services.emails import stage_email_send
from recruitment.services.report_summary import (
    report_summary_application_added,
    report_summary_stage_moved,
    report_summary_stay_ended,
)


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
    report_summary_application_added(application=application, source_id=applicant.source_id)
    record_activity(
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
    send_email: bool = False,
) -> Application:
    """Move an open application to `stage`.

    The row is locked first, so two recruiters moving it at once are serialised; with
    `expected_stage` (the stage the caller saw), the later of them is refused instead
    of silently moving from a stage it never saw. The returned application's
    `stage_email` tells whether the stage e-mail was queued, or why not.
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
    report_summary_stage_moved(
        application=locked, from_stage=from_stage, ended_at=locked.stage_changed_at
    )
    record_activity(
        applicant=locked.applicant,
        application=locked,
        kind=Activity.Kind.STAGE_CHANGED,
        actor=actor,
        from_stage=from_stage,
        to_stage=stage,
        created_at=locked.stage_changed_at,
    )
    locked.stage_email = StageEmail.NOT_ASKED
    if send_email:
        locked.stage_email = _schedule_stage_email(application=locked, stage=stage, actor=actor)
    return locked


class StageEmail(enum.Enum):
    """What became of the stage e-mail a move was asked to send (for the page to say)."""

    NOT_ASKED = "not asked"
    QUEUED = "queued"
    NO_TEMPLATE = "no template"


def _schedule_stage_email(
    *, application: Application, stage: str, actor: AbstractBaseUser | None
) -> StageEmail:
    # Queued in this transaction; a worker sends it once the move is committed.
    if stage_email_send(application_pk=application.pk, stage=stage, actor=actor) is None:
        _record_email_not_sent(application=application, stage=stage, actor=actor)
        return StageEmail.NO_TEMPLATE
    return StageEmail.QUEUED


def _record_email_not_sent(
    *, application: Application, stage: str, actor: AbstractBaseUser | None
) -> Activity:
    body = _("Not sent: there is no active e-mail for the stage %(stage)s.") % {
        "stage": Stage(stage).label
    }
    return record_activity(
        applicant=application.applicant,
        application=application,
        kind=Activity.Kind.EMAIL,
        actor=actor,
        body=body,
    )


@transaction.atomic
def application_close(
    *,
    application: Application,
    actor: AbstractBaseUser | None,
    reason: str = "",
    closing_reason: ClosingReason | None = None,
    note: str = "",
) -> Application:
    """Close an open application, as rejected or withdrawn (`reason`), or for one of
    the admins' closing reasons, which brings its group along."""
    if closing_reason is not None:
        if not closing_reason.is_active:
            raise ServiceError(_("This closing reason is no longer offered."), field="reason")
        reason = closing_reason.group
    if reason not in CloseReason.values:
        raise ServiceError(
            _("Choose a reason: rejected or withdrawn."),
            field="reason",
        )
    locked = _lock_open(application)
    locked.closed_at = timezone.now()
    locked.close_reason = reason
    locked.closing_reason = closing_reason
    locked.close_note = note.strip()
    locked.save(update_fields=["closed_at", "close_reason", "closing_reason", "close_note"])
    report_summary_stay_ended(application=locked, stage=locked.stage, ended_at=locked.closed_at)
    record_activity(
        applicant=locked.applicant,
        application=locked,
        kind=Activity.Kind.APPLICATION_CLOSED,
        actor=actor,
        from_stage=locked.stage,
        body=close_summary(locked),
        created_at=locked.closed_at,
    )
    return locked


def close_summary(application: Application) -> str:
    """What the timeline keeps of a close: the reason as named then, and the note. A
    reopen clears both from the application, and an admin may rename the reason later."""
    return " — ".join(part for part in (application.closed_because, application.close_note) if part)


@transaction.atomic
def application_reopen(*, application: Application, actor: AbstractBaseUser | None) -> Application:
    """Open a closed application again, at the stage it was closed at."""
    locked = (
        Application.objects.select_for_update().select_related("vacancy").get(pk=application.pk)
    )
    if not locked.is_closed:
        raise ServiceError(_("This application is open already."))
    if not locked.vacancy.is_open:
        raise ServiceError(_("This vacancy is closed."))
    locked.closed_at = None
    locked.close_reason = ""
    locked.closing_reason = None
    locked.close_note = ""
    try:
        # A savepoint, so the refused update leaves the caller's transaction usable.
        with transaction.atomic():
            locked.save(update_fields=["closed_at", "close_reason", "closing_reason", "close_note"])
    except IntegrityError:
        raise ServiceError(
            _("%(applicant)s has another open application for %(vacancy)s.")
            % {"applicant": locked.applicant, "vacancy": locked.vacancy}
        ) from None
    record_activity(
        applicant=locked.applicant,
        application=locked,
        kind=Activity.Kind.APPLICATION_REOPENED,
        actor=actor,
        to_stage=locked.stage,
    )
    return locked
