"""The list and the board on a phone-sized screen (390 px), and the list's sticky header."""

import pytest
from playwright.sync_api import expect

from recruitment.factories import ApplicantFactory, ApplicationFactory, VacancyFactory
from recruitment.models import Stage

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


def test_the_list_on_a_phone_is_cards_with_search_at_hand_and_filters_folded(
    signed_in, live_server
):
    vacancy = VacancyFactory(title="QA Engineer")
    for name in ("Łucja", "Żaneta", "Ola"):
        ApplicationFactory(
            applicant=ApplicantFactory(first_name=name), vacancy=vacancy, stage=Stage.INTERVIEW
        )
    page = signed_in
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/applicants/")

    cards = page.locator(".application-list-card")
    expect(cards).to_have_count(3)
    expect(cards.first).to_contain_text("QA Engineer")
    expect(cards.first).to_contain_text("Interview")
    expect(cards.first).to_contain_text("Latest activity")
    expect(page.locator(".applicant-table")).to_be_hidden()
    expect(page.get_by_label("Search")).to_be_visible()
    expect(page.get_by_label("Age from")).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.get_by_role("button", name="Filters").click()
    expect(page.get_by_label("Age from")).to_be_visible()

    page.get_by_label("Search").press_sequentially("zaneta")
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text("Żaneta")


def test_the_board_on_a_phone_shows_one_stage_and_switches(signed_in, live_server):
    vacancy = VacancyFactory(title="Django Developer")
    ApplicationFactory(applicant=ApplicantFactory(first_name="Ala"), vacancy=vacancy)
    ApplicationFactory(
        applicant=ApplicantFactory(first_name="Iga"), vacancy=vacancy, stage=Stage.INTERVIEW
    )
    page = signed_in
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/vacancies/{vacancy.pk}/")

    application_column = page.locator('.board-column[data-stage="application"]')
    interview_column = page.locator('.board-column[data-stage="interview"]')
    expect(application_column).to_be_visible()
    expect(interview_column).to_be_hidden()

    page.locator(".board-switcher").get_by_label("Stage").select_option("interview")

    expect(interview_column).to_be_visible()
    expect(interview_column).to_contain_text("Iga")
    expect(application_column).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_list_header_stays_in_view_while_the_rows_scroll(signed_in, live_server):
    ApplicationFactory.create_batch(60)
    page = signed_in
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(f"{live_server.url}/applicants/")

    page.locator(".applicant-table-scroll").evaluate("box => box.scrollTop = 1200")

    header = page.locator(".applicant-table thead").bounding_box()
    box = page.locator(".applicant-table-scroll").bounding_box()
    first_row = page.locator(".applicant-table tbody tr").first.bounding_box()
    assert first_row["y"] < box["y"]
    assert box["y"] - 1 <= header["y"] <= box["y"] + 1
