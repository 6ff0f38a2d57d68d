"""Reading the draft out of a PDF that is damaged or made to harm: it gives the draft or says why
not (NoDraftInPdf, `dpia import-pdf` exit status 3), never a traceback, and never inflates more than
the draft size limit (issue 13, item 2)."""

from __future__ import annotations

import base64
import collections
import datetime as dt
import hashlib
import io
import random
import tracemalloc
import zlib
from pathlib import Path

import pytest

from dpia_app import cli
from dpia_app.core import drafts
from dpia_app.core.draft_in_pdf import (
    PUBLIC_SUMMARY_KEYWORD,
    NoDraftInPdf,
    draft_from_pdf,
)

from .conftest import require_report_libraries

EXAMPLES = Path(__file__).parent.parent / "examples"
DRAFT = (EXAMPLES / "s1-office-turnstiles.dpia").read_bytes()
SPEC = b"<< /Type /Filespec /F (assessment.dpia) /UF (assessment.dpia) /EF << /F 6 0 R >> >>"
TREE = b"<< /Names [(assessment.dpia) 5 0 R] >>"
# As WeasyPrint writes them for the attachment.
PARAMS = b"/Filter /FlateDecode /Params << /CheckSum <%s> /Size %d >>" % (hashlib.md5(DRAFT).hexdigest().encode(), len(DRAFT))


