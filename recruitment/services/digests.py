"""The nightly digest: each recruiter's open applications that nobody has touched."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from recruitment.roles import MANAGERS, visible_applications
from recruitment.services.emails import email_queue


def stale_digest_send() -> int:
    """Queue one digest mail per recruiter or admin who has stale applications; how many."""
    since = timezone.now() - timedelta(days=settings.RMS_STALE_DAYS)
    users = get_user_model().objects.filter(
        is_active=True, groups__name__in=MANAGERS
    ).exclude(email="").distinct().select_related("language_choice")  # fmt: skip
    sent = 0
    for user in users:
        stale = (
            visible_applications(user)
            .filter(closed_at__isnull=True, applicant__latest_activity_at__lt=since)
            .select_related("applicant", "vacancy")
            .order_by("applicant__latest_activity_at")
        )
        # Each recruiter's digest in the language they work in.
        choice = getattr(user, "language_choice", None)
        with translation.override(choice.language if choice else settings.LANGUAGE_CODE):
            lines = [
                f"- {a.applicant.full_name} · {a.vacancy.title} ({a.status_label}), "
                f"{_('latest activity')} "
                f"{timezone.localtime(a.applicant.latest_activity_at):%Y-%m-%d}"
                for a in stale[:200]
            ]
            if not lines:
                continue
            subject = ngettext(
                "%(count)s application without activity for %(days)s days",
                "%(count)s applications without activity for %(days)s days",
                len(lines),
            ) % {
                "count": len(lines),
                "days": settings.RMS_STALE_DAYS,
            }
        email_queue(to=user.email, subject=subject, body="\n".join(lines))
        sent += 1
    return sent
