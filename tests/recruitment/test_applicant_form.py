"""Adding and editing applicants: field errors, duplicates, CVs."""

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from recruitment.factories import ApplicantFactory, CityFactory, VacancyFactory
from recruitment.models import Activity, Applicant

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def odt_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def valid(**changes) -> dict:
    return {
        "first_name": "Zofia",
        "last_name": "Wiśniewska",
        "email": "zofia@example.com",
        "phone": "+48 601 222 333",
        "experience_years": "3",
        **changes,
    }


def test_add_an_applicant_with_a_cv(recruiter_client, recruiter):
    upload = SimpleUploadedFile("my cv.pdf", PDF, content_type="application/pdf")

    response = recruiter_client.post("/applicants/new/", {**valid(), "cv": upload})

    applicant = Applicant.objects.get(email="zofia@example.com")
    assert response["Location"] == f"/applicants/{applicant.pk}/"
    assert applicant.phone_key == "601222333"
    assert applicant.cv.name.startswith("cv/") and applicant.cv.name.endswith(".pdf")
    assert "my cv" not in applicant.cv.name
    kinds = set(applicant.activities.values_list("kind", flat=True))
    assert kinds == {Activity.Kind.APPLICANT_CREATED, Activity.Kind.CV_UPLOADED}

    download = recruiter_client.get(f"/applicants/{applicant.pk}/cv/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"] == (
        "attachment; filename*=utf-8''CV%20Zofia%20Wi%C5%9Bniewska.pdf"
    )


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [("cv.docx", docx_bytes(), "docx"), ("cv.odt", odt_bytes(), "odt"),
     ("cv.doc", bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 64, "doc")],
)  # fmt: skip
def test_word_and_odt_cvs_are_recognised_by_content(recruiter_client, name, content, kind):
    recruiter_client.post("/applicants/new/", {**valid(), "cv": SimpleUploadedFile(name, content)})

    assert Applicant.objects.get().cv.name.endswith(f".{kind}")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("cv.pdf", b"MZ\x90\x00 this is an executable"),
        ("cv.docx", b"PK\x03\x04 not really a zip"),
        ("cv.pdf", b"<script>alert(1)</script>"),
    ],
)
def test_a_file_that_is_not_a_cv_is_refused_whatever_its_name(recruiter_client, name, content):
    response = recruiter_client.post(
        "/applicants/new/", {**valid(), "cv": SimpleUploadedFile(name, content)}
    )

    assert "A CV must be a PDF, DOC, DOCX or ODT file." in response.content.decode()
    assert not Applicant.objects.exists()


def test_a_cv_over_10_mb_is_refused(recruiter_client):
    big = SimpleUploadedFile("cv.pdf", PDF + b"0" * (10 * 1024 * 1024))

    response = recruiter_client.post("/applicants/new/", {**valid(), "cv": big})

    assert "A CV can be at most 10 MB." in response.content.decode()
    assert not Applicant.objects.exists()


def test_cv_download_needs_sign_in(client):
    applicant = ApplicantFactory(cv="cv/abc.pdf")

    response = client.get(f"/applicants/{applicant.pk}/cv/")

    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_no_cv_is_a_404(recruiter_client):
    assert recruiter_client.get(f"/applicants/{ApplicantFactory().pk}/cv/").status_code == 404


@pytest.mark.parametrize(
    ("changes", "field_error"),
    [
        ({"email": "not-an-address"}, "Enter a valid email address."),
        ({"birth_year": "1850"}, "Birth year must be between 1930 and 2015."),
        ({"experience_years": "-1"}, "Ensure this value is greater than or equal to 0."),
        ({"first_name": ""}, "This field is required."),
        ({"linkedin_url": "javascript:alert(1)"}, "Enter a valid URL."),
    ],
)
def test_bad_input_is_a_field_error_and_writes_nothing(recruiter_client, changes, field_error):
    response = recruiter_client.post("/applicants/new/", valid(**changes))

    assert response.status_code == 200
    assert field_error in response.content.decode()
    assert not Applicant.objects.exists()


