"""Writes: every state change runs here, in a transaction, and leaves an Activity.

Views, API views and commands call these functions; none of them writes models directly.
"""

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from recruitment.models import (
    Activity,
    Applicant,
    Application,
    City,
    CloseReason,
    Source,
    Stage,
    Tag,
    Vacancy,
)
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
    """Add a timeline entry and keep the applicant's derived columns in step with it."""
    activity = Activity.objects.create(applicant=applicant, **fields)
    derived = {"latest_activity_at": activity.created_at}
    if activity.kind == Activity.Kind.NOTE:
        derived["notes_count"] = F("notes_count") + 1
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
def applicant_create(*, tags: Iterable[Tag] = (), **fields) -> Applicant:
    """Create an applicant from APPLICANT_FIELDS values (first_name, last_name, email, ...)."""
    unknown = fields.keys() - APPLICANT_FIELDS
    if unknown:
        raise TypeError(f"applicant_create() got unknown fields: {sorted(unknown)}")
    _applicant_email_ensure_free(email=fields.get("email", ""))
    applicant = Applicant(**fields)
    _applicant_save(applicant)
    applicant.tags.set(tags)
    return applicant


@transaction.atomic
def applicant_update(
    *, applicant: Applicant, tags: Iterable[Tag] | None = None, **changes
) -> Applicant:
    """Change the given APPLICANT_FIELDS (and tags, when given); the rest stays as it is."""
    unknown = changes.keys() - APPLICANT_FIELDS
    if unknown:
        raise TypeError(f"applicant_update() got unknown fields: {sorted(unknown)}")
    if "email" in changes:
        _applicant_email_ensure_free(email=changes["email"], applicant=applicant)
    for name, value in changes.items():
        setattr(applicant, name, value)
    if changes:
        _applicant_save(applicant, update_fields=list(changes))
    if tags is not None:
        applicant.tags.set(tags)
    return applicant


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
