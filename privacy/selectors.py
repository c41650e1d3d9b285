"""Reads of the privacy app: legal bases, who is due under the retention rules, the
renewal reminders to send, the subject requests' queue and the access log."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import (
    Case,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils.translation import gettext_lazy as _

from careers.models import Consent
from privacy.models import (
    AccessLogEntry,
    LegalBasis,
    RenewalReminder,
    RetentionRule,
    SubjectRequest,
)
from recruitment.models import Applicant, Application, Stage

CAREERS_SOURCE = _("Careers page")
FUTURE = LegalBasis.Purpose.FUTURE_OPENINGS


@dataclass(frozen=True)
class BasisRow:
    """One legal basis as the applicant's record shows it, whichever table it is in."""

    basis: str
    purpose: str
    vacancy: str
    wording_version: str
    given_at: datetime
    source: str
    valid_until: datetime | None
    recorded_by: str

    def is_valid(self, now: datetime) -> bool:
        return self.valid_until is None or self.valid_until > now


def applicant_legal_bases(*, applicant: Applicant) -> list[BasisRow]:
    """The careers site's consents and the recorded bases, newest first (two queries)."""
    consents = Consent.objects.filter(applicant=applicant).select_related(
        "submission__application__vacancy"
    )
    recorded = LegalBasis.objects.filter(applicant=applicant).select_related(
        "vacancy", "recorded_by"
    )
    rows = [
        BasisRow(
            basis=str(LegalBasis.Basis.CONSENT.label),
            purpose=consent.get_purpose_display(),
            vacancy=str(consent.submission.application.vacancy),
            wording_version=consent.wording_version,
            given_at=consent.given_at,
            source=str(CAREERS_SOURCE),
            valid_until=consent.valid_until,
            recorded_by="",
        )
        for consent in consents
    ]
    rows += [
        BasisRow(
            basis=basis.get_basis_display(),
            purpose=basis.get_purpose_display(),
            vacancy=str(basis.vacancy or ""),
            wording_version=basis.wording_version,
            given_at=basis.given_at,
            source=basis.get_source_display(),
            valid_until=basis.valid_until,
            recorded_by=str(basis.recorded_by or ""),
        )
        for basis in recorded
    ]
    return sorted(rows, key=lambda row: row.given_at, reverse=True)


# --- Retention --------------------------------------------------------------------------

MONTH = timedelta(days=30)


def _latest(queryset: QuerySet, field: str) -> Subquery:
    return Subquery(queryset.order_by(f"-{field}").values(field)[:1])


def retention_candidates() -> QuerySet[Applicant]:
    """Applicants whose recruitment is over, with the dates the rules count from.

    Over: no application still in the pipeline (an open one at Employment is a hire).
    Restricted, anonymised and merged records are never candidates.
    """
    mine = {"applicant": OuterRef("pk")}
    applications = Application.objects.filter(**mine)
    in_progress = applications.filter(closed_at__isnull=True).exclude(stage=Stage.EMPLOYMENT)
    future = {"purpose": FUTURE, "valid_until__isnull": False, **mine}
    return (
        Applicant.objects.filter(
            anonymised_at__isnull=True, restricted_at__isnull=True, merged_into__isnull=True
        )
        .annotate(
            in_progress=Exists(in_progress),
            last_closed=_latest(applications.filter(closed_at__isnull=False), "closed_at"),
            hired_at=_latest(
                applications.filter(closed_at__isnull=True, stage=Stage.EMPLOYMENT),
                "stage_changed_at",
            ),
            careers_until=_latest(Consent.objects.filter(**future), "valid_until"),
            recorded_until=_latest(
                LegalBasis.objects.filter(basis=LegalBasis.Basis.CONSENT, **future), "valid_until"
            ),
        )
        .filter(in_progress=False)
    )


def _ended(field: str, rule: RetentionRule | None, now: datetime) -> Q:
    """The rule about `field` has run out, or does not apply (no such date)."""
    if rule is None or not rule.is_active:
        return Q(**{f"{field}__isnull": True})
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__lte": now - rule.months * MONTH})


