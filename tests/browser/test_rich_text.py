"""Notes written in the rich-text editor, and HTML that must not run, in a real browser."""

import pytest
from playwright.sync_api import expect

from recruitment.factories import ApplicantFactory

pytestmark = pytest.mark.django_db(transaction=True)

NOTE_EDITOR = ".note-form .ck-editor__editable"


@pytest.fixture
def applicant_page(signed_in, live_server):
    applicant = ApplicantFactory(first_name="Ewa", last_name="Nowak")
    url = f"{live_server.url}/applicants/{applicant.pk}/"
    signed_in.goto(url)
    expect(signed_in.locator(NOTE_EDITOR)).to_be_visible()
    return signed_in, url


def test_a_note_with_bold_text_written_in_the_editor_shows_in_the_timeline(applicant_page):
    page, _ = applicant_page
    page.locator(NOTE_EDITOR).click()
    page.keyboard.type("Strong candidate: ")
    page.keyboard.press("Control+b")
    page.keyboard.type("call back on Monday")

    page.get_by_role("button", name="Add note").click()

    expect(page.get_by_text("Note added.")).to_be_visible()
    note = page.locator(".timeline .note-body").first
    expect(note).to_contain_text("Strong candidate: call back on Monday")
    expect(note.locator("strong")).to_have_text("call back on Monday")


def test_the_editor_drops_links_the_server_would_strip(applicant_page):
    page, _ = applicant_page
    html = '<p><a href="javascript:alert(1)">bad</a> <a href="https://example.com">good</a></p>'
    page.evaluate(
        "([selector, html]) => document.querySelector(selector).ckeditorInstance.setData(html)",
        [NOTE_EDITOR, html],
    )

    sent = page.locator(".note-form textarea").input_value()
    assert "javascript:" not in sent
    assert '<a href="https://example.com">good</a>' in sent


def test_html_posted_past_the_editor_does_not_run(applicant_page, browser):
    page, url = applicant_page
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    # Without JavaScript the form is the plain textarea, so the raw HTML reaches the server.
    plain = browser.new_context(java_script_enabled=False)
    plain.add_cookies(page.context.cookies())
    plain_page = plain.new_page()
    plain_page.goto(url)
    plain_page.locator(".note-form textarea").fill(
        "<p>Careful <img src=x onerror=alert(1)> <script>alert(2)</script>here</p>"
    )
    plain_page.get_by_role("button", name="Add note").click()
    expect(plain_page.get_by_text("Note added.")).to_be_visible()
    plain.close()

    page.goto(url)
    # The note's edit form loads it into an editor too: let that run before judging.
    page.locator(".note-actions summary").first.click()
    expect(page.locator(".note-actions .ck-editor__editable").first).to_be_visible()

    expect(page.locator(".timeline .note-body").first).to_have_text("Careful here")
    assert page.locator(".timeline img, .timeline script").count() == 0
    assert "onerror" not in page.content()
    assert dialogs == []
