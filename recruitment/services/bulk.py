"""One action over many applications: each goes through the single-application service,
in its own transaction, so one refusal (moved by someone else meanwhile, closed already)
neither stops nor undoes the others, and each change records its own Activity."""

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _

from recruitment.models import Application, ClosingReason, Stage, StageEmailTemplate
from recruitment.services.applicants import applicant_tags_set
from recruitment.services.applications import application_close, application_move_to_stage
from recruitment.services.base import ServiceError
from recruitment.services.emails import stage_email_send

# Rows fetched at a time: memory stays flat for "all 10,000 matching".
CHUNK = 500


class BulkAction(enum.StrEnum):
    MOVE = "move"
    CLOSE = "close"
    TAG_ADD = "tag_add"
    TAG_REMOVE = "tag_remove"
    EMAIL = "email"


@dataclass
class BulkResult:
    done: int = 0
    refused: list[tuple[Application, str]] = field(default_factory=list)


@dataclass(frozen=True)
class BulkSelection:
    """The applications to act on, each with the stage the user saw it at (None when
    acting on "all matching", where the filters chose them just now)."""

    expected: dict[int, str | None]


def applications_bulk_apply(
    *,
    selection: BulkSelection,
    action: BulkAction,
    actor: AbstractBaseUser,
    stage: str = "",
    closing_reason: ClosingReason | None = None,
    tag: str = "",
) -> BulkResult:
    bulk_action_check(action=action, stage=stage, closing_reason=closing_reason, tag=tag)
    apply_one = _ACTIONS[action]
    tag = tag.strip().lower()
    # Asked once, not per application: the stages that have an e-mail to send.
    shared = {
        "templates": set(active_stage_email_stages()) if action == BulkAction.EMAIL else set()
    }
    result = BulkResult()
    tagged: set[int] = set()
    for application in _applications(selection.expected):
        if action in (BulkAction.TAG_ADD, BulkAction.TAG_REMOVE):
            # Tags belong to the applicant: two of their applications tag them once.
            if application.applicant_id in tagged:
                continue
            tagged.add(application.applicant_id)
        options = {**shared, "stage": stage, "closing_reason": closing_reason, "tag": tag}
        try:
            apply_one(application, selection.expected[application.pk], actor, **options)
        except ServiceError as error:
            result.refused.append((application, error.message))
        else:
            result.done += 1
    return result


def bulk_action_check(
    *, action: BulkAction, stage: str, closing_reason: ClosingReason | None, tag: str
) -> None:
    """The action's parameters are complete, or a ServiceError says which is missing."""
    if action == BulkAction.MOVE and stage not in Stage.values:
        raise ServiceError(_("Choose a stage to move to."), field="stage")
    if action == BulkAction.CLOSE and closing_reason is None:
        raise ServiceError(_("Choose a closing reason."), field="closing_reason")
    if action in (BulkAction.TAG_ADD, BulkAction.TAG_REMOVE) and not tag.strip():
        raise ServiceError(_("Name a tag."), field="tag")


def active_stage_email_stages() -> list[str]:
    return list(StageEmailTemplate.objects.filter(is_active=True).values_list("stage", flat=True))


def _applications(expected: dict[int, str | None]) -> Iterable[Application]:
    ids = sorted(expected)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        yield from Application.objects.filter(pk__in=chunk).select_related("applicant")


def _move(application, expected_stage, actor, *, stage, **options) -> None:
    application_move_to_stage(
        application=application, stage=stage, expected_stage=expected_stage, actor=actor
    )


def _close(application, expected_stage, actor, *, closing_reason, **options) -> None:
    with transaction.atomic():
        if expected_stage is not None:
            _refuse_if_moved(application, expected_stage)
        application_close(application=application, closing_reason=closing_reason, actor=actor)


def _refuse_if_moved(application: Application, expected_stage: str) -> None:
    current = Application.objects.select_for_update().get(pk=application.pk)
    if current.stage != expected_stage:
        raise ServiceError(
            _("Someone moved this application to %(stage)s meanwhile.")
            % {"stage": current.get_stage_display()}
        )


def _tag_changer(adding: bool) -> Callable:
    def change(application, expected_stage, actor, *, tag, **options) -> None:
        applicant = application.applicant
        with transaction.atomic():
            names = set(applicant.tags.values_list("name", flat=True))
            if adding and tag in names:
                raise ServiceError(_("Tagged %(tag)s already.") % {"tag": tag})
            if not adding and tag not in names:
                raise ServiceError(_("Not tagged %(tag)s.") % {"tag": tag})
            names = names | {tag} if adding else names - {tag}
            applicant_tags_set(applicant=applicant, names=sorted(names), actor=actor)

    return change


def _email(application, expected_stage, actor, *, templates, **options) -> None:
    with transaction.atomic():
        # Locked, so a move or close committed meanwhile is seen, and none can come
        # between the check and the mail's queueing.
        current = Application.objects.select_for_update().get(pk=application.pk)
        if current.is_closed:
            raise ServiceError(_("This application is closed."))
        if expected_stage is not None and current.stage != expected_stage:
            raise ServiceError(_("Someone moved this application meanwhile."))
        if current.stage not in templates:
            raise ServiceError(
                _("There is no active e-mail for the stage %(stage)s.")
                % {"stage": current.get_stage_display()}
            )
        # The one sending entry point: queued in this transaction, sent by a worker after.
        stage_email_send(application_pk=current.pk, stage=current.stage, actor=actor)


_ACTIONS = {
    BulkAction.MOVE: _move,
    BulkAction.CLOSE: _close,
    BulkAction.TAG_ADD: _tag_changer(adding=True),
    BulkAction.TAG_REMOVE: _tag_changer(adding=False),
    BulkAction.EMAIL: _email,
}