def test_same_email_shows_the_person_on_file_and_offers_an_application(recruiter_client):
    existing = ApplicantFactory(email="Zofia@Example.com", first_name="Zofia", last_name="Old")
    vacancy = VacancyFactory(title="QA")

    response = recruiter_client.post("/applicants/new/", valid(phone=""))

    html = response.content.decode()
    assert "Already on file:" in html
    assert "same e-mail" in html
    assert "Only the phone number matches" not in html
    assert 'name="confirmed_duplicates"' not in html
    assert f'href="/applicants/{existing.pk}/"' in html
    assert "Add an application for them instead" in html
    assert Applicant.objects.count() == 1

    recruiter_client.post(f"/applicants/{existing.pk}/applications/", {"vacancy": vacancy.pk})
    assert existing.applications.get().vacancy == vacancy


def test_same_phone_in_another_spelling_warns_then_allows_a_new_person(recruiter_client):
    ApplicantFactory(phone="601-222-333", email="someone@example.com")

    first = recruiter_client.post("/applicants/new/", valid(phone="0048 601 222 333"))
    assert "Already on file:" in first.content.decode()
    assert "same phone number" in first.content.decode()
    assert Applicant.objects.count() == 1

    second = recruiter_client.post(
        "/applicants/new/",
        valid(phone="0048 601 222 333", confirmed_duplicates=confirmation_shown(first)),
    )
    assert second.status_code == 302
    assert Applicant.objects.count() == 2


def confirmation_shown(response) -> str:
    return re.search(r'name="confirmed_duplicates" value="(\w+)"', response.content.decode())[1]


def hidden_inputs(response) -> dict:
    """What the page posts back unseen, as a browser would."""
    pairs = re.findall(
        r'<input type="hidden" name="(\w+)" value="([^"]*)"', response.content.decode()
    )
    return {name: value for name, value in pairs if name != "csrfmiddlewaretoken"}


def test_a_confirmation_after_an_email_warning_does_not_skip_the_phone_check(recruiter_client):
    ApplicantFactory(email="zofia@example.com", phone="700 800 900")
    same_phone = ApplicantFactory(email="other@example.com", phone="601 222 333")
    warned = recruiter_client.post("/applicants/new/", valid(phone=""))
    assert "same e-mail" in warned.content.decode()

    # Another e-mail, and an existing person's phone: warned again, not saved.
    response = recruiter_client.post(
        "/applicants/new/",
        {**valid(email="fresh@example.com", phone="601222333"), **hidden_inputs(warned)},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert f'href="/applicants/{same_phone.pk}/"' in html
    assert "same phone number" in html
    assert not Applicant.objects.filter(email="fresh@example.com").exists()


def test_a_confirmation_holds_for_the_values_confirmed_only(recruiter_client):
    ApplicantFactory(email="someone@example.com", phone="601 222 333")
    ApplicantFactory(email="else@example.com", phone="602 000 111")
    warned = recruiter_client.post("/applicants/new/", valid())
    token = confirmation_shown(warned)

    changed = recruiter_client.post(
        "/applicants/new/", valid(phone="602 000 111", confirmed_duplicates=token)
    )

    assert changed.status_code == 200
    assert "same phone number" in changed.content.decode()
    assert Applicant.objects.count() == 2


def test_editing_records_what_changed(recruiter_client, recruiter):
    applicant = ApplicantFactory(city=CityFactory(name="Piła"), experience_years=2)
    lodz = CityFactory(name="Łódź")
    data = {
        "first_name": applicant.first_name,
        "last_name": applicant.last_name,
        "email": applicant.email,
        "phone": applicant.phone,
        "city": lodz.pk,
        "birth_year": applicant.birth_year,
        "experience_years": "5",
        "source": applicant.source_id,
    }

    recruiter_client.post(f"/applicants/{applicant.pk}/edit/", data)

    applicant.refresh_from_db()
    assert (applicant.city, applicant.experience_years) == (lodz, 5)
    edit = applicant.activities.get(kind=Activity.Kind.APPLICANT_EDITED)
    assert edit.actor == recruiter
    assert "city: Piła → Łódź" in edit.body
    assert "years of experience: 2 → 5" in edit.body


def test_editing_to_another_persons_email_is_refused(recruiter_client):
    ApplicantFactory(email="taken@example.com")
    applicant = ApplicantFactory()
    data = {
        "first_name": "A",
        "last_name": "B",
        "email": "TAKEN@example.com",
        "experience_years": "1",
    }

    response = recruiter_client.post(f"/applicants/{applicant.pk}/edit/", data)

    assert "An applicant with this e-mail already exists." in response.content.decode()
    applicant.refresh_from_db()
    assert applicant.email != "TAKEN@example.com"
