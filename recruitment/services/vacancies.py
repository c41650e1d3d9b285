"""Vacancies and the lookups (cities, sources, tags)."""

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from recruitment.models import (
    City,
    Source,
    Tag,
    Vacancy,
)
from recruitment.richtext import sanitize_html
from recruitment.services.base import (
    ServiceError,
)


@transaction.atomic
def vacancy_create(
    *,
    title: str,
    description: str = "",
    title_pl: str = "",
    description_pl: str = "",
    is_open: bool = True,
    cities: Iterable[City] = (),
    recruiters: Iterable[AbstractBaseUser] = (),
) -> Vacancy:
    vacancy = Vacancy(
        title=title,
        description=sanitize_html(description),
        title_pl=title_pl,
        description_pl=sanitize_html(description_pl),
        is_open=is_open,
    )
    vacancy.full_clean()
    vacancy.save()
    vacancy.cities.set(cities)
    vacancy.recruiters.set(recruiters)
    return vacancy


@transaction.atomic
def vacancy_update(
    *,
    vacancy: Vacancy,
    cities: Iterable[City] | None = None,
    recruiters: Iterable[AbstractBaseUser] | None = None,
    **changes,
) -> Vacancy:
    """Change title, description (sanitized) or is_open, their Polish versions, and the
    cities and recruiters in charge when given."""
    unknown = changes.keys() - {"title", "description", "title_pl", "description_pl", "is_open"}
    if unknown:
        raise TypeError(f"vacancy_update() got unknown fields: {sorted(unknown)}")
    for rich_text in ("description", "description_pl"):
        if rich_text in changes:
            changes[rich_text] = sanitize_html(changes[rich_text])
    for name, value in changes.items():
        setattr(vacancy, name, value)
    if changes:
        vacancy.full_clean()
        vacancy.save(update_fields=list(changes))
    if cities is not None:
        vacancy.cities.set(cities)
    if recruiters is not None:
        vacancy.recruiters.set(recruiters)
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
