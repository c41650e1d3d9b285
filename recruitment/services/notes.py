"""Notes and ratings on the timeline."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from recruitment.models import (
    RATING_MAX,
    RATING_MIN,
    Activity,
    Applicant,
    Application,
    Stage,
)
from recruitment.richtext import html_has_text, sanitize_html
from recruitment.roles import may_change_note
from recruitment.services.base import (
    ServiceError,
    record_activity,
)


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
    return record_activity(
        applicant=applicant,
        application=application,
        kind=Activity.Kind.NOTE,
        actor=actor,
        body=clean,
    )


# Applicants, vacancies and lookups. Creating or editing them changes no application, so
# the timeline has no kind for it and none of these records an Activity.


def _lock_note(note: Activity, *, actor: AbstractBaseUser) -> Activity:
    locked = Activity.objects.select_for_update().get(pk=note.pk)
    if locked.kind != Activity.Kind.NOTE:
        raise ServiceError(_("Only notes can be edited or deleted."))
    if locked.deleted_at is not None:
        raise ServiceError(_("This note was deleted."))
    if not may_change_note(actor, locked):
        raise PermissionError(_("Only the note's author or an admin may change it."))
    return locked


@transaction.atomic
def note_edit(*, note: Activity, body: str, actor: AbstractBaseUser) -> Activity:
    """Replace a note's text; the edit entry keeps the text it replaced."""
    locked = _lock_note(note, actor=actor)
    clean = sanitize_html(body)
    if not html_has_text(clean):
        raise ServiceError(_("A note cannot be empty."), field="body")
    previous = locked.body
    locked.body = clean
    locked.edited_at = timezone.now()
    locked.save(update_fields=["body", "edited_at"])
    record_activity(
        applicant=locked.applicant,
        application=locked.application,
        kind=Activity.Kind.NOTE_EDITED,
        actor=actor,
        target=locked,
        body=previous,
        created_at=locked.edited_at,
    )
    return locked


@transaction.atomic
def note_delete(*, note: Activity, actor: AbstractBaseUser) -> Activity:
    """Hide a note; its row and text stay, and the timeline says it was deleted."""
    locked = _lock_note(note, actor=actor)
    locked.deleted_at = timezone.now()
    locked.save(update_fields=["deleted_at"])
    record_activity(
        applicant=locked.applicant,
        application=locked.application,
        kind=Activity.Kind.NOTE_DELETED,
        actor=actor,
        target=locked,
        created_at=locked.deleted_at,
    )
    return locked


RATED_FROM = list(Stage).index(Stage.INTERVIEW)


@transaction.atomic
def rating_add(
    *,
    application: Application,
    criterion: str,
    rating: int,
    actor: AbstractBaseUser,
    comment: str = "",
) -> Activity:
    """Rate an applicant 1-5 on one criterion, from the interview stage on."""
    if criterion not in Activity.Criterion.values:
        raise ServiceError(_("Choose a criterion."), field="criterion")
    if rating not in range(RATING_MIN, RATING_MAX + 1):
        raise ServiceError(_("A rating is from 1 to 5."), field="rating")
    if list(Stage).index(Stage(application.stage)) < RATED_FROM:
        raise ServiceError(_("Ratings start at the interview stage."), field="application")
    return record_activity(
        applicant=application.applicant,
        application=application,
        kind=Activity.Kind.RATING,
        actor=actor,
        criterion=criterion,
        rating=rating,
        body=comment.strip(),
    )
