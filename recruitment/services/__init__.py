"""Writes: every state change runs here, in a transaction, and leaves an Activity.

Views, API views, the admin and commands call these functions; none of them writes
models directly. Callers use the names below: `from recruitment import services`.
"""

from recruitment.services.applicants import (
    APPLICANT_FIELDS,
    applicant_create,
    applicant_cv_attach,
    applicant_merge,
    applicant_tags_set,
    applicant_update,
    cv_check,
)
from recruitment.services.applications import (
    StageEmail,
    application_close,
    application_create,
    application_move_to_stage,
    application_reopen,
)
from recruitment.services.base import (
    ApplicationClosedError,
    FrozenApplicantError,
    ServiceError,
    StaleApplicationError,
)
from recruitment.services.bulk import BulkResult, applications_bulk_apply, bulk_action_check
from recruitment.services.bulk_jobs import bulk_job_create, bulk_job_fail, bulk_job_run
from recruitment.services.cv_text import applicant_cv_text_extract
from recruitment.services.digests import stale_digest_send
from recruitment.services.emails import (
    email_deliver,
    email_fail,
    email_outbox_requeue,
    email_queue,
    email_resend,
    stage_email_send,
)
from recruitment.services.exports import (
    export_job_create,
    export_job_fail,
    export_job_run,
    export_jobs_expire,
)
from recruitment.services.notes import RATED_FROM, note_add, note_delete, note_edit, rating_add
from recruitment.services.saved_views import saved_view_create, saved_view_delete
from recruitment.services.search import recent_search_documents_trim
from recruitment.services.vacancies import lookup_create, vacancy_create, vacancy_update

__all__ = [
    "APPLICANT_FIELDS",
    "RATED_FROM",
    "ApplicationClosedError",
    "BulkResult",
    "FrozenApplicantError",
    "ServiceError",
    "StageEmail",
    "StaleApplicationError",
    "applicant_create",
    "applicant_cv_attach",
    "applicant_cv_text_extract",
    "applicant_merge",
    "applicant_tags_set",
    "applicant_update",
    "application_close",
    "application_create",
    "application_move_to_stage",
    "application_reopen",
    "applications_bulk_apply",
    "bulk_action_check",
    "bulk_job_create",
    "bulk_job_fail",
    "bulk_job_run",
    "cv_check",
    "email_deliver",
    "email_fail",
    "email_outbox_requeue",
    "email_queue",
    "email_resend",
    "export_job_create",
    "export_job_fail",
    "export_job_run",
    "export_jobs_expire",
    "lookup_create",
    "note_add",
    "note_delete",
    "note_edit",
    "rating_add",
    "recent_search_documents_trim",
    "saved_view_create",
    "saved_view_delete",
    "stage_email_send",
    "stale_digest_send",
    "vacancy_create",
    "vacancy_update",
]
