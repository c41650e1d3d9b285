"""Exports over the threshold become jobs (run in-process here): progress, file, expiry."""

import csv
import io
from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from recruitment import services
from recruitment.exports import csv_complete
from recruitment.factories import ApplicantFactory, ApplicationFactory, CityFactory, UserFactory
from recruitment.models import ExportJob
from tests.conftest import role

pytestmark = pytest.mark.django_db


@pytest.fixture
def gdansk_rows(settings):
    settings.RMS_EXPORT_JOB_ROWS = 2
    # Not a name the factories pick at random for the other rows.
    gdansk = CityFactory(name="Gdańsk-Oliwa")
    for number in range(3):
        ApplicationFactory(applicant=ApplicantFactory(last_name=f"Gdańsk{number}", city=gdansk))
    ApplicationFactory(applicant=ApplicantFactory(last_name="Elsewhere"))
    return gdansk


def export_job(client, query, fmt="csv", capture=None) -> ExportJob:
    with capture(execute=True):
        response = client.get(f"/applicants/export.{fmt}", query)
    job = ExportJob.objects.latest("pk")
    assert response.status_code == 302
    assert response["Location"] == f"/exports/{job.pk}/"
    return job


def test_a_large_export_becomes_a_job_whose_file_follows_the_filters(
    recruiter_client, gdansk_rows, django_capture_on_commit_callbacks
):
    job = export_job(
        recruiter_client, {"city": gdansk_rows.pk}, capture=django_capture_on_commit_callbacks
    )

    page = recruiter_client.get(f"/exports/{job.pk}/").content.decode()
    assert f'href="/exports/{job.pk}/download/"' in page
    assert "3 of 3 rows" in page
    assert "hx-trigger" not in page  # done: the page stops polling
    download = recruiter_client.get(f"/exports/{job.pk}/download/")
    assert download["Content-Disposition"].startswith('attachment; filename="applicants-')
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Length"] == str(job.file.size)
    body = b"".join(download.streaming_content).decode("utf-8")
    assert csv_complete(body)
    _header, *rows, _end = csv.reader(io.StringIO(body[1:]))
    assert sorted(row[2] for row in rows) == ["Gdańsk0", "Gdańsk1", "Gdańsk2"]


def test_a_running_job_polls_and_a_small_export_downloads_at_once(
    recruiter_client, recruiter, gdansk_rows
):
    job = ExportJob.objects.create(owner=recruiter, fmt="csv", total=10, done=4)
    progress = recruiter_client.get(f"/exports/{job.pk}/progress/").content.decode()
    assert f'hx-get="/exports/{job.pk}/progress/"' in progress
    assert 'value="40"' in progress

    small = recruiter_client.get("/applicants/export.csv", {"q": "Elsewhere"})
    assert small.status_code == 200


def test_a_job_xlsx_has_typed_cells_and_runs_no_formula(
    recruiter_client, gdansk_rows, django_capture_on_commit_callbacks
):
    ApplicationFactory(
        applicant=ApplicantFactory(
            first_name='=HYPERLINK("http://evil")', phone="+48 600 100 200", city=gdansk_rows
        )
    )
    job = export_job(
        recruiter_client,
        {"city": gdansk_rows.pk},
        fmt="xlsx",
        capture=django_capture_on_commit_callbacks,
    )

    download = recruiter_client.get(f"/exports/{job.pk}/download/")
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    header = [cell.value for cell in sheet[1]]
    rows = [dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2)]
    assert len(rows) == 4
    assert all(cell.data_type != "f" for row in rows for cell in row.values())
    evil = next(row for row in rows if row["First name"].value.startswith("="))
    assert evil["First name"].data_type == "s"
    assert evil["Phone number"].value == "+48 600 100 200"
    assert isinstance(evil["Created"].value, datetime)
    assert evil["Created"].number_format == "yyyy-mm-dd"


def test_the_file_is_only_for_who_asked_and_admins(
    client, recruiter_client, admin_user, gdansk_rows, django_capture_on_commit_callbacks
):
    job = export_job(recruiter_client, {}, fmt="xlsx", capture=django_capture_on_commit_callbacks)
    other = UserFactory(username="otto")
    other.groups.add(role("recruiters"))

    client.force_login(other)
    assert client.get(f"/exports/{job.pk}/download/").status_code == 404
    assert client.get(f"/exports/{job.pk}/").status_code == 404
    client.force_login(admin_user)
    assert client.get(f"/exports/{job.pk}/download/").status_code == 200


def test_an_expired_file_is_deleted_and_no_longer_served(
    recruiter_client, gdansk_rows, django_capture_on_commit_callbacks
):
    job = export_job(recruiter_client, {}, capture=django_capture_on_commit_callbacks)
    job.refresh_from_db()
    storage, name = job.file.storage, job.file.name
    assert storage.exists(name)
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(minutes=1))

    assert services.export_jobs_expire() == 1

    assert not storage.exists(name)
    assert recruiter_client.get(f"/exports/{job.pk}/download/").status_code == 403
    assert "has expired" in recruiter_client.get(f"/exports/{job.pk}/").content.decode()


def test_an_export_asked_for_while_the_broker_is_down_says_so_at_once(
    recruiter_client, gdansk_rows, broker_down, django_capture_on_commit_callbacks
):
    job = export_job(recruiter_client, {}, capture=django_capture_on_commit_callbacks)

    page = recruiter_client.get(f"/exports/{job.pk}/").content.decode()
    assert "The export failed" in page
    assert "The queue is unreachable" in page
    assert "hx-trigger" not in page


def test_an_export_job_may_run_past_the_default_soft_time_limit(settings):
    from recruitment.tasks import export_job_run
    from rms.celery import app

    # The worker applies the task's own soft limit, else the global one.
    soft = export_job_run.soft_time_limit or app.conf.task_soft_time_limit
    assert soft > settings.CELERY_TASK_SOFT_TIME_LIMIT
    assert soft < export_job_run.time_limit
