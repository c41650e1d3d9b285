"""CV files: what an upload really is, judged by its content, never by its name."""

import zipfile

from django.core.files.uploadedfile import UploadedFile

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