def retention_due(*, now: datetime) -> QuerySet[Applicant]:
    """Who is to be anonymised at `now`: someone whose every applicable rule has run out.

    Kept as long as the longest of: the closed rule after the last close, the hired rule
    after the hire, the future-openings rule after the latest such consent's expiry. A
    rule switched off keeps everyone it would apply to.
    """
    rules = {rule.case: rule for rule in RetentionRule.objects.all()}
    closed = rules.get(RetentionRule.Case.CLOSED)
    future = rules.get(RetentionRule.Case.FUTURE_CONSENT)
    return retention_candidates().filter(
        Q(last_closed__isnull=False) | Q(hired_at__isnull=False),
        _ended("last_closed", closed, now),
        _ended("hired_at", rules.get(RetentionRule.Case.HIRED), now),
        _ended("careers_until", future, now),
        _ended("recorded_until", future, now),
    )


def retention_reason(applicant: Applicant) -> str:
    """The rule that ran out last for an applicant of retention_due."""
    dates = [
        (applicant.careers_until, RetentionRule.Case.FUTURE_CONSENT),
        (applicant.recorded_until, RetentionRule.Case.FUTURE_CONSENT),
        (applicant.hired_at, RetentionRule.Case.HIRED),
        (applicant.last_closed, RetentionRule.Case.CLOSED),
    ]
    latest = max((date, case) for date, case in dates if date is not None)
    return str(_("Retention rule: %(case)s") % {"case": RetentionRule.Case(latest[1]).label})


@dataclass(frozen=True)
class RenewalDue:
    applicant: Applicant
    consent: Consent | None  # a careers consent, or
    legal_basis: LegalBasis | None  # a recorded one
    valid_until: datetime
    language: str


def renewal_due(*, now: datetime, days: int) -> list[RenewalDue]:
    """Future-openings consents ending within `days` not yet asked about, each the
    latest-ending one of its holder (restricted and anonymised people get no mail)."""
    window = Q(purpose=FUTURE, valid_until__gt=now, valid_until__lte=now + timedelta(days=days))
    holder = Q(applicant__anonymised_at__isnull=True, applicant__restricted_at__isnull=True)
    later = Q(
        purpose=FUTURE, applicant=OuterRef("applicant"), valid_until__gt=OuterRef("valid_until")
    )
    not_latest = Q(Exists(Consent.objects.filter(later))) | Q(
        Exists(LegalBasis.objects.filter(later, basis=LegalBasis.Basis.CONSENT))
    )
    careers = (
        Consent.objects.filter(window, holder)
        .exclude(not_latest)
        .exclude(Exists(_reminded(careers_consent=OuterRef("pk"))))
        .select_related("applicant", "submission")
    )
    recorded = (
        LegalBasis.objects.filter(window, holder, basis=LegalBasis.Basis.CONSENT)
        .exclude(not_latest)
        .exclude(Exists(_reminded(legal_basis=OuterRef("pk"))))
        .select_related("applicant")
    )
    due = [RenewalDue(c.applicant, c, None, c.valid_until, c.submission.language) for c in careers]
    due += [RenewalDue(b.applicant, None, b, b.valid_until, "") for b in recorded]
    return due


def _reminded(**consent) -> QuerySet[RenewalReminder]:
    return RenewalReminder.objects.filter(valid_until=OuterRef("valid_until"), **consent)


# --- Subject requests and the access log ------------------------------------------------


def subject_request_queue() -> QuerySet[SubjectRequest]:
    """Open requests, the most urgent first, then the handled ones, latest first."""
    is_open = Case(
        When(status=SubjectRequest.Status.OPEN, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return SubjectRequest.objects.select_related("applicant", "handled_by").order_by(
        is_open, "due_at", "id"
    )


def access_log_of_applicant(*, applicant: Applicant) -> QuerySet[AccessLogEntry]:
    return AccessLogEntry.objects.filter(applicant=applicant).select_related("user")


def access_log_of_user(*, user) -> QuerySet[AccessLogEntry]:
    return AccessLogEntry.objects.filter(user=user).select_related("applicant")
