"""The signed links mailed to candidates: renewing a consent, verifying a request."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing

RENEWAL_SALT = "privacy.renew-consent"
REQUEST_SALT = "privacy.subject-request"


@dataclass(frozen=True)
class RenewalLink:
    CAREERS = "c"
    RECORDED = "b"

    source: str  # CAREERS (careers.Consent) or RECORDED (LegalBasis)
    pk: int
    # The expiry the link was sent about: a link renews that expiry once.
    valid_until: datetime


def renewal_token(*, source: str, pk: int, valid_until: datetime) -> str:
    payload = {"s": source, "p": pk, "u": valid_until.isoformat()}
    return signing.dumps(payload, salt=RENEWAL_SALT, compress=True)


def renewal_link_max_age() -> timedelta:
    # Sent RMS_PRIVACY_RENEWAL_DAYS before the expiry; usable as long again after it.
    return timedelta(days=2 * settings.RMS_PRIVACY_RENEWAL_DAYS)


def renewal_link_read(token: str) -> RenewalLink:
    """What a renewal token names; signing.SignatureExpired or BadSignature when it is too
    old or was tampered with."""
    payload = signing.loads(token, salt=RENEWAL_SALT, max_age=renewal_link_max_age())
    try:
        return RenewalLink(
            source=payload["s"], pk=int(payload["p"]),
            valid_until=datetime.fromisoformat(payload["u"]),
        )  # fmt: skip
    except (KeyError, TypeError, ValueError):
        raise signing.BadSignature("A renewal token of another shape") from None


def request_token(*, email: str, kind: str, message: str) -> str:
    payload = {"e": email, "k": kind, "m": message}
    return signing.dumps(payload, salt=REQUEST_SALT, compress=True)


def request_link_read(token: str) -> tuple[str, str, str]:
    """(e-mail, kind, message) of a verification token; signing errors as above."""
    max_age = timedelta(hours=settings.RMS_PRIVACY_REQUEST_LINK_HOURS)
    payload = signing.loads(token, salt=REQUEST_SALT, max_age=max_age)
    try:
        return str(payload["e"]), str(payload["k"]), str(payload["m"])
    except (KeyError, TypeError):
        raise signing.BadSignature("A request token of another shape") from None
