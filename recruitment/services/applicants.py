"""Applicants: created, edited, tagged, given a CV, merged."""

import logging
from collections.abc import Iterable
from functools import partial

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError

from recruitment.cv import CV_MAX_BYTES, cv_file_delete_after_commit, cv_kind
from recruitment.models import (
    Activity,
    Applicant,
    Application,
    Tag,
)
from recruitment.roles import is_admin
from recruitment.services.base import (
    ServiceError,
    record_activity,
)
from recruitment.services.report_summary import report_summary_source_changed

logger = logging.getLogger(__name__)

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
    *, tags: Iterable[Tag] = (), actor: AbstractBaseUser | None = None, cv=None, **fields
) -> Applicant:
    """Create an applicant from APPLICANT_FIELDS values (first_name, last_name, email, ...).

    With `cv`, the file is attached in the same transaction: a refused CV leaves no
    applicant behind.
    """
    unknown = fields.keys() - APPLICANT_FIELDS
    if unknown:
        raise TypeError(f"applicant_create() got unknown fields: {sorted(unknown)}")
    _applicant_email_ensure_free(email=fields.get("email", ""))
    applicant = Applicant(**fields)
    _applicant_save(applicant)
    applicant.tags.set(tags)
    record_activity(applicant=applicant, kind=Activity.Kind.APPLICANT_CREATED, actor=actor)
    if cv is not None:
        applicant_cv_attach(applicant=applicant, upload=cv, actor=actor)
    return applicant


@transaction.atomic
def applicant_update(
    *,
    applicant: Applicant,
    tags: Iterable[Tag] | None = None,
    actor: AbstractBaseUser | None = None,
    cv=None,
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
    if tags is not None:
        # Before the applicant's row is updated: the tags' count trigger (migration
        # 0032) waits for any transaction writing this applicant's applications, and
        # one of those may be waiting to update this row (its latest activity).
        applicant.tags.set(tags)
    before = {name: getattr(applicant, name) for name in changes}
    for name, value in changes.items():
        setattr(applicant, name, value)
    if changes:
        _applicant_save(applicant, update_fields=list(changes))
        if "source" in changes:
            report_summary_source_changed(
                applications=applicant.applications.all(),
                from_source_id=before["source"].pk if before["source"] else None,
                to_source_id=applicant.source_id,
            )
        record_activity(
            applicant=applicant,
            kind=Activity.Kind.APPLICANT_EDITED,
            actor=actor,
            body="; ".join(
                f"{Applicant._meta.get_field(name).verbose_name}: {_shown(value)} → "
                f"{_shown(changes[name])}"
                for name, value in before.items()
            ),
        )
    if cv is not None:
        applicant_cv_attach(applicant=applicant, upload=cv, actor=actor)
    return applicant


def _shown(value) -> str:
    return "—" if value in ("", None) else str(value)


def cv_check(upload) -> str:
    """The upload's kind ("pdf", ...), or a ServiceError on `cv` when it is no CV."""
    kind = cv_kind(upload)
    if kind is None:
        raise ServiceError(_("A CV must be a PDF, DOC, DOCX or ODT file."), field="cv")
    if upload.size > CV_MAX_BYTES:
        raise ServiceError(_("A CV can be at most 10 MB."), field="cv")
    return kind


@transaction.atomic
def applicant_cv_attach(*, applicant: Applicant, upload, actor: AbstractBaseUser | None) -> None:
    """Store a CV under a random name; the file it replaces is deleted after commit."""
    kind = cv_check(upload)
    replaced = applicant.cv.name
    applicant.cv.save(f"cv.{kind}", upload, save=False)
    applicant.save(update_fields=["cv"])
    cv_file_delete_after_commit(replaced)
    record_activity(applicant=applicant, kind=Activity.Kind.CV_UPLOADED, actor=actor)
    # Reading a long PDF takes a while: it happens once the CV is safely stored.
    transaction.on_commit(partial(_cv_text_dispatch, applicant.pk))


def _cv_text_dispatch(applicant_id: int) -> None:
    from recruitment.tasks import applicant_cv_text_extract as task

    try:
        task.delay(applicant_id)
    except OperationalError as error:
        # The CV is stored; only its words are missing from the search until it is read.
        logger.warning("CV text of applicant %s not queued: %s", applicant_id, error)


TAG_NAME_MAX = 100


def _tag_names(names: list[str]) -> set[str]:
    cleaned = {name.strip().lower() for name in names if name.strip()}
    too_long = [name for name in cleaned if len(name) > TAG_NAME_MAX]
    if too_long:
        raise ServiceError(
            _("A tag is at most %(max)s characters.") % {"max": TAG_NAME_MAX}, field="tags"
        )
    return cleaned


def _tag_names_check(names: Iterable[str]) -> None:
    """The rules of a tag's name field (bulk_create does not apply them)."""
    for name in names:
        try:
            Tag(name=name).clean_fields()
        except ValidationError as error:
            raise ServiceError(error.messages[0], field="tags") from None


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
    # Only the tags given now: one stored before a rule existed can still be kept or removed.
    _tag_names_check(added)
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
    return record_activity(
        applicant=applicant, kind=Activity.Kind.TAGS_CHANGED, actor=actor, body=summary
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
    report_summary_source_changed(
        applications=Application.objects.filter(applicant=merge),
        from_source_id=merge.source_id,
        to_source_id=keep.source_id,
    )
    Application.objects.filter(applicant=merge).update(applicant=keep)
    Activity.objects.filter(applicant=merge).update(applicant=keep)
    keep.tags.add(*merge.tags.all())
    Applicant.objects.filter(pk=keep.pk).update(notes_count=F("notes_count") + merge.notes_count)
    merge.merged_into = keep
    merge.notes_count = 0
    merge.save(update_fields=["merged_into", "notes_count"])
    record_activity(
        applicant=keep,
        kind=Activity.Kind.APPLICANT_MERGED,
        actor=actor,
        body=_("Merged %(name)s <%(email)s> (#%(pk)s) into this record.")
        % {"name": merge.full_name, "email": merge.email, "pk": merge.pk},
    )
    keep.refresh_from_db()
    return keep
