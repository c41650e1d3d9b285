import csv
import datetime
import http.client
import io
import socket
import threading
import urllib.request

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from recruitment import exports
from recruitment.exports import csv_complete, end_marker, export_row_stream
from recruitment.factories import ApplicantFactory, ApplicationFactory, CityFactory, TagFactory
from recruitment.models import Application, Stage

pytestmark = pytest.mark.django_db


@pytest.fixture
def applications():
    lodz = CityFactory(name="Łódź")
    polish = ApplicationFactory(
        applicant=ApplicantFactory(
            first_name="Łucja", last_name="Źdźbło", city=lodz, current_work="=HYPERLINK(evil)"
        ),
        stage=Stage.INTERVIEW,
    )
    polish.applicant.tags.add(TagFactory(name="python"), TagFactory(name="django"))
    ApplicationFactory(
        applicant=ApplicantFactory(last_name="@SUM(1)", city=CityFactory(name="Piła"))
    )
    return polish


def download_csv(client, query) -> list[list[str]]:
    response = client.get("/applicants/export.csv", query)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="applicants-')
    assert response["Content-Length"] == str(len(response.content))
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    assert csv_complete(body)
    *rows, _end = csv.reader(io.StringIO(body[1:]))
    return rows


def test_csv_has_every_column_and_keeps_polish_letters(recruiter_client, applications):
    header, *rows = download_csv(recruiter_client, {"city": applications.applicant.city_id})

    assert header[:4] == ["#", "First name", "Last name", "E-mail"]
    assert len(rows) == 1
    row = dict(zip(header, rows[0], strict=True))
    assert (row["First name"], row["Last name"], row["City"]) == ("Łucja", "Źdźbło", "Łódź")
    assert row["Status"] == "Interview"
    assert row["Tags"] == "django, python"


def test_csv_neutralises_cells_that_a_spreadsheet_would_run(recruiter_client, applications):
    _header, *rows = download_csv(recruiter_client, {})
    cells = [cell for row in rows for cell in row]

    assert "'=HYPERLINK(evil)" in cells
    assert "'@SUM(1)" in cells
    assert "'+48" in "".join(cells)
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)


def test_csv_follows_the_filters(recruiter_client, applications):
    _header, *rows = download_csv(recruiter_client, {"stage": "interview"})

    assert [row[0] for row in rows] == [str(applications.pk)]


def test_xlsx_opens_with_the_same_rows(recruiter_client, applications):
    response = recruiter_client.get("/applicants/export.xlsx")

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[0][1] == "First name"
    assert len(values) == 3
    cells = [cell for row in values[1:] for cell in row]
    assert "Łucja" in cells
    assert "=HYPERLINK(evil)" in cells
    assert all(
        sheet.cell(row=r, column=c).data_type != "f" for r in range(1, 4) for c in range(1, 17)
    )


def test_unknown_export_format_is_404(recruiter_client):
    assert recruiter_client.get("/applicants/export.pdf").status_code == 404


def test_xlsx_cells_are_typed_phones_text_and_dates_dates(recruiter_client, applications):
    response = recruiter_client.get("/applicants/export.xlsx", {"stage": "interview"})

    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    row = dict(zip(header, sheet[2], strict=True))
    assert row["Phone number"].value == applications.applicant.phone
    assert row["Phone number"].data_type == "s"
    created = timezone.localtime(applications.created_at).date()
    assert row["Created"].value == datetime.datetime.combine(created, datetime.time())
    assert row["Created"].is_date
    assert row["Created"].number_format == "yyyy-mm-dd"
    assert row["#"].value == applications.pk


def serve_cut(response, *, keep: int) -> str:
    """Send `response` over loopback as uWSGI's harakiri leaves it: the headers and
    `keep` bytes of the body, then the worker dies and the connection closes."""
    head = f"HTTP/1.1 200 OK\r\nContent-Type: {response['Content-Type']}\r\n"
    if response.has_header("Content-Length"):
        head += f"Content-Length: {response['Content-Length']}\r\n"
    server = socket.create_server(("127.0.0.1", 0))

    def answer():
        peer, _address = server.accept()
        with peer:
            peer.recv(65536)
            peer.sendall(head.encode() + b"\r\n" + response.content[:keep])

    threading.Thread(target=answer, daemon=True).start()
    return f"http://127.0.0.1:{server.getsockname()[1]}/"


def test_a_csv_cut_short_fails_the_download_and_lacks_its_end(recruiter_client, applications):
    ApplicationFactory.create_batch(30)
    response = recruiter_client.get("/applicants/export.csv")
    body = response.content
    text = body.decode("utf-8")
    assert text.splitlines()[-1] == end_marker(32)
    half = len(body) // 2

    # The browser knows the length: a cut transfer is an error, not a short file.
    url = serve_cut(response, keep=half)
    with pytest.raises(http.client.IncompleteRead), urllib.request.urlopen(url, timeout=10) as cut:  # noqa: S310 - loopback
        cut.read()
    # And whoever has a cut file anyway (saved from elsewhere) can tell.
    assert not csv_complete(body[:half].decode("utf-8", errors="ignore"))
    assert not csv_complete(text.rsplit("\n", 2)[0])


def test_a_tag_made_while_an_export_runs_is_named(monkeypatch):
    monkeypatch.setattr(exports, "CHUNK", 1)
    first, second = ApplicationFactory.create_batch(2)
    rows = export_row_stream(Application.objects.order_by("pk"))

    assert next(rows)[0] == first.pk
    second.applicant.tags.add(TagFactory(name="rust"), TagFactory(name="ąę-nowy"))
    row = next(rows)

    assert row[0] == second.pk
    assert set(row[12].split(", ")) == {"rust", "ąę-nowy"}
    # Run to the end while the test's transaction is open: a generator left half-read
    # closes its server-side cursor when collected, after the rollback has dropped it.
    assert next(rows, None) is None


def test_a_download_stopped_early_leaves_the_connection_usable(monkeypatch):
    """A cancelled download closes the generator mid-stream (uWSGI does on a lost client).

    Its cursor must close before its transaction ends: closed after, on PostgreSQL the
    CLOSE fails and, inside an outer transaction, aborts it for whatever runs next."""
    monkeypatch.setattr(exports, "CHUNK", 1)
    ApplicationFactory.create_batch(3)
    rows = export_row_stream(Application.objects.order_by("pk"))
    next(rows)

    rows.close()

    assert Application.objects.count() == 3
