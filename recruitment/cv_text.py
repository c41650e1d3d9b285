"""The text of a CV, read with one pure-Python library per format: pypdf for PDF,
python-docx for DOCX, odfpy for ODT. Nothing is handed to an outside program.

Word 97-2003 (.doc) has no well-kept pure-Python reader: such CVs are stored and
downloadable, but their text is not searched.
"""

import logging
import re
from collections.abc import Iterator
from typing import BinaryIO

logger = logging.getLogger(__name__)

# Enough for any CV; bounds the search index's entry (PostgreSQL's tsvector has a limit).
CV_TEXT_MAX = 50_000
_SPACES = re.compile(r"\s+")


def _pdf_text(file: BinaryIO) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(file).pages)


def _docx_text(file: BinaryIO) -> str:
    import docx

    document = docx.Document(file)
    cells = (cell.text for table in document.tables for row in table.rows for cell in row.cells)
    return "\n".join([*(paragraph.text for paragraph in document.paragraphs), *cells])


def _odt_text(file: BinaryIO) -> str:
    from odf.opendocument import load

    return "\n".join(_odt_blocks(load(file).text))


def _odt_blocks(node) -> Iterator[str]:
    """Headings and paragraphs in document order, wherever they sit (lists, tables)."""
    from odf import teletype
    from odf.namespaces import TEXTNS

    for child in node.childNodes:
        if getattr(child, "qname", None) in ((TEXTNS, "p"), (TEXTNS, "h")):
            yield teletype.extractText(child)
        else:
            yield from _odt_blocks(child)


READERS = {"pdf": _pdf_text, "docx": _docx_text, "odt": _odt_text}


def cv_text(file: BinaryIO, kind: str) -> str:
    """The CV's words, spaces collapsed, at most CV_TEXT_MAX characters; "" when the
    format has no reader or the file cannot be read (a broken CV stays downloadable)."""
    reader = READERS.get(kind)
    if reader is None:
        return ""
    try:
        raw = reader(file)
    except Exception:
        # Each library raises its own errors on a damaged or hostile file; none of them
        # may stop the CV being kept. The log says which file failed.
        logger.exception("Could not read the text of a %s CV", kind)
        return ""
    return _SPACES.sub(" ", raw).strip()[:CV_TEXT_MAX]
