"""Applicants changed in the admin go through the services: the timeline records them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from recruitment import services
from recruitment.factories import ApplicantFactory, TagFactory
from recruitment.models import Activity, Applicant

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def form_data(applicant=None, **changes) -> dict:
    data = {
        "first_name": "Ola",
        "last_name": "Nowak",
        "email": "ola@example.com",
        "experience_years": "2",
        "activities-TOTAL_FORMS": "0",
        "activities-INITIAL_FORMS": "0",
    }
    if applicant is not None:
        data.update(
            first_name=applicant.first_name,
            last_name=applicant.last_name,
            email=applicant.email,
            experience_years=str(applicant.experience_years),
        )
    return {**data, **changes}


def change_url(applicant) -> str:
    return reverse("admin:recruitment_applicant_change", args=[applicant.pk])


def test_an_admin_edit_is_on_the_timeline_with_who_did_it(admin_client, admin_user):
    applicant = ApplicantFactory(first_name="Ola", experience_years=2)

    response = admin_client.post(
        change_url(applicant), form_data(applicant, first_name="Aleksandra")
    )

    assert response.status_code == 302
    edit = applicant.activities.get(kind=Activity.Kind.APPLICANT_EDITED)
    assert edit.actor == admin_user
    assert "Ola → Aleksandra" in edit.body


def test_an_admin_tag_change_is_on_the_timeline(admin_client, admin_user):
    applicant = ApplicantFactory()
    python = TagFactory(name="python")

    admin_client.post(change_url(applicant), form_data(applicant, tags=[python.pk]))

    change = applicant.activities.get(kind=Activity.Kind.TAGS_CHANGED)
    assert (change.actor, change.body) == (admin_user, "added: python")


def test_an_applicant_added_in_the_admin_is_on_the_timeline(admin_client, admin_user):
    response = admin_client.post(reverse("admin:recruitment_applicant_add"), form_data())

    assert response.status_code == 302
    applicant = Applicant.objects.get(email="ola@example.com")
    created = applicant.activities.get(kind=Activity.Kind.APPLICANT_CREATED)
    assert created.actor == admin_user


def test_a_cv_uploaded_in_the_admin_is_checked_and_recorded(admin_client, admin_user):
    applicant = ApplicantFactory()
    not_a_cv = SimpleUploadedFile("cv.pdf", b"<script>", content_type="application/pdf")

    refused = admin_client.post(change_url(applicant), form_data(applicant, cv=not_a_cv))
    upload = SimpleUploadedFile("cv.pdf", PDF, content_type="application/pdf")
    admin_client.post(change_url(applicant), form_data(applicant, cv=upload))

    assert "cv" in refused.context["adminform"].form.errors
    applicant.refresh_from_db()
    assert applicant.cv.name.endswith(".pdf")
    assert applicant.activities.get(kind=Activity.Kind.CV_UPLOADED).actor == admin_user


def test_the_admin_links_the_cv_to_the_checked_view_not_to_media(admin_client):
    applicant = ApplicantFactory()
    upload = SimpleUploadedFile("cv.pdf", PDF, content_type="application/pdf")
    services.applicant_cv_attach(applicant=applicant, upload=upload, actor=None)

    page = admin_client.get(change_url(applicant)).content.decode()

    assert f'href="/applicants/{applicant.pk}/cv/"' in page
    assert "/media/" not in page
