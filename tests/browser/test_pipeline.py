"""The applicant record and the pipeline, in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from recruitment.factories import ApplicantFactory, ApplicationFactory, CityFactory, VacancyFactory
from recruitment.models import Activity, Applicant, Application, ClosingReason, Stage

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def test_create_an_applicant_with_a_cv_and_download_it(signed_in, live_server, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    CityFactory(name="Poznań")
    cv = tmp_path / "anything.pdf"
    cv.write_bytes(PDF)
    page = signed_in
    page.goto(f"{live_server.url}/applicants/")
    page.get_by_role("link", name="New applicant").click()

    page.get_by_label("First name").fill("Zofia")
    page.get_by_label("Last name").fill("Wiśniewska")
    page.get_by_label("E-mail").fill("zofia@example.com")
    page.get_by_label("Phone number").fill("+48 601 222 333")
    page.get_by_label("City").select_option(label="Poznań")
    page.get_by_label("CV").set_input_files(str(cv))
    page.get_by_role("button", name="Save").click()

    expect(page.locator("h1")).to_have_text("Zofia Wiśniewska")
    with page.expect_download() as download:
        page.locator("a.cv-download").click()
    saved = tmp_path / "downloaded"
    download.value.save_as(saved)
    assert saved.read_bytes() == PDF
    assert download.value.suggested_filename == "CV Zofia Wiśniewska.pdf"


def test_the_same_email_twice_shows_the_person_on_file(signed_in, live_server):
    existing = ApplicantFactory(first_name="Jan", last_name="Kowalski", email="jan@example.com")
    page = signed_in
    page.goto(f"{live_server.url}/applicants/new/")

    page.get_by_label("First name").fill("Janek")
    page.get_by_label("Last name").fill("Kowalski")
    page.get_by_label("E-mail").fill("JAN@example.com")
    page.get_by_role("button", name="Save").click()

    warning = page.locator(".duplicates")
    expect(warning).to_contain_text("Already on file:")
    expect(warning.get_by_role("link", name="Jan Kowalski")).to_have_attribute(
        "href", f"/applicants/{existing.pk}/"
    )
    assert Applicant.objects.count() == 1


def test_move_through_every_stage_on_the_board(signed_in, live_server):
    vacancy = VacancyFactory(title="Django Developer")
    application = ApplicationFactory(vacancy=vacancy, stage=Stage.APPLICATION)
    name = application.applicant.full_name
    page = signed_in
    page.goto(f"{live_server.url}/vacancies/{vacancy.pk}/")

    for stage in list(Stage)[1:]:
        page.get_by_role("button", name=f"Move {name} to {stage.label}").click()
        column = page.locator(f'.board-column[data-stage="{stage.value}"]')
        expect(column.locator(".board-card")).to_contain_text(name)

    application.refresh_from_db()
    assert application.stage == Stage.EMPLOYMENT
    moves = application.activities.filter(kind=Activity.Kind.STAGE_CHANGED).order_by("created_at")
    assert [m.to_stage for m in moves] == [s.value for s in list(Stage)[1:]]


def test_drag_a_card_to_another_column(signed_in, live_server):
    vacancy = VacancyFactory()
    application = ApplicationFactory(vacancy=vacancy, stage=Stage.VERIFICATION)
    page = signed_in
    page.goto(f"{live_server.url}/vacancies/{vacancy.pk}/")

    page.locator(f'.board-card[data-application="{application.pk}"]').drag_to(
        page.locator('.board-column[data-stage="decision"]')
    )

    card = page.locator(
        f'.board-column[data-stage="decision"] .board-card[data-application="{application.pk}"]'
    )
    expect(card).to_be_visible()
    application.refresh_from_db()
    assert application.stage == Stage.DECISION


def test_close_an_application_as_rejected(signed_in, live_server):
    application = ApplicationFactory(stage=Stage.INTERVIEW)
    # Transactional tests flush the data migration's reasons: the admins' list, remade.
    ClosingReason.objects.create(name="Rejected", group="rejected")
    page = signed_in
    page.goto(f"{live_server.url}/applicants/{application.applicant.pk}/")

    page.get_by_text("Close…").click()
    page.get_by_label("Reason").select_option(label="Rejected")
    page.get_by_label("Why").fill("No English")
    page.get_by_role("button", name="Close application…").click()
    page.get_by_role("button", name="Yes, close it").click()

    expect(page.locator(".application-card .stage-badge")).to_have_text("Rejected")
    expect(page.locator(".timeline")).to_contain_text("closed — Rejected — No English")
    application.refresh_from_db()
    assert (application.close_reason, application.close_note) == ("rejected", "No English")
    assert page.locator(".move-form").count() == 0
    expect(page).to_have_url(re.compile(rf"/applicants/{application.applicant.pk}/$"))
    assert Application.objects.get(pk=application.pk).is_closed
