"""A large bulk move and a CV's text through the real worker (the session's, conftest.py)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from recruitment.factories import ApplicantFactory, VacancyFactory
from recruitment.models import Activity, Applicant, Application, BulkJob, City, Stage
from recruitment.services import applicant_cv_attach
from tests.queue.conftest import wait_until
from tests.queue.test_worker import applications_in
from tests.recruitment.test_cv_text import docx_bytes

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROWS = 300


def test_a_bulk_move_of_300_applications_runs_as_a_job_to_the_end(
    broker, settings, recruiter, recruiter_client
):
    settings.RMS_BULK_JOB_ROWS = 200
    vacancy = VacancyFactory(title="Backend")
    lodz, opole = City.objects.create(name="Łódź"), City.objects.create(name="Opole")
    applications_in(lodz, ROWS, vacancy, "L")
    applications_in(opole, 5, vacancy, "O")

    response = recruiter_client.post(
        "/applicants/bulk/",
        {
            "action": "move",
            "stage": "interview",
            "all_matching": "on",
            "query": f"stage=application&city={lodz.pk}",
        },
    )

    job = BulkJob.objects.get()
    assert response["Location"] == f"/bulk-jobs/{job.pk}/"
    seen = set()

    def finished() -> bool:
        job.refresh_from_db()
        seen.add(job.done)
        return job.finished

    wait_until(finished, timeout=90, every=0.05)
    assert (job.status, job.done, job.refused, job.total) == (BulkJob.Status.DONE, ROWS, 0, ROWS)
    assert any(0 < done < ROWS for done in seen), seen
    moved = Application.objects.filter(stage=Stage.INTERVIEW)
    assert set(moved.values_list("applicant__city", flat=True)) == {lodz.pk}
    assert moved.count() == ROWS
    moves = Activity.objects.filter(kind=Activity.Kind.STAGE_CHANGED, actor=recruiter)
    assert moves.count() == ROWS
    page = recruiter_client.get(f"/bulk-jobs/{job.pk}/").content.decode()
    assert f"done {ROWS}, refused 0 of {ROWS}" in page


def test_an_uploaded_cv_is_read_by_the_worker(broker, worker, settings, recruiter):
    # On disk where the worker reads, not in this process's memory as in other tests.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": worker.env["MEDIA_ROOT"]},
        },
    }
    applicant = ApplicantFactory()

    applicant_cv_attach(
        applicant=applicant,
        upload=SimpleUploadedFile("cv.docx", docx_bytes("Elixir")),
        actor=recruiter,
    )

    def read() -> str:
        return Applicant.objects.get(pk=applicant.pk).cv_text

    assert "Elixir" in wait_until(read, timeout=30)
