"""How often one address, or one e-mail, may apply: counted in the shared cache, so every
worker of an instance counts together (with CACHE_URL; else per process)."""

import hashlib

from django.conf import settings
from django.core.cache import cache

WINDOW_SECONDS = 3600


def _count(key: str) -> int:
    # add() only sets a missing key, so the window starts at the first attempt and is not
    # pushed back by later ones.
    cache.add(key, 0, timeout=WINDOW_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:
        # Expired between add() and incr(): this attempt starts a new window.
        cache.add(key, 1, timeout=WINDOW_SECONDS)
        return 1


def apply_attempt_allowed(*, ip_address: str, email: str) -> bool:
    """Count one attempt to apply; False once the address or the e-mail is over its limit."""
    email_key = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    by_ip = _count(f"careers:apply:ip:{ip_address}")
    by_email = _count(f"careers:apply:email:{email_key}")
    return (
        by_ip <= settings.RMS_CAREERS_APPLY_PER_IP_HOUR
        and by_email <= settings.RMS_CAREERS_APPLY_PER_EMAIL_HOUR
    )
