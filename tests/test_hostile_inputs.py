"""Hostile and broken files (issue 13): each gives a clear message, never a traceback, and the
user's file stays as it was."""

from __future__ import annotations

import datetime as dt
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


def test_the_bounded_reader_reads_up_to_its_limit_and_no_further(tmp_path):
    from dpia_app.core.bounded_read import CHUNK, FileTooLarge, read_bounded

    path = tmp_path / "x.dpia"
    for size in (0, 1, 100, CHUNK * 2 + 3):
        path.write_bytes(bytes(range(256)) * (size // 256) + b"x" * (size % 256))
        assert read_bounded(path, CHUNK * 2 + 3) == path.read_bytes()
    with pytest.raises(FileTooLarge):
        read_bounded(path, CHUNK * 2 + 2)


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="Linux: a regular file that reports size 0")
def test_a_file_reporting_no_size_is_still_read_only_up_to_the_limit():
    from dpia_app.core.bounded_read import FileTooLarge, read_bounded

    assert os.stat("/proc/self/status").st_size == 0
    assert b"Pid:" in read_bounded("/proc/self/status", 1 << 20)
    with pytest.raises(FileTooLarge):
        read_bounded("/proc/self/status", 100)


def test_a_name_with_a_nul_is_a_draft_that_does_not_exist(tmp_path):
    with pytest.raises(DraftError) as refused:
        read_draft(tmp_path / "a\0b.dpia")
    assert refused.value.code == "not_found"


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


def test_recovery_copies_with_absurd_process_ids_or_a_date_without_a_zone_are_offered_not_a_crash(tmp_path):
    """Found by bench/robustness.py: a pid of 2**70 made os.kill raise OverflowError, and a date
    without a time zone could not be sorted with the others; either crashed the app at every start."""
    from dpia_app.ui.recovery import FORMAT, SUFFIX, RecoveryStore

    draft = json.loads((EXAMPLES / "s1-office-turnstiles.dpia").read_text(encoding="utf-8"))
    copies = {"huge": (2**70, "2026-11-20T10:00:00+00:00"), "negative": (-(2**70), "2026-11-20T11:00:00+08:00"),
              "float": (1e300, "2026-11-20T09:00:00"), "text": ("12", "2026-11-20T08:00:00"), "a\0b": (2**22 + 7, "2026-11-19T08:00:00")}
    for number, (name, (pid, saved_at)) in enumerate(copies.items()):
        (tmp_path / f"{number}{SUFFIX}").write_text(json.dumps({"format": FORMAT, "pid": pid, "saved_at": saved_at, "original": name,
                                                               "draft": draft}), encoding="utf-8")
    found, problems = RecoveryStore(tmp_path).pending()
    assert problems == []
    # Newest first, dates without a zone as UTC; a name no file can have is no original.
    assert [str(work.original) for work in found] == ["huge", "float", "text", "negative", "None"]


@pytest.mark.parametrize("lock", [
    '{"user": "wang", "machine": "PC-7", "since": "2026-11-30T08:00:00+00:00", "pid": %d}' % 2**70,
    '{"user": "wang", "machine": "PC-7", "since": "2026-11-30T08:00:00+00:00", "pid": 1e400}',
    '{"user": "wang", "machine": "PC-7", "since": "2026-11-30T08:00:00+00:00", "pid": "%s"}' % ("9" * 5000),
    '{"pid": ' + "[" * 2000 + "]" * 2000 + "}",
    "fifo",
    "device",
])
def test_a_hostile_lock_file_next_to_a_draft_is_an_unknown_holder_not_a_crash_or_a_hang(tmp_path, lock):
    """The lock file sits next to the draft, on a shared drive perhaps: whatever it holds, opening
    the draft says it is locked (by someone unknown) and never raises or waits."""
    from dpia_app.core import draft_lock

    draft = tmp_path / "gate.dpia"
    shutil.copyfile(EXAMPLES / "s1-office-turnstiles.dpia", draft)
    path = draft_lock.lock_path(draft)
    if lock == "fifo":
        if sys.platform == "win32":
            pytest.skip("FIFOs are POSIX")
        os.mkfifo(path)
    elif lock == "device":
        if sys.platform == "win32":
            pytest.skip("devices are POSIX")
        path.symlink_to("/dev/zero")
    else:
        path.write_text(lock, encoding="utf-8")
    started = time.monotonic()
    with pytest.raises(draft_lock.DraftLocked) as locked:
        draft_lock.acquire(draft)
    assert time.monotonic() - started < 5
    if lock.endswith("%d}" % 2**70):  # a lock of another machine: its process cannot be looked up
        assert locked.value.holder is not None and locked.value.holder.user == "wang" and not locked.value.stale
    else:
        assert locked.value.holder is None


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:00-14:00", "2026-11-16T09:30:00"])
def test_a_time_at_the_edge_of_the_calendar_or_without_a_zone_is_printed_not_a_crash(cn_pack, tmp_path, moment):
    """Moving year 1 at +14:00 to another zone overflows: the start screen's row, the lock message and
    the report print it as written instead of failing."""
    from dpia_app.core import draft_lock
    from dpia_app.core.evaluation import evaluate
    from dpia_app.core.recent_drafts import describe
    from dpia_app.report.content import build_report

    document = json.loads((EXAMPLES / "s1-office-turnstiles.dpia").read_text(encoding="utf-8"))
    document["metadata"]["modified_at"] = moment
    document["changelog"] = [{"at": moment, "by": "Wang", "summary": "edited by hand"}]
    path = tmp_path / "edge.dpia"
    path.write_text(json.dumps(document), encoding="utf-8")
    row = describe(path, lambda: {cn_pack.id: cn_pack}, dt.date(2026, 12, 3), "en")
    assert row.problem == "" and row.modified.startswith(moment[:4])
    opened = read_draft(path, cn_pack)
    report = build_report(cn_pack, opened.assessment, evaluate(cn_pack, opened.assessment, dt.date(2026, 12, 3)), path.read_bytes(),
                          "en", dt.date(2026, 12, 3), "full")
    when = report.changelog[0][0]
    # Without a zone: UTC, as this app writes times. At the edge: as written, with its offset.
    assert when == {"0001-01-01T00:00:00+14:00": "0001-01-01 00:00 +14:00", "9999-12-31T23:59:00-14:00": "9999-12-31 23:59 -14:00",
                    "2026-11-16T09:30:00": "2026-11-16 09:30 UTC"}[moment]
    draft_lock.lock_path(path).write_text(json.dumps({"user": "wang", "machine": "PC-7", "pid": 7, "since": moment}), encoding="utf-8")
    with pytest.raises(draft_lock.DraftLocked, match="wang on PC-7 since " + moment[:4]):
        draft_lock.acquire(path)


def test_dates_at_the_end_of_the_calendar_are_evaluated_reported_and_listed(cn_pack, tmp_path):
    """Found by bench/robustness.py: an assessment date of 9999-12-31 (Qt's date fields allowed it)
    made every evaluation fail, since no review can be counted twelve months on from there."""
    from dpia_app.core.evaluation import evaluate
    from dpia_app.core.recent_drafts import describe
    from dpia_app.core.times import later_by
    from dpia_app.report.content import build_report

    document = json.loads((EXAMPLES / "s2-mall-vip-recognition.dpia").read_text(encoding="utf-8"))
    document["metadata"]["assessment_date"] = "9999-12-31"
    document["signoffs"] = [{"role": "approver", "name": "Li", "signed_on": "9999-12-31", "decision": "proceed"}]
    path = tmp_path / "end.dpia"
    path.write_text(json.dumps(document), encoding="utf-8")
    assessment = read_draft(path, cn_pack).assessment
    evaluation = evaluate(cn_pack, assessment, dt.date(2026, 12, 3))
    assert evaluation.review.next_review == dt.date.max
    report = build_report(cn_pack, assessment, evaluation, path.read_bytes(), "en", dt.date(2026, 12, 3))
    assert "9999-12-31" in report.retention.main
    assert describe(path, lambda: {cn_pack.id: cn_pack}, dt.date(2026, 12, 3), "en").problem == ""
    # The same counting gives the retention of approved versions and the start screen's reminder.
    assert later_by(dt.date(9999, 12, 31), years=3) == dt.date.max and later_by(dt.date(2024, 1, 31), months=1) == dt.date(2024, 2, 29)


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


# --- item 7: numbers JSON can say but no draft can be written with -----------------------------------


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", "1e400", "-1e400"])
def test_a_draft_holding_nan_or_infinity_is_refused_on_opening(tmp_path, value):
    path = _with_answer(tmp_path, value)
    before = path.read_bytes()
    with pytest.raises(DraftError) as refused:
        read_draft(path)
    assert refused.value.code == "damaged" and "where a number belongs" in str(refused.value)
    assert path.read_bytes() == before


def test_nan_in_memory_is_never_written_as_a_token_no_json_reader_accepts(cn_pack, tmp_path):
    path = _s1(tmp_path)
    before = path.read_bytes()
    assessment = read_draft(path, cn_pack).assessment
    broken = assessment.model_copy(update={"answers": {**assessment.answers, "org.device_count": float("nan")}})
    with pytest.raises(DraftError) as refused:
        drafts.save_draft(broken, path)
    assert refused.value.code == "unwritable_content" and "unchanged" in str(refused.value)
    assert path.read_bytes() == before


# --- item 6: a lone surrogate --------------------------------------------------------------------


def _with_title(tmp_path, escaped_title: str):
    path = _s1(tmp_path)
    document = json.loads(path.read_text(encoding="utf-8"))
    document["metadata"]["title"] = "@@TITLE@@"
    document["notes"]["@@KEY@@"] = "note"
    text = json.dumps(document, ensure_ascii=False).replace("@@TITLE@@", escaped_title).replace("@@KEY@@", "key \\udc00")
    path.write_text(text, encoding="utf-8")
    return path


def test_a_lone_surrogate_is_replaced_on_opening_and_the_draft_saves_again(cn_pack, tmp_path):
    path = _with_title(tmp_path, "Lobby \\udc00 gates \\ud800")
    before = path.read_bytes()
    opened = read_draft(path, cn_pack)
    assert path.read_bytes() == before, "opening never writes"
    assert opened.replaced_characters == 3
    assert opened.assessment.metadata.title == "Lobby \ufffd gates \ufffd"
    assert "key \ufffd" in opened.assessment.notes
    drafts.save_draft(opened.assessment, path)
    reopened = read_draft(path, cn_pack)
    assert reopened.assessment.metadata.title == "Lobby \ufffd gates \ufffd" and reopened.replaced_characters == 0
    path.read_bytes().decode("utf-8")  # strict UTF-8 now


def test_an_escaped_surrogate_pair_is_a_character_not_damage(cn_pack, tmp_path):
    path = _with_title(tmp_path, "Lobby \\ud83d\\ude00")
    opened = read_draft(path, cn_pack)
    assert opened.assessment.metadata.title == "Lobby 😀" and opened.replaced_characters == 1  # only the key's


def test_a_lone_surrogate_in_memory_fails_the_save_with_a_message_and_keeps_the_file(cn_pack, tmp_path):
    path = _s1(tmp_path)
    before = path.read_bytes()
    assessment = read_draft(path, cn_pack).assessment
    broken = assessment.model_copy(update={"notes": {**assessment.notes, "scope.rnd_only": "x\udc00"}})
    with pytest.raises(DraftError) as refused:
        drafts.save_draft(broken, path)
    assert refused.value.code == "unwritable_content"
    assert path.read_bytes() == before
    assert not list(tmp_path.glob(f"{drafts.TEMPORARY_PREFIX}*")), "nothing half-written left behind"


def test_a_recovery_copy_with_a_lone_surrogate_is_recovered_with_the_character_replaced(tmp_path):
    from dpia_app.ui.recovery import FORMAT, SUFFIX, RecoveryStore

    draft = (EXAMPLES / "s1-office-turnstiles.dpia").read_text(encoding="utf-8")
    draft = draft.replace('"title": "', '"title": "\\udc00', 1)
    (tmp_path / f"copy{SUFFIX}").write_text('{"format": "%s", "saved_at": "2026-11-20T10:00:00+00:00", "original": null, "draft": %s}'
                                            % (FORMAT, draft), encoding="utf-8")
    found, problems = RecoveryStore(tmp_path).pending()
    assert problems == [] and found[0].assessment.metadata.title.startswith("\ufffd")


# --- item 9: folders and files that refuse part of a save ------------------------------------------


def test_a_folder_that_cannot_be_synced_after_the_rename_does_not_report_a_failed_save(cn_pack, tmp_path, monkeypatch):
    """A folder without read permission (mode 333) cannot be opened for the fsync that follows the
    rename; the draft IS replaced, so the save succeeded and must not say the file is unchanged."""
    path = _s1(tmp_path)
    opened = read_draft(path, cn_pack)
    changed = opened.assessment.model_copy(update={"metadata": opened.assessment.metadata.model_copy(update={"title": "Saved"})})
    real_open = os.open

    def no_folder_reading(name, flags, *args, **kwargs):
        if os.path.isdir(name):
            raise PermissionError(13, "Permission denied", str(name))
        return real_open(name, flags, *args, **kwargs)

    monkeypatch.setattr(drafts.os, "open", no_folder_reading)
    drafts.save_draft(changed, path)
    monkeypatch.undo()
    assert read_draft(path).assessment.metadata.title == "Saved"


@pytest.mark.skipif(sys.platform == "win32" or not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="POSIX permissions; an administrator may read any folder")
def test_a_draft_in_a_write_only_folder_saves(cn_pack, tmp_path):
    folder = tmp_path / "drop"
    folder.mkdir()
    path = folder / "s1.dpia"
    shutil.copy(EXAMPLES / "s1-office-turnstiles.dpia", path)
    opened = read_draft(path, cn_pack)
    folder.chmod(0o333)
    try:
        drafts.save_draft(opened.assessment.model_copy(update={"metadata": opened.assessment.metadata.model_copy(update={"title": "Saved"})}), path)
    finally:
        folder.chmod(0o755)
    assert read_draft(path).assessment.metadata.title == "Saved"


def test_a_read_only_draft_is_not_replaced(cn_pack, tmp_path):
    path = _s1(tmp_path)
    before = path.read_bytes()
    opened = read_draft(path, cn_pack)
    path.chmod(0o444)
    try:
        with pytest.raises(DraftError) as refused:
            drafts.save_draft(opened.assessment, path)
    finally:
        path.chmod(0o644)
    assert refused.value.code == "read_only_file" and "read-only" in str(refused.value)
    assert path.read_bytes() == before
    assert not list(tmp_path.glob(f"{drafts.TEMPORARY_PREFIX}*"))


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need a privilege on Windows")
def test_saving_through_a_symlink_writes_the_file_it_points_to(cn_pack, tmp_path):
    real = tmp_path / "projects" / "s1.dpia"
    real.parent.mkdir()
    shutil.copy(EXAMPLES / "s1-office-turnstiles.dpia", real)
    link = tmp_path / "s1-link.dpia"
    link.symlink_to(real)
    opened = read_draft(link, cn_pack)
    changed = opened.assessment.model_copy(update={"metadata": opened.assessment.metadata.model_copy(update={"title": "Through the link"})})
    drafts.save_draft(changed, link, on_disk=opened.file_sha256)
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert read_draft(real).assessment.metadata.title == "Through the link"
    assert (real.parent / "s1.dpia.bak").exists() and not (tmp_path / "s1-link.dpia.bak").exists()


# --- item 11: recovery copies belong to a window, not to an assessment id ----------------------------


def test_two_windows_on_one_assessment_id_keep_separate_recovery_copies(cn_pack, tmp_path):
    from dpia_app.ui.recovery import RecoveryStore

    store = RecoveryStore(tmp_path / "recovery")
    assessment = read_draft(_s1(tmp_path), cn_pack).assessment
    first, second = store.new_copy(assessment.metadata.assessment_id), store.new_copy(assessment.metadata.assessment_id)
    assert first != second
    store.write(first, assessment, "assessment", tmp_path / "a.dpia")
    store.write(second, assessment, "assessment", tmp_path / "b.dpia")
    store.discard(first)  # the first window saved
    found, problems = store.pending()
    assert problems == [] and [work.original for work in found] == [tmp_path / "b.dpia"]


@pytest.mark.skipif(sys.platform == "win32", reason="a POSIX child process stands in for another instance")
def test_the_recovery_copy_of_another_running_instance_is_not_offered(cn_pack, tmp_path):
    import subprocess

    from dpia_app.ui.recovery import FORMAT, SUFFIX, RecoveryStore

    draft = json.loads((EXAMPLES / "s1-office-turnstiles.dpia").read_text(encoding="utf-8"))
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        for name, pid in (("running", other.pid), ("crashed", 2**22 + 12345), ("this", os.getpid())):
            (tmp_path / f"{name}{SUFFIX}").write_text(json.dumps({"format": FORMAT, "pid": pid, "saved_at": "2026-11-20T10:00:00+00:00",
                                                                 "original": name, "draft": draft}), encoding="utf-8")
        found, problems = RecoveryStore(tmp_path).pending()
    finally:
        other.kill()
        other.wait()
    assert problems == [] and sorted(str(work.original) for work in found) == ["crashed", "this"]


def test_dpia_check_says_characters_were_replaced(tmp_path, capsys):
    from dpia_app import cli

    path = _with_title(tmp_path, "Lobby \\udc00")
    cli.main(["check", str(path)])
    assert "2 characters no file can hold" in capsys.readouterr().out
    cli.main(["check", str(path), "--json"])
    assert json.loads(capsys.readouterr().out)["replaced_characters"] == 2


# --- limits: drafts near 50 MB ----------------------------------------------------------------------


def test_thousands_of_actions_open_and_a_broken_one_is_located(tmp_path):
    path = _s1(tmp_path)
    document = json.loads(path.read_text(encoding="utf-8"))
    action = document["actions"][0]
    document["actions"] = [dict(action, id=f"A-{i}") for i in range(1, 30_001)]
    path.write_text(json.dumps(document), encoding="utf-8")
    assert len(read_draft(path).assessment.actions) == 30_000  # the duplicate check was quadratic: minutes

    document["actions"][2]["status"] = "half done"
    document["actions"][7]["id"] = "A-1"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(DraftError) as refused:
        read_draft(path)
    assert refused.value.code == "damaged" and "actions.2.status" in str(refused.value)
    document["actions"][2]["status"] = "planned"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(DraftError) as refused:
        read_draft(path)
    assert "action id used twice: A-1" in str(refused.value)
