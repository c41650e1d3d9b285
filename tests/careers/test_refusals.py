"""Requests the careers form refuses before or while reading them, each with a page that
says what happened, and nothing kept: an oversized body, a bad CSRF token, a CV that
fails the check. (Tampered and expired links: test_confirm.py.)"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from careers.models import Submission
from recruitment.cv import CV_MAX_BYTES
from recruitment.models import Applicant, Application
from rms.error_pages import RequestSizeLimitMiddleware
from tests.careers.conftest import PDF
from tests.careers.test_apply import URL, _cvs_before, form, stored_cvs

# Autouse there, so only the files this module's tests stored are counted.
_cvs_before = _cvs_before

pytestmark = pytest.mark.django_db


def nothing_saved() -> bool:
    return not (
        Applicant.objects.exists()
        or Application.objects.exists()
        or Submission.objects.exists()
        or stored_cvs()
    )


def test_a_body_over_the_limit_gets_a_413_page_before_it_is_read(client, posting, settings):
    settings.RMS_MAX_REQUEST_MB = 1
    big = SimpleUploadedFile("cv.pdf", PDF + b"0" * (2 * 1024 * 1024), "application/pdf")
    response = client.post(URL, form(first_name="Łucja", cv=big))
    assert response.status_code == 413
    assert "What you sent is too large" in response.text
    assert "at most 1 MB" in response.text
    assert f'href="{URL}"' in response.text
    assert "Łucja" not in response.text
    assert nothing_saved()


def test_too_many_form_bytes_without_a_file_are_a_413_too(client, posting):
    # Under RMS_MAX_REQUEST_MB, over Django's DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB).
    response = client.post(URL, form(message="ż" * (2 * 1024 * 1024), cv=None))
    assert response.status_code == 413
    assert "What you sent is too large" in response.text
    assert nothing_saved()


def test_a_cv_over_10_mb_under_the_request_limit_is_a_form_error(client, posting):
    big = SimpleUploadedFile("cv.pdf", PDF + b"0" * CV_MAX_BYTES, "application/pdf")
    response = client.post(URL, form(cv=big))
    assert response.status_code == 200
    assert "at most 10 MB" in response.text
    assert 'value="Anna"' in response.text  # the form keeps what was typed, to fix the CV
    assert nothing_saved()


def test_a_bad_csrf_token_gets_a_clear_page_that_keeps_nothing(posting):
    browser = Client(enforce_csrf_checks=True)
    browser.get(URL)
    data = form(first_name="Żaneta", csrfmiddlewaretoken="forged-token-0000000000000000000")
    response = browser.post(URL, data)
    assert response.status_code == 403
    assert "The form has expired" in response.text
    assert "Nothing was saved" in response.text
    assert f'href="{URL}"' in response.text
    assert "Żaneta" not in response.text
    assert nothing_saved()


def test_a_missing_csrf_cookie_gets_the_same_page(posting):
    response = Client(enforce_csrf_checks=True).post(URL, form())
    assert response.status_code == 403
    assert "The form has expired" in response.text
    assert nothing_saved()


def test_the_page_never_links_elsewhere(rf):
    request = rf.post("/", data=b"0" * 13 * 1024 * 1024, content_type="application/pdf")
    request.path = "//elsewhere.example/x"
    response = RequestSizeLimitMiddleware(lambda request: None)(request)
    assert response.status_code == 413
    assert 'href="/"' in response.text
    assert "elsewhere.example" not in response.text
