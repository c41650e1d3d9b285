"""Export headers come out in the language of who asked, the background job's too."""

import csv
import io

import pytest
from openpyxl import load_workbook

from recruitment.factories import ApplicantFactory, ApplicationFactory, CityFactory
from recruitment.models import ExportJob

pytestmark = pytest.mark.django_db


@pytest.fixture
def poznan(settings):
    settings.RMS_EXPORT_JOB_ROWS = 2  # three rows: a background job
    city = CityFactory(name="Poznań-Łazarz")
    for number in range(3):
        ApplicationFactory(applicant=ApplicantFactory(last_name=f"Świątek{number}", city=city))
    return city


def _download(client, job):
    return b"".join(client.get(f"/exports/{job.pk}/download/").streaming_content)


def test_a_polish_users_csv_job_has_polish_headers(
    recruiter_client, poznan, django_capture_on_commit_callbacks
):
    recruiter_client.post("/language/", {"language": "pl"})
    with django_capture_on_commit_callbacks(execute=True):
        recruiter_client.get("/applicants/export.csv", {"city": poznan.pk})
    body = _download(recruiter_client, ExportJob.objects.latest("pk")).decode("utf-8")
    header, *rows, end = csv.reader(io.StringIO(body[1:]))
    assert header[:4] == ["#", "Imię", "Nazwisko", "E-mail"]
    assert len(rows) == 3
    assert end == ["Koniec eksportu: 3 wiersze."]


def test_a_polish_users_xlsx_job_has_a_polish_sheet(
    recruiter_client, poznan, django_capture_on_commit_callbacks
):
    recruiter_client.post("/language/", {"language": "pl"})
    with django_capture_on_commit_callbacks(execute=True):
        recruiter_client.get("/applicants/export.xlsx", {"city": poznan.pk})
    workbook = load_workbook(
        io.BytesIO(_download(recruiter_client, ExportJob.objects.latest("pk")))
    )
    assert workbook.sheetnames == ["Kandydaci"]
    assert workbook.active["B1"].value == "Imię"


def test_an_english_users_job_stays_english(
    recruiter_client, poznan, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        recruiter_client.get("/applicants/export.csv", {"city": poznan.pk})
    body = _download(recruiter_client, ExportJob.objects.latest("pk")).decode("utf-8")
    assert next(csv.reader(io.StringIO(body[1:])))[1] == "First name"
