"""CSV and XLSX downloads of the applicant list, one row per application.

Rows hold typed values; each format writes them its own way (csv_cell, xlsx_cell).
"""

import csv
import datetime
from collections.abc import Callable, Iterable, Iterator
from io import BytesIO

from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from recruitment.models import Application

# A spreadsheet runs a cell starting with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 2000


def columns() -> list[str]:
    return [
        _("#"), _("First name"), _("Last name"), _("E-mail"), _("Phone number"), _("City"),
        _("Position"), _("Status"), _("Source"), _("Age"), _("Experience"), _("Current work"),
        _("Tags"), _("Created"), _("Latest activity"), _("Notes"),
    ]  # fmt: skip


def csv_cell(value) -> str | int:
    """A CSV cell: dates as ISO text, and text made inert, since a spreadsheet opening
    CSV reads a cell starting with "=" as a formula; a leading quote stops that."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def xlsx_cell(sheet, value) -> WriteOnlyCell:
    """An XLSX cell of the value's own type: XLSX marks text as text, so "+48 600…"
    needs no quote to stay inert, and a date is a date a spreadsheet can sort and add."""
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        # openpyxl would take a leading "=" as a formula; this cell is text.
        cell.data_type = "s"
    elif isinstance(value, datetime.date):
        cell.number_format = "yyyy-mm-dd"
    return cell


def row_values(application: Application) -> list:
    applicant = application.applicant
    local = timezone.localtime
    return [
        application.pk,
        applicant.first_name,
        applicant.last_name,
        applicant.email,
        applicant.phone,
        applicant.city.name if applicant.city else "",
        application.vacancy.title,
        application.status_label,
        applicant.source.name if applicant.source else "",
        applicant.age if applicant.age is not None else "",
        applicant.experience_years,
        applicant.current_work,
        ", ".join(tag.name for tag in applicant.tags.all()),
        local(application.created_at).date(),
        local(applicant.latest_activity_at).date(),
        applicant.notes_count,
    ]


def _rows(applications) -> Iterator[list]:
    # Chunks keep memory flat on a large export while the tags prefetch still works.
    yield from (row_values(a) for a in applications.iterator(chunk_size=CHUNK))


def export_write(*, rows, fmt: str, path, progress: Callable[[int], None]) -> None:
    """Write the export into the file at `path` row by row, never whole in memory;
    `progress(n)` is told the rows written so far after every CHUNK rows."""
    counted = _counted(_rows(rows), progress)
    if fmt == "csv":
        with open(path, "w", encoding="utf-8", newline="") as handle:
            handle.writelines(_csv_lines(counted))
    else:
        _xlsx_write(counted, path)


def _counted(rows: Iterable[list], progress: Callable[[int], None]) -> Iterator[list]:
    written = 0
    for written, row in enumerate(rows, start=1):
        yield row
        if written % CHUNK == 0:
            progress(written)
    progress(written)


def export_filename(extension: str) -> str:
    return f"applicants-{timezone.localtime():%Y%m%d-%H%M}.{extension}"


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(rows: Iterable[list]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    # A byte-order mark, so spreadsheet programs read Polish letters as UTF-8.
    yield "\ufeff" + writer.writerow(columns())
    for row in rows:
        yield writer.writerow([csv_cell(value) for value in row])


def export_response(*, rows, fmt: str) -> HttpResponse:
    if fmt == "csv":
        response = StreamingHttpResponse(
            _csv_lines(_rows(rows)), content_type="text/csv; charset=utf-8"
        )
    elif fmt == "xlsx":
        response = HttpResponse(
            _xlsx_bytes(_rows(rows)),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404(_("Unknown export format."))
    response["Content-Disposition"] = f'attachment; filename="{export_filename(fmt)}"'
    return response


def _xlsx_write(rows: Iterable[list], target) -> None:
    """The one XLSX writer, for the immediate download and the job's file alike."""
    # write_only: openpyxl streams each row to a temporary file of its own.
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Applicants"))
    sheet.append(columns())
    for row in rows:
        sheet.append([xlsx_cell(sheet, value) for value in row])
    workbook.save(target)


def _xlsx_bytes(rows: Iterable[list]) -> bytes:
    buffer = BytesIO()
    _xlsx_write(rows, buffer)
    return buffer.getvalue()