def _pdf(objects: dict[int, bytes], *, info: int | None = None) -> bytes:
    """A PDF of these numbered objects with a correct cross-reference table; object 1 is the catalog."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, objects[number])
    size = max(objects) + 1
    start = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += b"%010d 00000 n \n" % offsets[number] if number in offsets else b"0000000000 65535 f \n"
    info_entry = b" /Info %d 0 R" % info if info else b""
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (size, info_entry, start)
    return bytes(out)


def _stream(data: bytes, *, entries: bytes = b"/Filter /FlateDecode", length: bytes | None = None) -> bytes:
    length = b"%d" % len(data) if length is None else length
    return b"<< /Type /EmbeddedFile /Length %s %s >>\nstream\n%s\nendstream" % (length, entries, data)


def _report(stream: bytes | None = None, *, tree: bytes = TREE, spec: bytes = SPEC, **extra: bytes) -> bytes:
    """A one-page PDF carrying `stream` (by default the draft, as the app attaches it) as assessment.dpia."""
    if stream is None:
        stream = _stream(zlib.compress(DRAFT), entries=PARAMS)
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles 4 0 R >> >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] >>",
        4: tree, 5: spec, 6: stream,
    }
    objects.update({int(key.removeprefix("obj")): value for key, value in extra.items()})
    return _pdf(objects)


def _zeros_deflated(megabytes: int) -> bytes:
    compressor = zlib.compressobj(1)
    chunk = bytes(1024 * 1024)
    return b"".join([compressor.compress(chunk) for _ in range(megabytes)] + [compressor.flush()])


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """200 MB of zeros deflated into a report of 0.9 MB: far beyond the draft limit (and pypdf's own 75 MB)."""
    return _report(_stream(_zeros_deflated(200)))


@pytest.fixture(scope="module")
def real_report() -> bytes:
    """A report exactly as the app exports it, with s1's draft attached."""
    require_report_libraries()
    from dpia_app.core.packs import load_builtin_pack
    from dpia_app.report import make_report

    pack = load_builtin_pack("cn-frt-2025")
    assessment = drafts.read_draft(EXAMPLES / "s1-office-turnstiles.dpia", pack).assessment
    return make_report(pack, assessment, DRAFT, "en", dt.date(2026, 12, 1)).pdf


def _outcome(data: bytes) -> str:
    """'draft' (the draft, byte for byte), 'refused' (NoDraftInPdf), or what else happened.

    'other bytes' can only come from a PDF whose description of the attachment (its /Filter and
    /Params, with the size and checksum) was itself destroyed: the bytes stored are given as they
    are, and opening them as a draft then says they are not one.
    """
    try:
        extracted = draft_from_pdf(data)
    except NoDraftInPdf:
        return "refused"
    except Exception as error:  # noqa: BLE001 - what the tests count
        return f"{type(error).__name__}: {error}"[:200]
    return "draft" if extracted == DRAFT else "other bytes"


def test_a_well_formed_report_gives_the_draft_back():
    assert draft_from_pdf(_report()) == DRAFT
    # Stored without compression, or encoded as another program might, or with the name only in the
    # file specification, it is found too.
    assert draft_from_pdf(_report(_stream(DRAFT, entries=b""))) == DRAFT
    twice = _stream(zlib.compress(zlib.compress(DRAFT)),
                    entries=b"/Filter [/FlateDecode /Fl] /DecodeParms [null << /Predictor 1 >>]")
    assert draft_from_pdf(_report(twice)) == DRAFT
    hexadecimal = _stream(zlib.compress(DRAFT).hex().encode() + b">", entries=b"/Filter [/ASCIIHexDecode /FlateDecode]")
    assert draft_from_pdf(_report(hexadecimal)) == DRAFT
    checksum = hashlib.md5(DRAFT).hexdigest().encode()
    base85 = _stream(base64.a85encode(DRAFT) + b"~>", entries=b"/Filter /A85 /Params << /CheckSum <%s> >>" % checksum)
    assert draft_from_pdf(_report(base85)) == DRAFT
    assert draft_from_pdf(_report(tree=b"<< /Names [(other name) 5 0 R] >>")) == DRAFT
    # In a name tree of several levels, past an attachment of another name.
    tree = b"<< /Kids [7 0 R] >>"
    kid = b"<< /Limits [(a) (z)] /Names [(notes.txt) 8 0 R (assessment.dpia) 5 0 R] >>"
    other = b"<< /Type /Filespec /F (notes.txt) /EF << /F 9 0 R >> >>"
    assert draft_from_pdf(_report(tree=tree, obj7=kid, obj8=other, obj9=_stream(b"hello", entries=b""))) == DRAFT


def test_a_flate_bomb_is_too_large_and_never_inflated_past_the_limit(bomb):
    tracemalloc.start()
    try:
        with pytest.raises(NoDraftInPdf, match="too large") as refused:
            draft_from_pdf(bomb)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert refused.value.too_large and not refused.value.damaged
    assert "50 MB" in str(refused.value)
    assert peak < drafts.MAX_DRAFT_BYTES + 16 * 1024 * 1024, f"{peak / 1024 / 1024:.0f} MB used"


def test_an_attachment_larger_than_the_limit_is_too_large_whatever_it_declares():
    big = bytes(range(256)) * 64  # 16 KB
    for entries in (b"/Filter /FlateDecode", b"/Filter /FlateDecode /Params << /Size 10 >>", b""):
        data = big if entries == b"" else zlib.compress(big)
        with pytest.raises(NoDraftInPdf, match="too large") as refused:
            draft_from_pdf(_report(_stream(data, entries=entries)), max_bytes=len(big) - 1)
        assert refused.value.too_large
    assert draft_from_pdf(_report(_stream(zlib.compress(big))), max_bytes=len(big)) == big
    # A declared size above the limit is refused before anything is inflated.
    with pytest.raises(NoDraftInPdf, match="too large"):
        draft_from_pdf(_report(_stream(b"not even deflate", entries=b"/Filter /FlateDecode /Params << /Size 99999999999 >>")))


def test_the_limit_is_the_draft_limit_at_the_time_of_reading(monkeypatch):
    monkeypatch.setattr(drafts, "MAX_DRAFT_BYTES", len(DRAFT) - 1)
    with pytest.raises(NoDraftInPdf, match="too large"):
        draft_from_pdf(_report())


# The cases below, by name.
HOSTILE = [
    "ef-is-the-spec", "ef-file-is-the-spec", "ef-file-refers-to-itself", "ef-not-a-dictionary",
    "spec-refers-to-itself", "spec-an-array", "tree-own-kid", "tree-two-node-loop", "tree-own-value",
    "tree-names-and-kids-itself", "tree-refers-to-itself", "deflate-cut-off", "deflate-garbage",
    "size-mismatch", "checksum-mismatch", "empty", "deflated-empty", "filter-mangled", "flate-twice-on-once",
    "twenty-filters", "hex-garbage", "base85-garbage", "filter-is-the-stream", "filter-a-string",
    "predictor-columns", "lzw", "parameters-a-string",
]


@pytest.mark.parametrize("stream, spec, tree, extra", [
    # /EF that is the file specification itself, or whose file is the specification.
    (None, b"<< /Type /Filespec /F (assessment.dpia) /EF 5 0 R >>", TREE, {}),
    (None, b"<< /Type /Filespec /F (assessment.dpia) /EF << /F 5 0 R >> >>", TREE, {}),
    (None, b"<< /Type /Filespec /F (assessment.dpia) /EF << /F 7 0 R >> >>", TREE, {"obj7": b"7 0 R"}),
    (None, b"<< /Type /Filespec /F (assessment.dpia) /EF (none) >>", TREE, {}),
    (None, b"5 0 R", TREE, {}),
    (None, b"[1 2 3]", TREE, {}),
    # Loops in the name tree: a node its own kid, two nodes each other's, the tree its own value.
    (None, SPEC, b"<< /Kids [4 0 R] >>", {}),
    (None, SPEC, b"<< /Kids [7 0 R] >>", {"obj7": b"<< /Kids [4 0 R] >>"}),
    (None, SPEC, b"<< /Names [(assessment.dpia) 4 0 R] >>", {}),
    (None, SPEC, b"<< /Names 4 0 R /Kids 4 0 R >>", {}),
    (None, SPEC, b"4 0 R", {}),
    # Compressed data that is corrupt, cut off, or of another size than declared; filters that make no sense.
    (_stream(zlib.compress(DRAFT)[:-40]), SPEC, TREE, {}),
    (_stream(b"\x78\x9c" + bytes(range(200))), SPEC, TREE, {}),
    (_stream(zlib.compress(DRAFT), entries=b"/Filter /FlateDecode /Params << /Size 12 >>"), SPEC, TREE, {}),
    (_stream(DRAFT[:-1] + b"]", entries=b"/Params << /CheckSum <%s> >>" % hashlib.md5(DRAFT).hexdigest().encode()), SPEC, TREE, {}),
    (_stream(b"", entries=b""), SPEC, TREE, {}),
    (_stream(zlib.compress(b""), entries=b"/Filter /FlateDecode"), SPEC, TREE, {}),
    (_stream(zlib.compress(DRAFT), entries=b"/Filter /Flat\xe9Decode"), SPEC, TREE, {}),
    (_stream(zlib.compress(DRAFT), entries=b"/Filter [/FlateDecode /FlateDecode]"), SPEC, TREE, {}),
    (_stream(zlib.compress(DRAFT), entries=b"/Filter [%s]" % b" ".join([b"/FlateDecode"] * 20)), SPEC, TREE, {}),
    (_stream(b"zz\x00>", entries=b"/Filter /ASCIIHexDecode"), SPEC, TREE, {}),
    (_stream(b"\x00\xff{{{~>", entries=b"/Filter /ASCII85Decode"), SPEC, TREE, {}),
    (_stream(zlib.compress(DRAFT), entries=b"/Filter 6 0 R"), SPEC, TREE, {}),
    (_stream(zlib.compress(DRAFT), entries=b"/Filter [(FlateDecode)]"), SPEC, TREE, {}),
    (_stream(zlib.compress(DRAFT), entries=b"/Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 9999999 >>"), SPEC, TREE, {}),
    (_stream(zlib.compress(DRAFT), entries=b"/Filter /LZWDecode"), SPEC, TREE, {}),
    (_stream(zlib.compress(DRAFT), entries=b"/Filter /FlateDecode /DecodeParms (none)"), SPEC, TREE, {}),
], ids=HOSTILE)
def test_a_hostile_structure_is_refused_as_damaged(stream, spec, tree, extra):
    with pytest.raises(NoDraftInPdf) as refused:
        draft_from_pdf(_report(stream, spec=spec, tree=tree, **extra))
    message = str(refused.value)
    assert refused.value.damaged or "does not contain an assessment draft" in message, message
    assert not refused.value.damaged or refused.value.detail in message
    assert not refused.value.too_large and len(message) < 400


@pytest.mark.parametrize("length, extra", [
    # The stream itself, or a reference to a reference that leads back to it.
    (b"6 0 R", {}),
    (b"7 0 R", {"obj7": b"8 0 R", "obj8": b"7 0 R"}),
    (b"7 0 R", {"obj7": b"6 0 R"}),
    # Absurd: huge, larger than the file, negative, zero, not a number.
    (b"99999999999999999999", {}),
    (b"70000000", {}),
    (b"-5", {}),
    (b"0", {}),
    (b"(long)", {}),
    (b"1.5e9", {}),
    (b"<< /Length 6 0 R >>", {}),
])
def test_a_stream_of_absurd_length_gives_the_draft_or_is_refused(length, extra):
    """pypdf finds the end of a stream whose /Length is wrong by looking for `endstream`: that may
    give the draft back, which is fine; a traceback is not."""
    data = _report(_stream(zlib.compress(DRAFT), entries=PARAMS, length=length), **extra)
    assert _outcome(data) in ("draft", "refused")


def test_a_name_tree_deeper_or_larger_than_any_report_ends():
    chain = {f"obj{number}": b"<< /Kids [%d 0 R] >>" % (number + 1) for number in range(7, 300)}
    with pytest.raises(NoDraftInPdf, match="does not contain"):
        draft_from_pdf(_report(tree=b"<< /Kids [7 0 R] >>", **chain))
    # Many names: the message lists a few, not all.
    names = b" ".join(b"(file %d) 5 0 R" % number for number in range(500))
    with pytest.raises(NoDraftInPdf, match="and 490 more") as refused:
        draft_from_pdf(_report(tree=b"<< /Names [%s] >>" % names, spec=b"<< /Type /Filespec /F (x) /EF << /F 6 0 R >> >>"))
    assert len(str(refused.value)) < 1200


def test_a_pdf_without_our_attachment_and_a_public_summary_say_so():
    plain = _pdf({1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Kids [] /Count 0 >>"})
    with pytest.raises(NoDraftInPdf, match="attachments: none") as refused:
        draft_from_pdf(plain)
    assert not (refused.value.damaged or refused.value.too_large or refused.value.public_summary)
    summary = _pdf({1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Kids [] /Count 0 >>",
                    3: b"<< /Keywords (%s) >>" % PUBLIC_SUMMARY_KEYWORD.encode()}, info=3)
    with pytest.raises(NoDraftInPdf, match="public summary") as refused:
        draft_from_pdf(summary)
    assert refused.value.public_summary


def test_an_encrypted_report_opens_without_a_password_or_says_it_is_encrypted():
    from pypdf import PdfWriter

    def encrypted(password: str) -> bytes:
        writer = PdfWriter()
        writer.add_blank_page(100, 100)
        writer.add_attachment("assessment.dpia", DRAFT)
        writer.encrypt(user_password=password, owner_password="owner", algorithm="RC4-128")  # needs no other library
        made = io.BytesIO()
        writer.write(made)
        return made.getvalue()

    assert draft_from_pdf(encrypted("")) == DRAFT  # "protected" against printing or copying only
    with pytest.raises(NoDraftInPdf, match="encrypted") as refused:
        draft_from_pdf(encrypted("secret"))
    assert refused.value.damaged and refused.value.detail == "encrypted"


def test_truncated_pdfs_are_refused():
    whole = _report()
    outcomes = collections.Counter(_outcome(whole[:end]) for end in range(0, len(whole), max(1, len(whole) // 150)))
    assert set(outcomes) <= {"draft", "refused"}, outcomes


def _flipped(data: bytes, rng: random.Random, low: int, high: int) -> bytes:
    damaged = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        damaged[rng.randrange(low, high)] = rng.randrange(256)
    return bytes(damaged)


def test_byte_flipped_small_reports_give_the_draft_or_are_refused():
    whole = _report()
    # Anywhere (mostly the compressed draft), and in the objects around it.
    data_start, data_end = whole.index(b"stream\n") + 7, whole.index(b"\nendstream")
    regions = [(0, len(whole), 150), (0, data_start, 150), (data_end, len(whole), 100)]
    rng = random.Random(13)
    outcomes = collections.Counter(_outcome(_flipped(whole, rng, low, high)) for low, high, trials in regions for _ in range(trials))
    others = {outcome: count for outcome, count in outcomes.items() if outcome not in ("draft", "refused", "other bytes")}
    assert others == {} and outcomes["other bytes"] <= 4, outcomes
    assert outcomes["refused"] > 100 and outcomes["draft"] > 50, outcomes  # both kinds of damage were met


def test_byte_flipped_real_reports_give_the_draft_or_are_refused(real_report):
    """Flips where reading looks: the header, the attached draft, the object stream with the
    catalog, the cross-reference stream, and anywhere. Before the fix 1 or 2 in 100 of these gave a
    traceback (AttributeError, PdfReadError, NotImplementedError) and about 30 gave other bytes
    than the draft (pypdf's repair of corrupt compressed data); now none does either."""
    assert draft_from_pdf(real_report) == DRAFT
    attachment = real_report.find(b"/EmbeddedFile")
    objects = real_report.rfind(b"/ObjStm")
    xref = real_report.rfind(b"/XRef")
    assert min(attachment, objects, xref) > 0
    regions = [(0, 1024, 15), (attachment - 300, attachment + 4500, 35), (objects - 300, xref - 200, 25),
               (xref - 200, len(real_report), 8), (0, len(real_report), 17)]
    rng = random.Random(2026)
    outcomes = collections.Counter(_outcome(_flipped(real_report, rng, low, high))
                                   for low, high, trials in regions for _ in range(trials))
    others = {outcome: count for outcome, count in outcomes.items() if outcome not in ("draft", "refused", "other bytes")}
    assert others == {} and outcomes["other bytes"] <= 2, outcomes
    assert sum(outcomes.values()) == 100 and outcomes["refused"] > 40, outcomes


def test_a_truncated_real_report_is_refused(real_report):
    outcomes = collections.Counter(_outcome(real_report[:end]) for end in range(0, len(real_report), len(real_report) // 12))
    assert set(outcomes) <= {"refused"}, outcomes


# `dpia import-pdf`: exit status 3 and a message, and nothing written.

def _import(tmp_path: Path, capsys, data: bytes) -> tuple[int, str, Path]:
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(data)
    output = tmp_path / "out.dpia"
    code = cli.main(["import-pdf", str(pdf), "-o", str(output)])
    return code, capsys.readouterr().err, output


def test_import_pdf_of_a_bomb_says_too_large_and_writes_nothing(tmp_path, capsys, bomb):
    code, err, output = _import(tmp_path, capsys, bomb)
    assert code == cli.EXIT_BAD_FILE and "too large" in err and not output.exists()


@pytest.mark.parametrize("data", [
    _report(_stream(zlib.compress(DRAFT), length=b"6 0 R")),
    _report(spec=b"<< /Type /Filespec /F (assessment.dpia) /EF 5 0 R >>"),
    _report()[:-200],
    _report(_stream(zlib.compress(DRAFT)[:-40])),
])
def test_import_pdf_of_a_damaged_pdf_says_damaged_and_writes_nothing(tmp_path, capsys, data):
    code, err, output = _import(tmp_path, capsys, data)
    assert code == cli.EXIT_BAD_FILE and "damaged" in err and not output.exists(), err


def test_import_pdf_never_writes_more_than_the_draft_limit(tmp_path, capsys, monkeypatch):
    code, _err, output = _import(tmp_path, capsys, _report())
    assert code == cli.EXIT_OK and output.read_bytes() == DRAFT
    output.unlink()
    monkeypatch.setattr(drafts, "MAX_DRAFT_BYTES", len(DRAFT) - 1)
    code, err, output = _import(tmp_path, capsys, _report())
    assert code == cli.EXIT_BAD_FILE and "too large" in err and not output.exists()
    # Even should the reader hand back more than the limit, the command refuses to write it.
    monkeypatch.setattr("dpia_app.core.draft_in_pdf.draft_from_pdf", lambda data: DRAFT)
    code, err, output = _import(tmp_path, capsys, _report())
    assert code == cli.EXIT_BAD_FILE and "larger than any draft" in err and not output.exists()


def test_import_pdf_of_a_name_too_long_for_the_system_says_so(tmp_path, capsys):
    (tmp_path / "report.pdf").write_bytes(_report())
    for source, target in ((tmp_path / ("r" * 5000 + ".pdf"), tmp_path / "out.dpia"),
                           (tmp_path / "report.pdf", tmp_path / ("o" * 5000 + ".dpia"))):
        assert cli.main(["import-pdf", str(source), "-o", str(target)]) == cli.EXIT_BAD_FILE
        assert capsys.readouterr().err.startswith("dpia: ")
    assert not (tmp_path / "out.dpia").exists()
