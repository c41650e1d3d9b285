"""CV files: what an upload really is, judged by its content, never by its name."""

import zipfile
from functools import partial

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.http import FileResponse

CV_MAX_BYTES = 10 * 1024 * 1024
PDF_MAGIC = b"%PDF-"
OLE2_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")  # Word 97-2003 .doc (and other OLE2 files)
ZIP_MAGIC = b"PK\x03\x04"
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
}


def cv_kind(upload: UploadedFile) -> str | None:
    """ "pdf", "doc", "docx" or "odt" when the content is one of those, else None."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(PDF_MAGIC):
        return "pdf"
    if head.startswith(OLE2_MAGIC):
        return "doc"
    if head.startswith(ZIP_MAGIC):
        return _zipped_kind(upload)
    return None


def _zipped_kind(upload: UploadedFile) -> str | None:
    # DOCX and ODT are both ZIP archives; what is inside tells them apart.
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if "word/document.xml" in names and "[Content_Types].xml" in names:
                return "docx"
            if "mimetype" in names and archive.read("mimetype").strip() == ODT_MIMETYPE:
                return "odt"
    except zipfile.BadZipFile:
        return None
    finally:
        upload.seek(0)
    return None


def cv_response(cv: FieldFile, *, filename_stem: str, inline: bool = False) -> FileResponse:
    """Stream a CV to someone the caller has checked may read it.

    A download by default; `inline` lets a PDF preview show it in the page. It is streamed
    from disk (under uWSGI its wsgi.file_wrapper sends the file without Python copying it),
    never cached by a browser or proxy, and never sniffed into another content type.
    """
    kind = cv.name.rsplit(".", 1)[-1]
    inline = inline and kind == "pdf"
    response = FileResponse(
        cv.open("rb"),
        as_attachment=not inline,
        filename=f"{filename_stem}.{kind}",
        content_type=CONTENT_TYPES.get(kind, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    if inline:
        # Framed by the applicant page only, never by another site (the CSP's
        # frame-ancestors is widened to 'self' for this view, see applicant_cv).
        response["X-Frame-Options"] = "SAMEORIGIN"
    return response


def cv_file_delete_after_commit(name: str) -> None:
    """Delete a CV file that no record points to any more, once that change is committed.

    Before the commit a rollback could still bring the old name back; after it, the file
    is nobody's and must not stay on disk.
    """
    if name:
        transaction.on_commit(partial(default_storage.delete, name))


def cv_file_delete_with_applicant(sender, instance, **kwargs) -> None:
    """post_delete of Applicant: a deleted applicant's CV goes too (admin delete, cascades)."""
    cv_file_delete_after_commit(instance.cv.name)
