"""Who may do what, beyond Django's per-model permissions."""

from django.contrib.auth.models import AbstractBaseUser

ADMINS = "admins"
RECRUITERS = "recruiters"


def is_admin(user: AbstractBaseUser) -> bool:
    # Remembered on the user object, which lives for one request: a page asking about
    # every note on it costs one query, not one per note.
    if not hasattr(user, "_rms_is_admin"):
        user._rms_is_admin = user.is_superuser or user.groups.filter(name=ADMINS).exists()
    return user._rms_is_admin


def may_change_note(user: AbstractBaseUser, note) -> bool:
    """Authors edit or delete their own notes; admins anyone's."""
    return note.actor_id == user.pk or is_admin(user)
