"""Pages of the queue's work: resending a failed e-mail, export jobs and their files,
bulk-action jobs."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from recruitment import services
from recruitment.models import BulkJob, ExportJob, OutgoingEmail
from recruitment.roles import is_admin, managers_only, visible_applicants


@require_POST
@managers_only
def email_resend(request, pk: int):
    email = get_object_or_404(
        OutgoingEmail.objects.filter(applicant__in=visible_applicants(request.user)), pk=pk
    )
    try:
        services.email_resend(email=email, actor=request.user)
    except services.ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The e-mail to %(to)s is queued again.") % {"to": email.to})
    return redirect("applicant_detail", pk=email.applicant_id)


def _job(request, pk: int) -> ExportJob:
    """The job, for the user who asked for it and for admins; 404 for anyone else."""
    job = get_object_or_404(ExportJob, pk=pk)
    if job.owner_id != request.user.pk and not is_admin(request.user):
        raise Http404
    return job


@require_GET
@managers_only
def export_job_page(request, pk: int):
    return render(request, "recruitment/export_job.html", {"job": _job(request, pk)})


@require_GET
@managers_only
def export_job_progress(request, pk: int):
    """The part of the page htmx polls while the job runs; it stops polling once done."""
    return render(request, "recruitment/_export_job_progress.html", {"job": _job(request, pk)})


@require_GET
@managers_only
def export_job_download(request, pk: int):
    job = _job(request, pk)
    if job.status != ExportJob.Status.DONE or not job.file:
        raise PermissionDenied(_("This export has no file (any more)."))
    response = FileResponse(
        job.file.open("rb"), as_attachment=True, filename=job.file.name.partition("-")[2]
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _bulk_job(request, pk: int) -> BulkJob:
    """The job, for the user who asked for it and for admins; 403 for anyone else."""
    job = get_object_or_404(BulkJob.objects.select_related("closing_reason"), pk=pk)
    if job.owner_id != request.user.pk and not is_admin(request.user):
        raise PermissionDenied(_("This bulk action is someone else's."))
    return job


@require_GET
@managers_only
def bulk_job_page(request, pk: int):
    return render(request, "recruitment/bulk_job.html", {"job": _bulk_job(request, pk)})


@require_GET
@managers_only
def bulk_job_progress(request, pk: int):
    """The part of the page htmx polls while the job runs; it stops polling once done."""
    return render(request, "recruitment/_bulk_job_progress.html", {"job": _bulk_job(request, pk)})
