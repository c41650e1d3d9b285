"""The main pages work under the Content-Security-Policy and break none of its rules."""

import pytest
from playwright.sync_api import expect

from recruitment.factories import ApplicationFactory, VacancyFactory
from recruitment.models import Stage

pytestmark = pytest.mark.django_db(transaction=True)

# Every violation the page reports, collected before any of the page's own scripts run.
WATCH_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


@pytest.fixture
def watched(signed_in):
    signed_in.add_init_script(WATCH_VIOLATIONS)
    console = []
    signed_in.on(
        "console",
        lambda message: console.append(message.text) if message.type == "error" else None,
    )
    return signed_in, console


def visit(page, url: str, ready: str) -> list[str]:
    response = page.goto(url)
    policy = response.headers["content-security-policy"]
    script_src = next(part for part in policy.split(";") if "script-src" in part)
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert "camera=()" in response.headers["permissions-policy"]
    expect(page.locator(ready).first).to_be_visible()
    return page.evaluate("window.cspViolations")


def test_main_pages_run_without_a_policy_violation(watched, live_server):
    page, console = watched
    application = ApplicationFactory(stage=Stage.INTERVIEW, vacancy=VacancyFactory())
    base = live_server.url
    pages = {
        "/": "main",
        "/applicants/": ".results, #results",
        f"/applicants/{application.applicant_id}/": ".note-form .ck-editor__editable",
        "/applicants/new/": "form",
        "/applicants/report/": "canvas",
        f"/vacancies/{application.vacancy_id}/": "main",
        "/vacancies/new/": ".ck-editor__editable",
        "/api/docs/": ".swagger-ui .opblock",
    }

    violations = {path: visit(page, base + path, ready) for path, ready in pages.items()}

    assert violations == {path: [] for path in pages}
    assert [text for text in console if "Content Security Policy" in text] == []


def test_htmx_filters_the_list_under_the_policy(watched, live_server):
    page, _ = watched
    ApplicationFactory(applicant__last_name="Zielińska")
    page.goto(f"{live_server.url}/applicants/")

    page.get_by_label("Search").first.fill("Zielińska")
    page.keyboard.press("Enter")

    # The list holds a table for wide screens and cards for phones: one of them shows.
    expect(page.get_by_text("Zielińska").filter(visible=True).first).to_be_visible()
    assert page.evaluate("window.cspViolations") == []
