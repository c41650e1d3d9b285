"""The access log, written in batches: a record page adds to a buffer in memory and
goes on; the buffer goes to the database in one INSERT when it holds
RMS_ACCESS_LOG_BATCH entries, when its oldest is RMS_ACCESS_LOG_FLUSH_SECONDS old (at
the next view), before anyone reads the log in this process, and when the process exits.

The cost: a worker killed outright (SIGKILL, a crash) loses what it had not written,
at most one batch or a few seconds' worth. A graceful stop or reload writes it.
"""

import atexit
import logging
import threading
import time

from django.conf import settings
from django.db import DatabaseError

from privacy.models import AccessLogEntry
from recruitment.models import Applicant

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_buffer: list[AccessLogEntry] = []
_oldest: list[float] = []


def access_log_record(*, user_id: int | None, applicant_id: int, action: str) -> None:
    """Note that a user looked at an applicant's data (it reaches the table soon)."""
    if not settings.RMS_ACCESS_LOG:
        return
    with _lock:
        if not _buffer:
            _oldest[:] = [time.monotonic()]
        _buffer.append(AccessLogEntry(user_id=user_id, applicant_id=applicant_id, action=action))
        full = len(_buffer) >= settings.RMS_ACCESS_LOG_BATCH
        old = time.monotonic() - _oldest[0] >= settings.RMS_ACCESS_LOG_FLUSH_SECONDS
    if full or old:
        access_log_flush()


def access_log_flush() -> int:
    """Write the buffered entries; how many. Entries whose applicant is gone are dropped."""
    with _lock:
        entries = _buffer[:]
        _buffer.clear()
    if not entries:
        return 0
    # An applicant deleted since (an admin's delete) would fail the whole INSERT, and on
    # PostgreSQL only at commit, where the foreign key is checked.
    ids = {entry.applicant_id for entry in entries}
    try:
        existing = set(Applicant.objects.filter(pk__in=ids).values_list("pk", flat=True))
        kept = [entry for entry in entries if entry.applicant_id in existing]
        AccessLogEntry.objects.bulk_create(kept)
    except DatabaseError as error:
        kept = entries
        logger.warning("%s access log entries lost: %s", len(kept), error)
        return 0
    return len(kept)


def access_log_discard() -> None:
    """Forget the entries waiting (a test, or a benchmark, starts from nothing)."""
    with _lock:
        _buffer.clear()


atexit.register(access_log_flush)
