"""The draft inside an exported report: a PDF/A-3 file carries the .dpia it was made from.

Opening such a PDF in the app, or `dpia import-pdf`, gives back the draft byte for byte. Reading
uses pypdf (pure Python) to find the attachment; a PDF without our attachment, or not a PDF at all,
is refused with a message that says so, and the file is never written.

A PDF is untrusted input (it may come by mail, damaged or made to harm). Whatever it holds, reading
it gives the draft or raises `NoDraftInPdf`, never another exception: a damaged file says so
(`damaged`), and an attachment that would inflate beyond the draft size limit is refused as too
large (`too_large`) without ever being inflated further than that limit. The attachment's bytes are
inflated here rather than by pypdf, so that a "zip bomb" costs at most the limit in memory.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import zlib
from collections.abc import Iterator
from typing import Any

ATTACHMENT_NAME = "assessment.dpia"
PDF_MAGIC = b"%PDF-"


# Among the keywords of a public summary's PDF: it is made from an assessment but carries no draft.
PUBLIC_SUMMARY_KEYWORD = "dpia-public-summary"

# Our reports have a name tree of one node with one entry. A foreign PDF may have more, but a tree
# deeper or larger than this is hostile; loops are skipped wherever they are.
_MAX_TREE_DEPTH = 32
_MAX_TREE_NODES = 10_000
# A reference to a reference to ...: a chain longer than this is a loop.
_MAX_INDIRECTIONS = 32
# The error message lists at most this many attachment names, each at most this long.
_LISTED_NAMES = 10
_LISTED_NAME_CHARS = 80
# The attachment is inflated this much at a time (a draft is some tens of KB: one piece).
_INFLATE_PIECE = 1024 * 1024
# The filters an attachment may be stored with (full names and abbreviations), and at most how many in a row.
_FLATE = ("/FlateDecode", "/Fl")
_HEX = ("/ASCIIHexDecode", "/AHx")
_BASE85 = ("/ASCII85Decode", "/A85")
_MAX_FILTERS = 8


class NoDraftInPdf(ValueError):
    """The PDF does not carry an assessment draft, or it cannot be read.

    `public_summary`: the PDF is a public summary, which never carries a draft.
    `damaged`: the PDF (or the attachment in it) is damaged or encrypted and cannot be read;
    `detail` then says what is wrong, in English (pypdf's words or ours), for a message to quote.
    `too_large`: the attached file is larger than any draft (the draft size limit).
    """

    def __init__(self, message: str, *, public_summary: bool = False, damaged: bool = False, too_large: bool = False,
                 detail: str = ""):
        super().__init__(message)
        self.public_summary = public_summary
        self.damaged = damaged
        self.too_large = too_large
        self.detail = detail


def is_pdf(data: bytes) -> bool:
    # The header may follow a few bytes of junk (PDF 1.7, 7.5.2), as some mail gateways add.
    return PDF_MAGIC in data[:1024]


def draft_from_pdf(data: bytes, *, max_bytes: int | None = None) -> bytes:
    """The attached draft's bytes, exactly as they were when the report was made.

    `max_bytes` (default: the draft size limit, drafts.MAX_DRAFT_BYTES) bounds the attachment: a
    larger one is refused with `too_large`, and no more than that is ever inflated.
    """
    from pypdf import PdfReader

    if not is_pdf(data):
        raise NoDraftInPdf("this is not a PDF file")
    if max_bytes is None:
        # Imported here, not at the top (drafts imports this module), and read at every call.
        from .drafts import MAX_DRAFT_BYTES

        max_bytes = MAX_DRAFT_BYTES
    # pypdf logs every repair it makes to a damaged file; the message below says what matters.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    reader = None
    try:
        reader = PdfReader(io.BytesIO(data))
        stream, names = _attached_stream(reader.root_object)
        if stream is not None:
            return _contents(stream, max_bytes)
        public_summary = PUBLIC_SUMMARY_KEYWORD in _keywords(reader)
    except NoDraftInPdf:
        raise
    except MemoryError as error:
        # Only reached if the PDF holds something pypdf cannot bound; the attachment itself never gets here.
        raise _too_large(max_bytes) from error
    except Exception as error:  # noqa: BLE001 - see below
        # Everything in this block reads untrusted bytes through pypdf, which on a damaged or hostile
        # file raises far more than its documented PyPdfError (PdfReadError, PdfStreamError,
        # LimitReachedError): AttributeError, TypeError, KeyError, IndexError, ValueError,
        # RecursionError (a /Length or /EF that refers to itself), NotImplementedError (a mangled
        # filter name), zlib.error, OSError... A list would miss the next one and let a traceback
        # through to the user, so all of them mean the same thing here: this PDF cannot be read.
        if reader is not None and _encrypted(reader):
            raise NoDraftInPdf("this PDF is encrypted (password-protected), so the draft attached to it cannot be read; "
                               "use the report as this app exported it", damaged=True, detail="encrypted") from error
        raise _damaged(_reason(error)) from error
    if public_summary:
        raise NoDraftInPdf("this PDF is the public summary of an assessment, which carries no draft: open the draft "
                           "(.dpia) or its filing report instead", public_summary=True)
    raise NoDraftInPdf(f"this PDF does not contain an assessment draft (it was not exported by this app; attachments: {_listed(names)})")


def _damaged(reason: str) -> NoDraftInPdf:
    return NoDraftInPdf(f"the PDF cannot be read: it is damaged ({reason})", damaged=True, detail=reason)


def _too_large(max_bytes: int) -> NoDraftInPdf:
    return NoDraftInPdf(f"the file attached to this PDF is too large: a draft is never larger than {_megabytes(max_bytes)}",
                        too_large=True)


def _megabytes(size: int) -> str:
    return f"{size // 1024 // 1024} MB" if size >= 1024 * 1024 else f"{size} bytes"


def _reason(error: BaseException) -> str:
    """pypdf's words for what is wrong, short, without the memory addresses it puts in references."""
    text = re.sub(r"IndirectObject\((\d+), \d+, \d+\)", r"object \1", " ".join(str(error).split()))
    return text[:160] or type(error).__name__


def _listed(names: list[str]) -> str:
    shown = [name if len(name) <= _LISTED_NAME_CHARS else name[:_LISTED_NAME_CHARS] + "…" for name in names[:_LISTED_NAMES]]
    if len(names) > _LISTED_NAMES:
        shown.append(f"and {len(names) - _LISTED_NAMES} more")
    return ", ".join(shown) or "none"


def _resolve(value: Any) -> Any:
    """The object an indirect reference points to (following chains), None for null or missing."""
    from pypdf.generic import IndirectObject, NullObject

    for _ in range(_MAX_INDIRECTIONS):
        if not isinstance(value, IndirectObject):
            return None if isinstance(value, NullObject) else value
        value = value.get_object()
    raise _damaged("a reference that refers to itself")


def _attached_stream(catalog: Any) -> tuple[Any, list[str]]:
    """The embedded-file stream of our attachment (None if there is none), and every attachment's name."""
    from pypdf.generic import DictionaryObject, StreamObject

    catalog = _resolve(catalog)
    names_dictionary = _resolve(catalog.get("/Names")) if isinstance(catalog, DictionaryObject) else None
    tree = _resolve(names_dictionary.get("/EmbeddedFiles")) if isinstance(names_dictionary, DictionaryObject) else None
    names: list[str] = []
    for name, value in _name_tree(tree):
        names.append(name)
        spec = _resolve(value)
        if name != ATTACHMENT_NAME and _alternative_name(spec) != ATTACHMENT_NAME:
            continue
        # Ours: from here on, anything amiss means the report is damaged (pypdf would skip it).
        if not isinstance(spec, DictionaryObject):
            raise _damaged("the attached draft's file specification is not a dictionary")
        files = _resolve(spec.get("/EF"))
        if not isinstance(files, DictionaryObject):
            raise _damaged("the attached draft's file specification has no embedded file")
        stream = _resolve(files.get("/UF", files.get("/F")))
        if not isinstance(stream, StreamObject):
            raise _damaged("the attached draft is not a stream")
        return stream, names
    return None, names


def _alternative_name(spec: Any) -> str | None:
    # As pypdf reads it: /UF, or else /F (PDF 2.0, table 43).
    from pypdf.generic import DictionaryObject

    if not isinstance(spec, DictionaryObject):
        return None
    for key in ("/UF", "/F"):
        value = _resolve(spec.get(key))
        if value is not None:
            return value if isinstance(value, str) else None
    return None


def _name_tree(root: Any) -> Iterator[tuple[str, Any]]:
    """A name tree's (name, value) pairs in order, through /Kids, skipping loops and bad nodes."""
    from pypdf.generic import ArrayObject, DictionaryObject

    pending: list[tuple[Any, int]] = [(root, 0)]
    seen: dict[int, Any] = {}  # id -> node: the nodes are kept alive so that an id is never reused
    while pending:
        node, depth = pending.pop()
        node = _resolve(node)
        if not isinstance(node, DictionaryObject) or id(node) in seen or depth > _MAX_TREE_DEPTH:
            continue
        seen[id(node)] = node
        if len(seen) > _MAX_TREE_NODES:
            raise _damaged("its list of attachments never ends")
        entries = _resolve(node.get("/Names"))
        if isinstance(entries, ArrayObject):
            for index in range(0, len(entries) - 1, 2):
                name = _resolve(entries[index])
                if isinstance(name, str):
                    yield name, entries[index + 1]
        kids = _resolve(node.get("/Kids"))
        if isinstance(kids, ArrayObject):
            pending.extend((kid, depth + 1) for kid in reversed(kids))


def _contents(stream: Any, max_bytes: int) -> bytes:
    """The embedded file's bytes, checked against the size and checksum the PDF declares for them."""
    from pypdf.generic import DictionaryObject, NumberObject

    params = _resolve(stream.get("/Params"))
    params = params if isinstance(params, DictionaryObject) else DictionaryObject()
    declared = _resolve(params.get("/Size"))
    declared = declared if isinstance(declared, NumberObject) else None  # an integer; /Size is optional
    if declared is not None and declared > max_bytes:
        raise _too_large(max_bytes)
    # The bytes as stored in the file: pypdf has no public name for them, but `_data` has held them since PyPDF2.
    raw = getattr(stream, "_data", None)
    if not isinstance(raw, bytes):
        raise _damaged("the attached draft has no data")
    contents = _decoded(raw, _filters(stream), max_bytes)
    if len(contents) > max_bytes:
        raise _too_large(max_bytes)
    if not contents:
        raise _damaged("the attached draft is empty")
    if declared is not None and declared != len(contents):
        raise _damaged(f"the attached draft is {len(contents)} bytes long, not the {int(declared)} the PDF declares")
    expected = getattr(_resolve(params.get("/CheckSum")), "original_bytes", None)
    if isinstance(expected, bytes) and len(expected) == 16 and expected != _md5(contents, expected):
        raise _damaged("the attached draft does not match its checksum")
    return contents


def _filters(stream: Any) -> list[str]:
    """The stream's filters, refusing any this module does not decode itself: with its own size limit."""
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject

    filters = _resolve(stream.get("/Filter"))
    filters = [_resolve(item) for item in filters] if isinstance(filters, ArrayObject) else [] if filters is None else [filters]
    if len(filters) > _MAX_FILTERS:
        raise _damaged("the attached draft has too many filters")
    for name in filters:
        if not isinstance(name, NameObject) or name not in _FLATE + _HEX + _BASE85:
            raise _damaged(f"the attached draft is stored with a filter this app does not read ({str(name)[:40]})")
    # Parameters (a PNG predictor, say) are for images: no program stores an attached file with them.
    parameters = _resolve(stream.get("/DecodeParms"))
    parameters = [_resolve(item) for item in parameters] if isinstance(parameters, ArrayObject) else [parameters]
    for item in parameters:
        if item is not None and not (isinstance(item, DictionaryObject) and _resolve(item.get("/Predictor", 1)) == 1):
            raise _damaged("the attached draft is stored with decoding parameters this app does not read")
    return filters


def _decoded(data: bytes, filters: list[str], max_bytes: int) -> bytes:
    # Flate is not left to pypdf, which inflates up to a limit of its own (75 MB in pypdf 7) and
    # turns corrupt compressed data into whatever part of it it can read.
    from pypdf.filters import ASCII85Decode, ASCIIHexDecode

    for name in filters:
        if name in _FLATE:
            data = _inflated(data, max_bytes)
        elif name in _HEX:
            data = ASCIIHexDecode.decode(data)  # half as long as its input
        else:
            data = ASCII85Decode.decode(data)  # four fifths as long as its input
    return data


def _inflated(raw: bytes, max_bytes: int) -> bytes:
    """Inflate a piece at a time, so that a bomb is given up on holding no more than max_bytes plus a piece."""
    inflater = zlib.decompressobj()
    pieces: list[bytes] = []
    size = 0
    pending = raw
    try:
        while not inflater.eof:
            piece = inflater.decompress(pending, _INFLATE_PIECE)
            pending = inflater.unconsumed_tail
            if not piece and not pending:
                break  # the compressed data ends before its end marker
            pieces.append(piece)
            size += len(piece)
            if size > max_bytes:
                raise _too_large(max_bytes)
    except zlib.error as error:
        raise _damaged(f"the attached draft's compressed data is corrupt: {error}") from error
    if not inflater.eof:
        raise _damaged("the attached draft's compressed data ends too early")
    return b"".join(pieces)


def _md5(data: bytes, otherwise: bytes) -> bytes:
    try:
        return hashlib.md5(data, usedforsecurity=False).digest()  # the PDF's choice: it finds damage, not forgery
    except ValueError:  # a Python that allows no MD5 at all (FIPS): the checksum goes unchecked
        return otherwise


def _encrypted(reader: Any) -> bool:
    try:
        return bool(reader.is_encrypted)
    except Exception:  # noqa: BLE001 - a damaged trailer only means we cannot tell
        return False


def _keywords(reader) -> str:
    try:
        return str((reader.metadata or {}).get("/Keywords", ""))
    except Exception:  # noqa: BLE001 - a damaged info dictionary only means no keywords
        return ""
