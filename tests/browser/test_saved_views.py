"""Saving a view of the list and coming back to it, in a real browser."""

import pytest
from playwright.sync_api import expect

from recruitment.factories import ApplicantFactory, ApplicationFactory
from recruitment.models import SavedView, Stage

pytestmark = pytest.mark.django_db(transaction=True)


def test_save_the_current_tab_and_sort_then_come_back_with_a_live_count(signed_in, live_server):
    for surname in ("Żak", "Lis", "Łoś"):
        ApplicationFactory(applicant=ApplicantFactory(last_name=surname), stage=Stage.INTERVIEW)
    ApplicationFactory(stage=Stage.DECISION)
    page = signed_in
    page.goto(f"{live_server.url}/applicants/?stage=interview&sort=name")

    page.get_by_text("Save this view…").click()
    page.get_by_label("View name").fill("Interviews A-Ż")
    page.get_by_label("Share with the team").check()
    page.get_by_role("button", name="Save view").click()

    view = page.locator(".saved-view").filter(has_text="Interviews A-Ż")
    expect(view.locator(".saved-view-count")).to_have_text("3")
    assert SavedView.objects.get().is_shared
    ApplicationFactory(applicant=ApplicantFactory(last_name="Ćma"), stage=Stage.INTERVIEW)

    page.goto(f"{live_server.url}/applicants/")
    view.get_by_role("link").click()

    expect(view.locator(".saved-view-count")).to_have_text("4")
    names = page.locator(".applicant-table tbody tr td:nth-child(3) a.fw-semibold")
    expect(names).to_have_count(4)
    surnames = [name.split()[-1] for name in names.all_inner_texts()]
    assert surnames == ["Ćma", "Lis", "Łoś", "Żak"]
