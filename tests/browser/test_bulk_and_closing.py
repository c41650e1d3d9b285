"""Bulk actions on the list and closing/reopening on the record, in a real browser."""

import pytest
from playwright.sync_api import expect

from recruitment.factories import ApplicantFactory, ApplicationFactory
from recruitment.models import Activity, Application, ClosingReason, Stage

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def three_in_verification():
    return [
        ApplicationFactory(
            applicant=ApplicantFactory(first_name=name, last_name="Nowak"), stage=Stage.VERIFICATION
        )
        for name in ("Ala", "Ola", "Ela")
    ]


def tick(page, *applications):
    for application in applications:
        page.get_by_label(f"Select {application.applicant.full_name}").check()


def test_bulk_move_reports_the_one_moved_meanwhile(signed_in, live_server, three_in_verification):
    ala, ola, ela = three_in_verification
    page = signed_in
    page.goto(f"{live_server.url}/applicants/?stage=verification")
    # Someone else moves Ela after the list was shown.
    Application.objects.filter(pk=ela.pk).update(stage=Stage.DECISION)

    tick(page, ala, ola, ela)
    bulk = page.locator("#bulk")
    bulk.get_by_label("Bulk action").select_option("move")
    bulk.get_by_label("Stage").select_option("interview")
    bulk.get_by_role("button", name="Apply").click()

    expect(page.locator(".message-success")).to_have_text("Done: 2.")
    expect(page.locator(".message-warning")).to_contain_text("Refused: 1")
    expect(page.locator(".message-warning")).to_contain_text("Ela Nowak")
    stages = dict(Application.objects.values_list("pk", "stage"))
    assert [stages[a.pk] for a in (ala, ola, ela)] == ["interview", "interview", "decision"]


def test_bulk_close_with_a_reason_refuses_the_one_moved_meanwhile(
    signed_in, live_server, three_in_verification
):
    ala, ola, _ela = three_in_verification
    reason = ClosingReason.objects.create(name="Position filled", group="rejected")
    page = signed_in
    page.goto(f"{live_server.url}/applicants/?stage=verification")
    Application.objects.filter(pk=ola.pk).update(stage=Stage.INTERVIEW)

    tick(page, ala, ola)
    bulk = page.locator("#bulk")
    bulk.get_by_label("Bulk action").select_option("close")
    bulk.get_by_label("Reason").select_option(label="Position filled")
    bulk.get_by_role("button", name="Apply").click()

    expect(page.locator(".message-success")).to_have_text("Done: 1.")
    expect(page.locator(".message-warning")).to_contain_text("moved this application to Interview")
    ala.refresh_from_db()
    ola.refresh_from_db()
    assert (ala.closing_reason, ola.is_closed) == (reason, False)


def test_close_after_confirming_then_reopen_at_the_same_stage(signed_in, live_server):
    ClosingReason.objects.create(name="Took another offer", group="withdrawn")
    application = ApplicationFactory(
        applicant=ApplicantFactory(first_name="Iga", last_name="Łęcka"), stage=Stage.INTERVIEW
    )
    page = signed_in
    page.goto(f"{live_server.url}/applicants/{application.applicant_id}/")

    page.get_by_text("Close…").click()
    page.locator(".close-form").get_by_label("Reason").select_option(label="Took another offer")
    page.get_by_role("button", name="Close application…").click()
    expect(page.locator(".close-confirm")).to_contain_text(
        "closed as Withdrawn: Took another offer"
    )
    page.get_by_role("button", name="Yes, close it").click()

    expect(page.locator(".closed-because")).to_contain_text("at Interview: Took another offer")
    page.get_by_role("button", name="Reopen at Interview").click()

    expect(page.locator(".message-success")).to_have_text("Application reopened at Interview.")
    expect(page.locator('[data-kind="application.reopened"]')).to_contain_text(
        "reopened at Interview"
    )
    application.refresh_from_db()
    assert (application.is_closed, application.stage) == (False, Stage.INTERVIEW)
    assert application.activities.filter(kind=Activity.Kind.APPLICATION_REOPENED).count() == 1
