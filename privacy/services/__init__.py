"""Writes of the privacy app: each in a transaction, each on the applicant's timeline.

Applicants, their timeline and the mails are recruitment's: these functions change them
through recruitment's services, or (anonymisation, which rewrites what no recruiter
service may) in one transaction that records its own Activity.
"""

from privacy.services.access_log import access_log_flush, access_log_record
from privacy.services.anonymise import ANONYMOUS_NAME, anonymous_email, applicant_anonymise
from privacy.services.bases import consent_renew, legal_basis_record
from privacy.services.exports import applicant_data_export
from privacy.services.requests import (
    subject_request_ask,
    subject_request_close,
    subject_request_verify,
)
from privacy.services.restrict import applicant_restrict, applicant_unrestrict
from privacy.services.retention import RetentionResult, access_log_prune, retention_run

__all__ = [
    "ANONYMOUS_NAME",
    "RetentionResult",
    "access_log_flush",
    "access_log_prune",
    "access_log_record",
    "anonymous_email",
    "applicant_anonymise",
    "applicant_data_export",
    "applicant_restrict",
    "applicant_unrestrict",
    "consent_renew",
    "legal_basis_record",
    "retention_run",
    "subject_request_ask",
    "subject_request_close",
    "subject_request_verify",
]
