"""The draft inside an exported report: a PDF/A-3 file carries the .dpia it was made from.

Opening such a PDF in the app, or `dpia import-pdf`, gives back the draft byte for byte. Reading
uses pypdf (pure Python); a PDF without our attachment, or not a PDF at all, is refused with a
message that says so, and the file is never written.
"""

from __future__ import annotations

import io
import logging

ATTACHMENT_NAME = "assessment.dpia"
PDF_MAGIC = b"%PDF-"


# Among the keywords of a public summary's PDF: it is made from an assessment but carries no draft.
PUBLIC_SUMMARY_KEYWORD = "dpia-public-summary"


class NoDraftInPdf(ValueError):
    """The PDF does not carry an assessment draft (or cannot be read as a PDF)."""

    def __init__(self, message: str, *, public_summary: bool = False):
        super().__init__(message)
        self.public_summary = public_summary


def is_pdf(data: bytes) -> bool:
    # The header may follow a few bytes of junk (PDF 1.7, 7.5.2), as some mail gateways add.
    return PDF_MAGIC in data[:1024]


def draft_from_pdf(data: bytes) -> bytes:
    """The attached draft's bytes, exactly as they were when the report was made."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    if not is_pdf(data):
        raise NoDraftInPdf("this is not a PDF file")
    # pypdf logs every repair it makes to a damaged file; the message below says what matters.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        attachments = reader.attachments
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as error:
        raise NoDraftInPdf(f"the PDF cannot be read ({error})") from error
    contents = attachments.get(ATTACHMENT_NAME)
    if not contents:
        if PUBLIC_SUMMARY_KEYWORD in _keywords(reader):
            raise NoDraftInPdf("this PDF is the public summary of an assessment, which carries no draft: open the draft "
                               "(.dpia) or its filing report instead", public_summary=True)
        names = ", ".join(sorted(attachments)) or "none"
        raise NoDraftInPdf(f"this PDF does not contain an assessment draft (it was not exported by this app; attachments: {names})")
    return contents[0]


def _keywords(reader) -> str:
    try:
        return str((reader.metadata or {}).get("/Keywords", ""))
    except Exception:  # noqa: BLE001 - a damaged info dictionary only means no keywords
        return ""
