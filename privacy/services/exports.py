"""The subject access export: a ZIP of everything RMS holds about one person."""

import io
import json
import zipfile
from pathlib import PurePath

from django.contrib.auth.models import AbstractBaseUser
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from careers.models import Consent, Submission
from privacy.models import AccessLogEntry, LegalBasis, SubjectRequest
from privacy.services.access_log import access_log_flush
from recruitment.models import Activity, Applicant, OutgoingEmail
from recruitment.services.base import record_activity

APPLICANT_FIELDS = (
    "id",
    "first_name",
    "last_name",
    "email",
    "phone",
    "birth_year",
    "experience_years",
    "current_work",
    "linkedin_url",
    "created_at",
    "latest_activity_at",
    "restricted_at",
    "anonymised_at",
)


@transaction.atomic
def applicant_data_export(*, applicant: Applicant, actor: AbstractBaseUser) -> bytes:
    """The ZIP's bytes: data.json (record, applications, timeline, consents, legal bases,
    careers submissions, e-mails, requests, who viewed it) and the CV files."""
    access_log_flush()
    data = applicant_data(applicant=applicant)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "data.json", json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        )
        for name, field in _files(applicant):
            with field.open("rb") as file:
                archive.writestr(name, file.read())
    record_activity(
        applicant=applicant,
        kind=Activity.Kind.DATA_EXPORTED,
        actor=actor,
        body=_("Everything held about the person, exported as a ZIP."),
    )
    return buffer.getvalue()


def _files(applicant: Applicant):
    if applicant.cv:
        yield f"cv{PurePath(applicant.cv.name).suffix}", applicant.cv
    submissions = Submission.objects.filter(application__applicant=applicant).exclude(cv="")
    for submission in submissions:
        yield f"cv-sent-{submission.pk}{PurePath(submission.cv.name).suffix}", submission.cv


def _row(instance, fields) -> dict:
    return {name: getattr(instance, name) for name in fields}


def applicant_data(*, applicant: Applicant) -> dict:
    """Everything held about the person, as plain JSON-able values."""
    record = _row(applicant, APPLICANT_FIELDS)
    record.update(
        city=str(applicant.city or ""),
        source=str(applicant.source or ""),
        tags=sorted(tag.name for tag in applicant.tags.all()),
        cv_text=applicant.cv_text,
    )
    return {
        "exported_at": timezone.now(),
        "applicant": record,
        "applications": _applications(applicant),
        "timeline": _timeline(applicant),
        "consents": [
            _row(
                c,
                ("purpose", "wording_version", "wording", "given_at", "ip_address", "valid_until"),
            )
            for c in Consent.objects.filter(applicant=applicant)
        ],
        "legal_bases": [
            {
                **_row(
                    b, ("basis", "purpose", "wording_version", "given_at", "source", "valid_until")
                ),
                "vacancy": str(b.vacancy or ""),
            }
            for b in LegalBasis.objects.filter(applicant=applicant).select_related("vacancy")
        ],
        "careers_submissions": [
            _row(
                s,
                (
                    "submitted_at",
                    "ip_address",
                    "language",
                    "message",
                    "candidate_says",
                    "confirmed_at",
                ),
            )
            for s in Submission.objects.filter(application__applicant=applicant)
        ],
        "emails": [
            _row(e, ("to", "subject", "body", "status", "created_at", "sent_at"))
            for e in OutgoingEmail.objects.filter(applicant=applicant)
        ],
        "requests": [
            _row(r, ("kind", "email", "message", "received_at", "status", "handled_at", "answer"))
            for r in SubjectRequest.objects.filter(applicant=applicant)
        ],
        "viewed_by": [
            {"who": str(entry.user or ""), "when": entry.at, "what": entry.get_action_display()}
            for entry in AccessLogEntry.objects.filter(applicant=applicant).select_related("user")
        ],
    }


def _applications(applicant: Applicant) -> list[dict]:
    applications = applicant.applications.select_related("vacancy", "closing_reason")
    return [
        {
            **_row(
                a,
                (
                    "id",
                    "stage",
                    "created_at",
                    "stage_changed_at",
                    "closed_at",
                    "close_reason",
                    "close_note",
                ),
            ),
            "vacancy": a.vacancy.title,
            "closing_reason": str(a.closing_reason or ""),
        }
        for a in applications
    ]


def _timeline(applicant: Applicant) -> list[dict]:
    activities = applicant.activities.select_related("actor").order_by("created_at", "id")
    return [
        {
            **_row(
                a,
                (
                    "kind",
                    "created_at",
                    "application_id",
                    "from_stage",
                    "to_stage",
                    "rating",
                    "criterion",
                    "body",
                ),
            ),
            "by": str(a.actor or ""),
        }
        for a in activities
    ]
