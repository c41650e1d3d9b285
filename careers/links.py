"""The signed, expiring link that confirms an application."""

from django.conf import settings
from django.core import signing

SALT = "careers.confirm-application"


def confirmation_token(*, submission_pk: int) -> str:
    return signing.TimestampSigner(salt=SALT).sign(str(submission_pk))


def confirmation_submission_pk(token: str) -> int:
    """The submission a token names; signing.SignatureExpired or BadSignature when it is
    too old or was tampered with."""
    max_age = settings.RMS_CAREERS_CONFIRM_DAYS * 24 * 3600
    return int(signing.TimestampSigner(salt=SALT).unsign(token, max_age=max_age))
