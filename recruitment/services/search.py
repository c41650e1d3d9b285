"""Upkeep of what PostgreSQL keeps for the search (recruitment/search.py)."""

import datetime

from django.db import connection
from django.utils import timezone

from recruitment.models import RECENT_SEARCH_DAYS, RecentSearchDocument


def recent_search_documents_trim() -> int:
    """Delete the recent search documents of the applicants no longer active within
    RECENT_SEARCH_DAYS + 1 days (the triggers' bound, migration 0039); how many.

    The latest activity compared is the row's own, which a move's trigger updates in
    the mover's transaction: a row moved meanwhile is read again once the move commits,
    and kept. Without this task the table would, in time, hold everyone once active.
    """
    if connection.vendor != "postgresql":
        return 0
    aged_out = timezone.now() - datetime.timedelta(days=RECENT_SEARCH_DAYS + 1)
    deleted, _ = RecentSearchDocument.objects.filter(latest_activity_at__lt=aged_out).delete()
    return deleted
