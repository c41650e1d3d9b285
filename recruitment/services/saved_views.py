"""Saved views of the applicant list.

They record no Activity: the timeline belongs to an applicant, and a saved view is
about none.
"""

from urllib.parse import parse_qsl, urlencode

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from recruitment.models import SavedView
from recruitment.services.base import ServiceError
from recruitment.validators import no_control_characters

# Where the user is in the list is not part of what they saved.
NOT_SAVED = ("page", "view")


def saved_view_query(query: str) -> str:
    """The list's query string without the page, empty values dropped."""
    kept = [(key, value) for key, value in parse_qsl(query) if key not in NOT_SAVED and value]
    return urlencode(kept)


@transaction.atomic
def saved_view_create(
    *, owner: AbstractBaseUser, name: str, query: str, is_shared: bool = False
) -> SavedView:
    name = name.strip()
    if not name:
        raise ServiceError(_("Name the view."), field="name")
    try:
        no_control_characters(name)
    except ValidationError as error:
        raise ServiceError(error.messages[0], field="name") from None
    try:
        # A savepoint, so the refused insert leaves the caller's transaction usable.
        with transaction.atomic():
            return SavedView.objects.create(
                owner=owner, name=name, query=saved_view_query(query), is_shared=is_shared
            )
    except IntegrityError:
        raise ServiceError(
            _("You have a view named %(name)s already.") % {"name": name}, field="name"
        ) from None


@transaction.atomic
def saved_view_delete(*, saved_view: SavedView, actor: AbstractBaseUser) -> None:
    if saved_view.owner_id != actor.pk:
        raise ServiceError(_("Only its owner may delete a view."))
    saved_view.delete()
