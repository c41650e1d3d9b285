"""Every page carries the Content-Security-Policy and the Permissions-Policy; checked
here without a browser (tests/browser/test_content_security_policy.py runs the pages
under them in Chromium)."""

import re

import pytest

from recruitment.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for directive in filter(None, (part.strip() for part in policy.split(";"))):
        name, *sources = directive.split()
        parsed[name] = sources
    return parsed


@pytest.fixture
def pages():
    application = ApplicationFactory()
    return ["/", "/applicants/", f"/applicants/{application.applicant_id}/", "/api/docs/"]


def test_signed_in_pages_and_the_api_docs_allow_no_inline_script(recruiter_client, pages):
    for path in pages:
        response = recruiter_client.get(path)
        assert response.status_code == 200, path

        script_src = directives(response["Content-Security-Policy"])["script-src"]

        assert "'self'" in script_src, path
        assert "'unsafe-inline'" not in script_src, path
        assert "'unsafe-eval'" not in script_src, path
        # What the browser would refuse to run: a script of the page's own with no nonce.
        nonces = {
            source[len("'nonce-") : -1] for source in script_src if source.startswith("'nonce-")
        }
        for attributes in SCRIPT_TAG.findall(response.content.decode()):
            nonce = re.search(r'\bnonce="([^"]+)"', attributes)
            assert "src=" in attributes or (nonce and nonce.group(1) in nonces), (path, attributes)


def test_signed_in_pages_and_the_api_docs_switch_off_unused_browser_features(
    recruiter_client, pages
):
    for path in pages:
        policy = recruiter_client.get(path)["Permissions-Policy"]

        features = dict(part.strip().split("=") for part in policy.split(","))
        assert features == {
            "camera": "()",
            "microphone": "()",
            "geolocation": "()",
            "payment": "()",
            "usb": "()",
        }, path
