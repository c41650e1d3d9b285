"""The nightly retention run: renewal links for consents about to expire, and the
anonymisation of everyone whose time has come (privacy.tasks.retention_run)."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from privacy import selectors
from privacy.links import RenewalLink, renewal_token
from privacy.models import AccessLogEntry, RenewalReminder
from privacy.services.anonymise import applicants_anonymise
from recruitment import services
from recruitment.models import Activity
from recruitment.services.base import record_activity


@dataclass(frozen=True)
class RetentionResult:
    reminded: int
    anonymised: int
    access_log_pruned: int


def retention_run(*, now: datetime | None = None) -> RetentionResult:
    """Mail the renewal links that are due, anonymise whoever is due, prune the access log.

    People are anonymised in chunks, a transaction each (privacy.services.anonymise).
    Run twice, it does nothing the second time.
    """
    now = now or timezone.now()
    reminded = sum(
        _reminder_send(due)
        for due in selectors.renewal_due(now=now, days=settings.RMS_PRIVACY_RENEWAL_DAYS)
    )
    # Read whole before the first change: each one takes people out of the query.
    by_reason = defaultdict(list)
    for applicant in selectors.retention_due(now=now).only("id").order_by("pk"):
        by_reason[selectors.retention_reason(applicant)].append(applicant.pk)
    anonymised = sum(
        applicants_anonymise(pks=pks, actor=None, reason=reason)
        for reason, pks in by_reason.items()
    )
    return RetentionResult(
        reminded=reminded, anonymised=anonymised, access_log_pruned=access_log_prune(now=now)
    )


@transaction.atomic
def _reminder_send(due: selectors.RenewalDue) -> int:
    applicant = due.applicant
    if due.consent is not None:
        source, pk = RenewalLink.CAREERS, due.consent.pk
    else:
        source, pk = RenewalLink.RECORDED, due.legal_basis.pk
    RenewalReminder.objects.create(
        applicant=applicant,
        careers_consent=due.consent,
        legal_basis=due.legal_basis,
        valid_until=due.valid_until,
    )
    token = renewal_token(source=source, pk=pk, valid_until=due.valid_until)
    with translation.override(due.language or settings.LANGUAGE_CODE):
        link = settings.RMS_SITE_URL + reverse("privacy:renew", kwargs={"token": token})
        context = {
            "applicant": applicant,
            "valid_until": due.valid_until,
            "link": link,
            "request_link": settings.RMS_SITE_URL + reverse("privacy:request"),
        }
        subject = render_to_string("privacy/emails/renewal_subject.txt", context)
        body = render_to_string("privacy/emails/renewal_body.txt", context)
    services.email_queue(to=applicant.email, subject=" ".join(subject.split()), body=body)
    record_activity(
        applicant=applicant,
        kind=Activity.Kind.CONSENT_RENEWAL_ASKED,
        actor=None,
        body=_("Renewal link mailed: the future-openings consent ends %(date)s.")
        % {"date": timezone.localtime(due.valid_until).date()},
    )
    return 1


def access_log_prune(*, now: datetime) -> int:
    """Delete access log entries older than RMS_ACCESS_LOG_KEEP_DAYS; how many."""
    cutoff = now - timedelta(days=settings.RMS_ACCESS_LOG_KEEP_DAYS)
    deleted, _by_model = AccessLogEntry.objects.filter(at__lt=cutoff).delete()
    return deleted
