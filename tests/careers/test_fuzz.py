"""The careers site and the personal-data pages under the recruitment fuzz pass's
generated input (see tests/recruitment/test_fuzz.py): no request may end in a server
error. Most of these pages are public, so anyone on the internet can send them this."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from hypothesis import strategies as st

from privacy.models import SubjectRequest
from recruitment.factories import ApplicantFactory, ApplicationFactory, VacancyFactory
from tests.careers.conftest import PDF
from tests.recruitment.test_fuzz import TRICKY_IDS, VALUE, form, fuzz, query

pytestmark = pytest.mark.django_db

# Tokens as links carry them: signed ones cut short or altered, and anything else.
TOKEN = st.one_of(
    VALUE.filter(lambda text: text and "/" not in text and "\x00" not in text),
    st.sampled_from(["eyJhIjoxfQ:1t2x3y:abc", "a" * 300, "..", "%2F", "Ł"]),
)


def upload():
    """A CV as a browser uploads one: a PDF, a file that only claims to be one, or none."""
    return st.sampled_from([
        SimpleUploadedFile("cv.pdf", PDF, content_type="application/pdf"),
        SimpleUploadedFile("cv.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"),
        SimpleUploadedFile("../../cv.docx", b"", content_type="application/msword"),
    ]).map(lambda file: (file.seek(0), file)[1])  # fmt: skip


def test_no_generated_input_gets_a_server_error(recruiter, admin_user, posting, capsys):
    city = posting.vacancy.cities.get()
    ids = st.sampled_from([str(city.pk), *TRICKY_IDS])
    candidate = {
        "first_name": "Żaneta", "last_name": "Łęcka-Śmigły", "email": "zaneta@example.com",
        "phone": "+48 601 202 303", "city": ids, "linkedin_url": "https://www.linkedin.com/in/z",
        "message": "Chętnie porozmawiam.", "consent_processing": "on", "consent_future": "on",
        "website": "", "cv": upload(),
    }  # fmt: skip
    applicant = ApplicationFactory(applicant=ApplicantFactory(first_name="Łucja")).applicant
    subject_request = SubjectRequest.objects.create(
        kind="export", email="lucja@example.com", due_at=timezone.now(), applicant=applicant
    )
    basis = {
        "basis": "consent", "purpose": "processing",
        "vacancy": st.sampled_from([str(VacancyFactory().pk), *TRICKY_IDS]),
        "source": "email", "wording_version": "v1", "given_at": "2026-12-01T10:00",
        "valid_until": "2027-12-01T10:00",
    }  # fmt: skip
    public = [
        ("get", "/careers/", query(["q", "city", "seniority", "page"])),
        ("get", "/careers/feed/", query(["city", "q"])),
        ("get", "/careers/python-developer/", query(["ref", "utm_source"])),
        ("post", "/careers/python-developer/apply/", form(candidate)),
        ("get", TOKEN.map("/careers/confirm/{}/".format), query(["next"])),
        ("get", "/careers/linkedin/failed/", query(["error", "state", "next"])),
        ("post", "/privacy/request/", form({"email": "lucja@example.com", "kind": "export"})),
        ("get", TOKEN.map("/privacy/request/verify/{}/".format), query(["next"])),
        ("get", TOKEN.map("/privacy/renew/{}/".format), query(["next"])),
        ("post", TOKEN.map("/privacy/renew/{}/".format), form({"confirm": "on"})),
    ]
    staff = [
        (
            "post",
            f"/vacancies/{posting.vacancy.pk}/careers/",
            form({"is_published": "on", "slug": "python", "seniority": "mid", "contract": "b2b"}),
        ),
        ("post", f"/applicants/{applicant.pk}/legal-bases/new/", form(basis)),
        ("get", "/privacy/requests/", query(["page", "status"])),
        ("get", f"/applicants/{applicant.pk}/personal-data/", query(["page"])),
        ("post", f"/applicants/{applicant.pk}/personal-data/restrict/", form({"reason": "Ł"})),
        (
            "post",
            f"/privacy/requests/{subject_request.pk}/close/",
            form({"status": "done", "answer": "Wysłano"}),
        ),
        ("get", f"/privacy/access-log/users/{recruiter.pk}/", query(["page"])),
    ]
    admin = Client()
    admin.force_login(admin_user)

    tried = sum(fuzz(Client(), method, url, strategy) for method, url, strategy in public)
    tried += sum(fuzz(admin, method, url, strategy) for method, url, strategy in staff)

    with capsys.disabled():
        pages = len(public) + len(staff)
        print(f"\ncareers and privacy fuzz: {tried} requests over {pages} pages, 0 server errors")
