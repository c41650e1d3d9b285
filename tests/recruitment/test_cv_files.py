"""CVs are private files: served only by the checked view, and deleted when replaced."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from recruitment import services
from recruitment.cv import cv_response
from recruitment.factories import ApplicantFactory, ApplicationFactory, UserFactory, VacancyFactory
from tests.conftest import role

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def with_cv(applicant, content=PDF, name="cv.pdf"):
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    services.applicant_cv_attach(applicant=applicant, upload=upload, actor=None)
    return applicant


def test_a_cv_is_a_private_uncached_attachment(recruiter_client):
    applicant = with_cv(ApplicantFactory(first_name="Ola", last_name="Nowak"))

    response = recruiter_client.get(f"/applicants/{applicant.pk}/cv/")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"] == 'attachment; filename="CV Ola Nowak.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


def test_only_a_pdf_may_be_shown_inline():
    pdf = with_cv(ApplicantFactory())
    docx = ApplicantFactory()
    docx.cv.save("cv.docx", ContentFile(b"PK\x03\x04"), save=False)

    shown = cv_response(pdf.cv, filename_stem="CV", inline=True)
    downloaded = cv_response(docx.cv, filename_stem="CV", inline=True)

    assert shown["Content-Disposition"].startswith("inline")
    assert downloaded["Content-Disposition"].startswith("attachment")


def test_strangers_and_other_interviewers_get_no_cv(client):
    applicant = with_cv(ApplicantFactory())
    ApplicationFactory(applicant=applicant)
    url = f"/applicants/{applicant.pk}/cv/"

    assert client.get(url).status_code == 302
    interviewer = UserFactory(username="ivo")
    interviewer.groups.add(role("interviewers"))
    client.force_login(interviewer)
    assert client.get(url).status_code == 404


def test_a_replaced_cv_file_is_deleted_after_commit(django_capture_on_commit_callbacks):
    applicant = with_cv(ApplicantFactory())
    old = applicant.cv.name

    with django_capture_on_commit_callbacks(execute=True):
        with_cv(applicant, content=PDF + b"%v2")

    assert not default_storage.exists(old)
    with default_storage.open(applicant.cv.name) as current:
        assert current.read() == PDF + b"%v2"


def test_a_replaced_cv_stays_until_the_change_commits(django_capture_on_commit_callbacks):
    applicant = with_cv(ApplicantFactory())
    old = applicant.cv.name

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with_cv(applicant, content=PDF + b"%v2")

    assert default_storage.exists(old)
    for callback in callbacks:  # the commit: the old file goes, the new CV's text is read
        callback()
    assert not default_storage.exists(old)


def test_a_deleted_applicants_cv_is_deleted(django_capture_on_commit_callbacks):
    applicant = with_cv(ApplicantFactory())
    ApplicationFactory(applicant=applicant, vacancy=VacancyFactory())
    stored = applicant.cv.name

    with django_capture_on_commit_callbacks(execute=True):
        applicant.delete()

    assert not default_storage.exists(stored)
