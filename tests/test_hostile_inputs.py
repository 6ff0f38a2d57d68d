"""Hostile and broken files (issue 13): each gives a clear message, never a traceback, and the
user's file stays as it was."""

from __future__ import annotations

import json
import os
import shutil
import sys
import time

import pytest

from dpia_app.core import drafts
from dpia_app.core.drafts import DraftError, read_draft

from .conftest import EXAMPLES


def _s1(tmp_path):
    path = tmp_path / "s1.dpia"
    shutil.copy(EXAMPLES / "s1-office-turnstiles.dpia", path)
    return path


def _with_answer(tmp_path, value_text: str):
    """S1 with one answer replaced by raw JSON text (which json.dumps could not write)."""
    path = _s1(tmp_path)
    text = path.read_text(encoding="utf-8")
    marker = '"org.device_count": 6'
    assert marker in text
    path.write_text(text.replace(marker, f'"org.device_count": {value_text}', 1), encoding="utf-8")
    return path


@pytest.mark.parametrize("value, says", [
    ("[" * 5000 + "]" * 5000, "nested more deeply"),
    ("1" * 5000, "number far too long"),
])
def test_a_draft_nested_too_deep_or_with_an_endless_number_is_damaged_not_a_crash(tmp_path, value, says):
    path = _with_answer(tmp_path, value)
    before = path.read_bytes()
    with pytest.raises(DraftError) as refused:
        read_draft(path)
    assert refused.value.code == "damaged" and says in str(refused.value)
    assert path.read_bytes() == before


def test_a_draft_nested_deep_enough_to_pass_json_but_not_validation_is_damaged(tmp_path):
    path = _with_answer(tmp_path, "[" * 900 + "]" * 900)
    with pytest.raises(DraftError) as refused:
        read_draft(path)
    assert refused.value.code == "damaged"


def test_a_draft_saved_by_notepad_with_a_byte_order_mark_opens(tmp_path):
    path = _s1(tmp_path)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert read_draft(path).assessment.metadata.title.startswith("Lobby turnstiles")


@pytest.mark.skipif(sys.platform == "win32", reason="devices and FIFOs are POSIX")
@pytest.mark.parametrize("kind", ["device", "fifo", "folder"])
def test_a_device_a_pipe_or_a_folder_is_refused_without_reading_it(tmp_path, kind):
    if kind == "device":
        path = "/dev/zero"
    elif kind == "fifo":
        path = tmp_path / "pipe.dpia"
        os.mkfifo(path)
    else:
        path = tmp_path / "folder.dpia"
        path.mkdir()
    started = time.monotonic()
    with pytest.raises(DraftError) as refused:
        read_draft(path)
    assert refused.value.code == "not_a_draft" and "folder, device or pipe" in str(refused.value)
    assert time.monotonic() - started < 5


def test_a_file_name_near_the_limit_can_be_saved_again(cn_pack, tmp_path):
    name = "人" * 80 + ".dpia"  # 245 bytes: the old temporary name added the whole name again
    path = tmp_path / name
    shutil.copy(EXAMPLES / "s1-office-turnstiles.dpia", path)
    opened = read_draft(path, cn_pack)
    drafts.save_draft(opened.assessment, path)
    drafts.save_draft(opened.assessment, path)
    assert read_draft(path).assessment.answers == opened.assessment.answers


def test_a_save_killed_half_way_leaves_litter_that_the_next_save_clears(cn_pack, tmp_path):
    path = _s1(tmp_path)
    old = tmp_path / f"{drafts.TEMPORARY_PREFIX}killed{drafts.TEMPORARY_SUFFIX}"
    fresh = tmp_path / f"{drafts.TEMPORARY_PREFIX}saving-now{drafts.TEMPORARY_SUFFIX}"
    someone_elses = tmp_path / ".report.pdf.tmp"
    for litter in (old, fresh, someone_elses):
        litter.write_bytes(b"half a draft")
    an_hour_ago = time.time() - 3600
    os.utime(old, (an_hour_ago, an_hour_ago))
    os.utime(someone_elses, (an_hour_ago, an_hour_ago))
    drafts.save_draft(read_draft(path, cn_pack).assessment, path)
    assert not old.exists(), "ours, and older than any save takes"
    assert fresh.exists(), "another save may be writing it right now"
    assert someone_elses.exists(), "not ours"


def test_a_recovery_copy_with_a_broken_date_is_a_problem_not_a_crash(tmp_path):
    from dpia_app.ui.recovery import FORMAT, SUFFIX, RecoveryStore

    store = RecoveryStore(tmp_path)
    draft = json.loads((EXAMPLES / "s1-office-turnstiles.dpia").read_text(encoding="utf-8"))
    for name, saved_at in (("null", None), ("number", 5), ("text", "yesterday")):
        (tmp_path / f"{name}{SUFFIX}").write_text(json.dumps({"format": FORMAT, "saved_at": saved_at, "draft": draft}), encoding="utf-8")
    (tmp_path / f"deep{SUFFIX}").write_text('{"format": "%s", "draft": %s}' % (FORMAT, "[" * 100_000 + "]" * 100_000), encoding="utf-8")
    found, problems = store.pending()
    assert found == [] and len(problems) == 4


def test_a_suggested_file_name_fits_in_a_file_name_whatever_the_title():
    from dpia_app.ui.assessment_window import SUGGESTED_NAME_BYTES, fit_name

    stem = fit_name("大堂人脸识别闸机" * 30)
    assert len(stem.encode("utf-8")) <= SUGGESTED_NAME_BYTES and stem.startswith("大堂人脸识别闸机")
    assert len(f"{stem}.zh-en.full.v12.pdf.bak".encode("utf-8")) <= 255


@pytest.mark.parametrize("attached, says", [
    (b"[" * 100_000 + b"]" * 100_000, "nested more deeply"),
    (b'{"n": ' + b"9" * 5000 + b"}", "damaged"),
])
def test_import_pdf_of_a_report_whose_draft_is_hostile_says_so(tmp_path, capsys, monkeypatch, attached, says):
    from dpia_app import cli

    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.7 stand-in")
    monkeypatch.setattr("dpia_app.core.draft_in_pdf.draft_from_pdf", lambda data: attached)
    assert cli.main(["import-pdf", str(pdf), "-o", str(tmp_path / "out.dpia")]) == cli.EXIT_BAD_FILE
    assert says in capsys.readouterr().err and not (tmp_path / "out.dpia").exists()


@pytest.mark.skipif(sys.platform == "win32", reason="devices are POSIX")
def test_import_pdf_refuses_a_device(tmp_path, capsys):
    from dpia_app import cli

    assert cli.main(["import-pdf", "/dev/zero", "-o", str(tmp_path / "out.dpia")]) == cli.EXIT_BAD_FILE
    assert "not a file" in capsys.readouterr().err
