"""Writes: every state change runs here, in a transaction, and leaves an Activity.

Views, API views and commands call these functions; none of them writes models directly.
"""

import logging
import string
from collections.abc import Iterable
from functools import partial
from smtplib import SMTPException

from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from recruitment.cv import CV_MAX_BYTES, cv_kind
from recruitment.models import (
    RATING_MAX,
    RATING_MIN,
    Activity,
    Applicant,
    Application,
    City,
    CloseReason,
    Source,
    Stage,
    StageEmailTemplate,
    Tag,
    Vacancy,
)
from recruitment.richtext import html_has_text, sanitize_html
from recruitment.roles import is_admin, may_change_note

logger = logging.getLogger(__name__)


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


NOTE_COUNT_CHANGE = {Activity.Kind.NOTE: 1, Activity.Kind.NOTE_DELETED: -1}


def _record(*, applicant: Applicant, **fields) -> Activity:
    """Add a timeline entry and keep the applicant's derived columns in step with it."""
    activity = Activity.objects.create(applicant=applicant, **fields)
    derived = {"latest_activity_at": activity.created_at}
    if activity.kind in NOTE_COUNT_CHANGE:
        derived["notes_count"] = F("notes_count") + NOTE_COUNT_CHANGE[activity.kind]
    Applicant.objects.filter(pk=applicant.pk).update(**derived)
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
    send_email: bool = False,
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
    if send_email:
        # Mail is slow and may fail; it goes out once the move is safely committed.
        transaction.on_commit(
            partial(stage_email_send, application_pk=locked.pk, stage=stage, actor=actor)
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


# Applicants, vacancies and lookups. Creating or editing them changes no application, so
# the timeline has no kind for it and none of these records an Activity.

APPLICANT_FIELDS = frozenset(
    {
        "first_name",
        "last_name",
        "email",
        "phone",
        "city",
        "birth_year",
        "experience_years",
        "current_work",
        "source",
        "linkedin_url",
    }
)


def _applicant_email_ensure_free(*, email: str, applicant: Applicant | None = None) -> None:
    # The database's case-insensitive unique index reports a clash as a non-field error;
    # checking first puts the message on the e-mail field, where the user typed it.
    others = Applicant.objects.filter(email__iexact=email)
    if applicant is not None:
        others = others.exclude(pk=applicant.pk)
    if others.exists():
        raise ServiceError(_("An applicant with this e-mail already exists."), field="email")


def _applicant_save(applicant: Applicant, *, update_fields: list[str] | None = None) -> None:
    """Validate (field rules and constraints) and save; ValidationError on bad values."""
    applicant.full_clean()
    try:
        # A savepoint, so a concurrent insert of the same e-mail leaves the caller's
        # transaction usable; it passed the check above but lost the race.
        with transaction.atomic():
            applicant.save(update_fields=update_fields)
    except IntegrityError:
        raise ServiceError(
            _("An applicant with this e-mail already exists."), field="email"
        ) from None


@transaction.atomic
def applicant_create(
    *, tags: Iterable[Tag] = (), actor: AbstractBaseUser | None = None, **fields
) -> Applicant:
    """Create an applicant from APPLICANT_FIELDS values (first_name, last_name, email, ...)."""
    unknown = fields.keys() - APPLICANT_FIELDS
    if unknown:
        raise TypeError(f"applicant_create() got unknown fields: {sorted(unknown)}")
    _applicant_email_ensure_free(email=fields.get("email", ""))
    applicant = Applicant(**fields)
    _applicant_save(applicant)
    applicant.tags.set(tags)
    _record(applicant=applicant, kind=Activity.Kind.APPLICANT_CREATED, actor=actor)
    return applicant


@transaction.atomic
def applicant_update(
    *,
    applicant: Applicant,
    tags: Iterable[Tag] | None = None,
    actor: AbstractBaseUser | None = None,
    **changes,
) -> Applicant:
    """Change the given APPLICANT_FIELDS (and tags, when given); the rest stays as it is.

    The timeline records which fields changed, with their former values.
    """
    unknown = changes.keys() - APPLICANT_FIELDS
    if unknown:
        raise TypeError(f"applicant_update() got unknown fields: {sorted(unknown)}")
    changes = {k: v for k, v in changes.items() if getattr(applicant, k) != v}
    if "email" in changes:
        _applicant_email_ensure_free(email=changes["email"], applicant=applicant)
    before = {name: getattr(applicant, name) for name in changes}
    for name, value in changes.items():
        setattr(applicant, name, value)
    if changes:
        _applicant_save(applicant, update_fields=list(changes))
        _record(
            applicant=applicant,
            kind=Activity.Kind.APPLICANT_EDITED,
            actor=actor,
            body="; ".join(
                f"{Applicant._meta.get_field(name).verbose_name}: {_shown(value)} → "
                f"{_shown(changes[name])}"
                for name, value in before.items()
            ),
        )
    if tags is not None:
        applicant.tags.set(tags)
    return applicant


def _shown(value) -> str:
    return "—" if value in ("", None) else str(value)


@transaction.atomic
def applicant_cv_attach(*, applicant: Applicant, upload, actor: AbstractBaseUser | None) -> None:
    """Store a CV under a random name; the previous file stays on disk, on record."""
    kind = cv_kind(upload)
    if kind is None:
        raise ServiceError(_("A CV must be a PDF, DOC, DOCX or ODT file."), field="cv")
    if upload.size > CV_MAX_BYTES:
        raise ServiceError(_("A CV can be at most 10 MB."), field="cv")
    applicant.cv.save(f"cv.{kind}", upload, save=False)
    applicant.save(update_fields=["cv"])
    _record(applicant=applicant, kind=Activity.Kind.CV_UPLOADED, actor=actor)


@transaction.atomic
def vacancy_create(
    *, title: str, description: str = "", is_open: bool = True, cities: Iterable[City] = ()
) -> Vacancy:
    vacancy = Vacancy(title=title, description=sanitize_html(description), is_open=is_open)
    vacancy.full_clean()
    vacancy.save()
    vacancy.cities.set(cities)
    return vacancy


@transaction.atomic
def vacancy_update(*, vacancy: Vacancy, cities: Iterable[City] | None = None, **changes) -> Vacancy:
    """Change title, description (sanitized) or is_open, and the cities when given."""
    unknown = changes.keys() - {"title", "description", "is_open"}
    if unknown:
        raise TypeError(f"vacancy_update() got unknown fields: {sorted(unknown)}")
    if "description" in changes:
        changes["description"] = sanitize_html(changes["description"])
    for name, value in changes.items():
        setattr(vacancy, name, value)
    if changes:
        vacancy.full_clean()
        vacancy.save(update_fields=list(changes))
    if cities is not None:
        vacancy.cities.set(cities)
    return vacancy


def lookup_create(*, model: type[City | Source | Tag], name: str) -> City | Source | Tag:
    """Add a city, source or tag; a taken name is a ValidationError on `name`."""
    lookup = model(name=name.strip())
    lookup.full_clean()
    try:
        # A savepoint: a concurrent insert of the same name passed full_clean too.
        with transaction.atomic():
            lookup.save()
    except IntegrityError:
        raise ServiceError(_("This name is taken."), field="name") from None
    return lookup


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
    _record(
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
    _record(
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
    return _record(
        applicant=application.applicant,
        application=application,
        kind=Activity.Kind.RATING,
        actor=actor,
        criterion=criterion,
        rating=rating,
        body=comment.strip(),
    )


TAG_NAME_MAX = 100


def _tag_names(names: list[str]) -> set[str]:
    cleaned = {name.strip().lower() for name in names if name.strip()}
    too_long = [name for name in cleaned if len(name) > TAG_NAME_MAX]
    if too_long:
        raise ServiceError(
            _("A tag is at most %(max)s characters.") % {"max": TAG_NAME_MAX}, field="tags"
        )
    return cleaned


@transaction.atomic
def applicant_tags_set(
    *, applicant: Applicant, names: list[str], actor: AbstractBaseUser
) -> Activity | None:
    """Give the applicant exactly these tags, making new ones on the fly."""
    wanted = _tag_names(names)
    current = set(applicant.tags.values_list("name", flat=True))
    added, removed = sorted(wanted - current), sorted(current - wanted)
    if not added and not removed:
        return None
    Tag.objects.bulk_create([Tag(name=name) for name in added], ignore_conflicts=True)
    applicant.tags.set(Tag.objects.filter(name__in=wanted))
    summary = "; ".join(
        part
        for part in (
            _("added: %(tags)s") % {"tags": ", ".join(added)} if added else "",
            _("removed: %(tags)s") % {"tags": ", ".join(removed)} if removed else "",
        )
        if part
    )
    return _record(applicant=applicant, kind=Activity.Kind.TAGS_CHANGED, actor=actor, body=summary)


def stage_email_send(
    *, application_pk: int, stage: str, actor: AbstractBaseUser | None
) -> Activity | None:
    """Send the stage's active e-mail template to the applicant and record it."""
    template = StageEmailTemplate.objects.filter(stage=stage, is_active=True).first()
    if template is None:
        return None
    application = Application.objects.select_related("applicant", "vacancy").get(pk=application_pk)
    applicant = application.applicant
    values = {
        "first_name": applicant.first_name,
        "last_name": applicant.last_name,
        "vacancy": application.vacancy.title,
        "stage": Stage(stage).label,
    }
    subject = string.Template(template.subject).safe_substitute(values)
    text = string.Template(template.body).safe_substitute(values)
    try:
        send_mail(subject, text, None, [applicant.email])
    except (SMTPException, OSError) as error:
        logger.exception("Stage e-mail to %s failed", applicant.email)
        body = _("Not sent (%(error)s): %(subject)s") % {"error": error, "subject": subject}
    else:
        body = f"{subject}\n\n{text}"
    with transaction.atomic():
        return _record(
            applicant=applicant,
            application=application,
            kind=Activity.Kind.EMAIL,
            actor=actor,
            body=body,
        )


@transaction.atomic
def applicant_merge(*, keep: Applicant, merge: Applicant, actor: AbstractBaseUser) -> Applicant:
    """Move `merge`'s applications, timeline and tags to `keep`; `merge` stays, marked.

    Admins only. Refused when both have an open application for the same vacancy, as
    the survivor may hold only one: close one of them first.
    """
    if not is_admin(actor):
        raise PermissionError(_("Only admins may merge applicants."))
    if keep.pk == merge.pk:
        raise ServiceError(_("Choose two different applicants."))
    locked = {
        a.pk: a for a in Applicant.objects.select_for_update().filter(pk__in=[keep.pk, merge.pk])
    }
    keep, merge = locked[keep.pk], locked[merge.pk]
    if keep.merged_into_id or merge.merged_into_id:
        raise ServiceError(_("One of them was merged already."))
    clash = Application.objects.filter(
        applicant=merge, closed_at__isnull=True, vacancy__applications__applicant=keep,
        vacancy__applications__closed_at__isnull=True,
    ).select_related("vacancy").first()  # fmt: skip
    if clash is not None:
        raise ServiceError(
            _("Both have an open application for %(vacancy)s; close one of them first.")
            % {"vacancy": clash.vacancy}
        )
    Application.objects.filter(applicant=merge).update(applicant=keep)
    Activity.objects.filter(applicant=merge).update(applicant=keep)
    keep.tags.add(*merge.tags.all())
    Applicant.objects.filter(pk=keep.pk).update(notes_count=F("notes_count") + merge.notes_count)
    merge.merged_into = keep
    merge.notes_count = 0
    merge.save(update_fields=["merged_into", "notes_count"])
    _record(
        applicant=keep,
        kind=Activity.Kind.APPLICANT_MERGED,
        actor=actor,
        body=_("Merged %(name)s <%(email)s> (#%(pk)s) into this record.")
        % {"name": merge.full_name, "email": merge.email, "pk": merge.pk},
    )
    keep.refresh_from_db()
    return keep
