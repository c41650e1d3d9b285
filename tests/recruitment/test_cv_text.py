"""CV text: read from PDF, DOCX and ODT after upload, searched, marked "in CV"; a PDF
previewed inline under the download's permission check."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from recruitment.cv_text import cv_text
from recruitment.factories import ApplicantFactory, ApplicationFactory
from recruitment.models import Applicant
from recruitment.services import applicant_cv_attach, applicant_cv_text_extract

pytestmark = pytest.mark.django_db


def pdf_bytes(text: str) -> bytes:
    """A one-page PDF showing `text` in Helvetica, with a correct cross-reference table."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def docx_bytes(*paragraphs: str) -> bytes:
    import docx

    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    table = document.add_table(rows=1, cols=1)
    table.cell(0, 0).text = "Terraform"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def odt_bytes(*paragraphs: str, heading: str = "", listed: str = "") -> bytes:
    from odf.opendocument import OpenDocumentText
    from odf.text import H, List, ListItem, P

    document = OpenDocumentText()
    if heading:
        document.text.addElement(H(outlinelevel=1, text=heading))
    for paragraph in paragraphs:
        document.text.addElement(P(text=paragraph))
    if listed:
        skills = List()
        item = ListItem()
        item.addElement(P(text=listed))
        skills.addElement(item)
        document.text.addElement(skills)
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


def test_each_format_gives_its_words():
    assert "Kubernetes operator" in cv_text(io.BytesIO(pdf_bytes("Kubernetes operator")), "pdf")
    docx_text = cv_text(io.BytesIO(docx_bytes("Senior Kotlin developer")), "docx")
    assert "Senior Kotlin developer" in docx_text
    assert "Terraform" in docx_text
    odt = cv_text(
        io.BytesIO(odt_bytes("Łódź, Ansible", heading="Site reliability", listed="Go")), "odt"
    )
    assert odt == "Site reliability Łódź, Ansible Go"


def test_a_damaged_file_or_a_doc_gives_no_text_and_no_error():
    assert cv_text(io.BytesIO(b"%PDF-1.7 broken"), "pdf") == ""
    assert cv_text(io.BytesIO(b"PK\x03\x04 broken"), "docx") == ""
    assert cv_text(io.BytesIO(b"\xd0\xcf\x11\xe0"), "doc") == ""


def attach(applicant, content: bytes, name: str, callbacks_fixture, recruiter):
    with callbacks_fixture(execute=True) as callbacks:
        applicant_cv_attach(
            applicant=applicant, upload=SimpleUploadedFile(name, content), actor=recruiter
        )
    return callbacks


def test_the_text_is_read_after_the_upload_commits_and_then_searched(
    recruiter_client, recruiter, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(
        applicant=ApplicantFactory(first_name="Ola", last_name="Nowak")
    )
    ApplicationFactory()
    applicant = application.applicant

    callbacks = attach(
        applicant,
        pdf_bytes("Kubernetes and Helm"),
        "cv.pdf",
        django_capture_on_commit_callbacks,
        recruiter,
    )

    assert len(callbacks) == 1
    applicant.refresh_from_db()
    assert applicant.cv_text == "Kubernetes and Helm"
    listed = recruiter_client.get("/applicants/", {"q": "kubernetes"})
    assert [row.pk for row in listed.context["listing"].page.object_list] == [application.pk]
    assert '<span class="badge text-bg-info in-cv">in CV</span>' in listed.content.decode()
    by_name = recruiter_client.get("/applicants/", {"q": "nowak"}).content.decode()
    assert "badge text-bg-info in-cv" not in by_name
    suggested = recruiter_client.get("/applicants/suggest/", {"q": "helm"}).json()["results"]
    assert [(s["name"], s["in_cv"]) for s in suggested] == [("Ola Nowak", True)]


def test_a_new_cv_replaces_the_text_of_the_old(recruiter, django_capture_on_commit_callbacks):
    applicant = ApplicantFactory()
    attach(applicant, docx_bytes("Cobol"), "a.docx", django_capture_on_commit_callbacks, recruiter)
    attach(applicant, odt_bytes("Rust"), "b.odt", django_capture_on_commit_callbacks, recruiter)

    applicant.refresh_from_db()
    assert applicant.cv_text == "Rust"
    assert not Applicant.objects.filter(cv_text__contains="Cobol").exists()


def test_extracting_without_a_cv_clears_the_text():
    applicant = ApplicantFactory(cv_text="stale")

    assert applicant_cv_text_extract(applicant_id=applicant.pk) == ""
    applicant.refresh_from_db()
    assert applicant.cv_text == ""


def test_the_queue_reads_a_cv_twice_to_the_same_text_and_skips_a_gone_applicant(
    recruiter, django_capture_on_commit_callbacks
):
    from recruitment.tasks import applicant_cv_text_extract as task

    applicant = ApplicantFactory()
    attach(
        applicant, docx_bytes("Haskell"), "a.docx", django_capture_on_commit_callbacks, recruiter
    )
    task.apply(args=[applicant.pk]).get()

    applicant.refresh_from_db()
    assert applicant.cv_text.split() == ["Haskell", "Terraform"]
    gone = applicant.pk
    applicant.delete()
    assert task.apply(args=[gone]).successful()


def test_a_pdf_cv_previews_inline_with_safe_headers(
    recruiter_client, recruiter, django_capture_on_commit_callbacks
):
    applicant = ApplicantFactory()
    attach(applicant, pdf_bytes("x"), "cv.pdf", django_capture_on_commit_callbacks, recruiter)

    inline = recruiter_client.get(f"/applicants/{applicant.pk}/cv/", {"inline": "1"})
    download = recruiter_client.get(f"/applicants/{applicant.pk}/cv/")
    page = recruiter_client.get(f"/applicants/{applicant.pk}/").content.decode()

    assert inline["Content-Type"] == "application/pdf"
    assert inline["Content-Disposition"].startswith("inline")
    assert inline["X-Content-Type-Options"] == "nosniff"
    assert inline["X-Frame-Options"] == "SAMEORIGIN"
    assert download["Content-Disposition"].startswith("attachment")
    assert f'src="/applicants/{applicant.pk}/cv/?inline=1"' in page


def test_only_a_pdf_is_shown_inline(
    recruiter_client, recruiter, django_capture_on_commit_callbacks
):
    applicant = ApplicantFactory()
    attach(applicant, docx_bytes("x"), "cv.docx", django_capture_on_commit_callbacks, recruiter)

    response = recruiter_client.get(f"/applicants/{applicant.pk}/cv/", {"inline": "1"})

    assert response["Content-Disposition"].startswith("attachment")
    page = recruiter_client.get(f"/applicants/{applicant.pk}/").content.decode()
    assert "?inline=1" not in page
    # Its words are shown instead, as the search reads them.
    assert "Show the CV's text" in page
    assert '<p class="small border rounded p-2 mt-2 cv-text">x Terraform</p>' in page


def test_inline_keeps_the_downloads_permission_check(
    client, django_capture_on_commit_callbacks, recruiter
):
    from recruitment.factories import UserFactory
    from tests.conftest import role

    applicant = ApplicationFactory().applicant
    attach(applicant, pdf_bytes("x"), "cv.pdf", django_capture_on_commit_callbacks, recruiter)
    interviewer = UserFactory(username="ivan")
    interviewer.groups.add(role("interviewers"))
    client.force_login(interviewer)

    assert client.get(f"/applicants/{applicant.pk}/cv/", {"inline": "1"}).status_code == 404
