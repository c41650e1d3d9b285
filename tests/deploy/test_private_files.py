"""A deployed instance keeps CVs private and takes long list URLs, through real uWSGI.

Uses the session's deployed instance (`queued`) on the loopback sandbox (sshd, uWSGI,
PostgreSQL).
"""

import http.client
import http.cookiejar
import re
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from deploy.config_files import uwsgi_ini
from deploy.instances import instance_parse
from recruitment.demo_data import DEMO_PASSWORD, DEMO_USERNAME
from tests.deploy.sandbox import database_name, psql

PDF = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
CV_NAME = "cv/0123456789abcdef0123456789abcdef.pdf"
# Enough vacancies that choosing all of them makes the query string longer than uWSGI's
# default 4 KB buffer for the request line and headers.
VACANCIES = 400


def test_uwsgi_maps_no_media_and_takes_long_requests():
    table = {"hosts": ["rms@test"], "base": "/srv/rms/s", "port": 8002, "origin": "/git"}
    instance = instance_parse("s", {**table, "database": "postgres://rms@db/rms"})
    lines = uwsgi_ini(instance, instance.primary).splitlines()

    assert "buffer-size = 32768" in lines
    assert [line for line in lines if line.startswith("static-map")] == [
        "static-map = /static=/srv/rms/s/shared/static"
    ]


@pytest.fixture(scope="module")
def deployed(queued):
    """The deployed instance, with a CV stored for its first applicant."""
    database = database_name("queued")
    applicant = psql(database, "SELECT min(id) FROM recruitment_applicant")
    cv = Path(queued["base"], "shared", "media", CV_NAME)
    cv.parent.mkdir(parents=True, exist_ok=True)
    cv.write_bytes(PDF)
    psql(database, f"UPDATE recruitment_applicant SET cv = '{CV_NAME}' WHERE id = {applicant}")  # noqa: S608
    return {"port": queued["hosts"][0]["port"], "applicant": applicant, "database": database}


def get(port: int, path: str, headers: dict | None = None) -> http.client.HTTPResponse:
    """One request, redirects not followed; the response is read before returning."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    response.body = response.read()
    connection.close()
    return response


def signed_in_cookie(port: int) -> str:
    """The demo recruiter's session cookie, signed in through the sign-in form."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    base = f"http://127.0.0.1:{port}"
    page = opener.open(f"{base}/accounts/login/", timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = {"username": DEMO_USERNAME, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token}
    opener.open(f"{base}/accounts/login/", urllib.parse.urlencode(form).encode(), timeout=30)
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)


def test_an_anonymous_visitor_cannot_fetch_a_cv(deployed):
    port, applicant = deployed["port"], deployed["applicant"]

    through_view = get(port, f"/applicants/{applicant}/cv/")
    as_a_file = get(port, f"/media/{CV_NAME}")

    assert through_view.status == 302
    assert through_view.getheader("Location").startswith("/accounts/login/")
    assert as_a_file.status == 404
    assert PDF not in through_view.body + as_a_file.body


def test_a_signed_in_recruiter_downloads_it_as_a_private_attachment(deployed):
    port, applicant = deployed["port"], deployed["applicant"]
    cookie = signed_in_cookie(port)

    response = get(port, f"/applicants/{applicant}/cv/", {"Cookie": cookie})
    as_a_file = get(port, f"/media/{CV_NAME}", {"Cookie": cookie})

    assert response.status == 200
    assert response.body == PDF
    assert response.getheader("Content-Disposition").startswith("attachment;")
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert response.getheader("Cache-Control") == "private, no-store"
    assert as_a_file.status == 404


def test_a_long_filtered_list_url_is_served(deployed):
    port, database = deployed["port"], deployed["database"]
    openings = (
        "INSERT INTO recruitment_vacancy (title, description, is_open, created_at) "
        "SELECT 'Opening ' || n, '', true, now() FROM generate_series(1, %d) n"
    )
    psql(database, openings % VACANCIES)
    ids = psql(database, "SELECT id FROM recruitment_vacancy ORDER BY id").split()
    query = urllib.parse.urlencode(
        [("vacancy", pk) for pk in ids] + [("sort", "-latest_activity"), ("per_page", "25")]
    )
    assert len(query) > 4096

    response = get(port, f"/applicants/?{query}", {"Cookie": signed_in_cookie(port)})

    assert response.status == 200
    assert b"Opening 400" in response.body
