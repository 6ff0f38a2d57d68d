"""Saves that fail, and windows that share an assessment id (issue 13): the user is told, the work
stays in the window, and one window's save never throws away another window's unsaved work."""

from __future__ import annotations

import json
import shutil

from dpia_app.core import drafts

from .test_changed_on_disk_window import _edit_title
from .test_wizard import EXAMPLES


def _two_copies(tmp_path):
    first, second = tmp_path / "site-a.dpia", tmp_path / "site-b.dpia"
    for path in (first, second):
        shutil.copy(EXAMPLES / "s1-office-turnstiles.dpia", path)  # copied in the file manager: one assessment id
    return first, second


def _recovery_copies(tmp_path):
    return sorted((tmp_path / "recovery").glob("*.dpia-recovery"))


def test_saving_one_of_two_windows_with_the_same_assessment_id_keeps_the_others_recovery_copy(qtbot, desktop, tmp_path):
    first, second = _two_copies(tmp_path)
    window_a, window_b = desktop.open_path(first), desktop.open_path(second)
    assert window_a is not window_b
    _edit_title(qtbot, window_a, "Site A")
    _edit_title(qtbot, window_b, "Site B, unsaved")
    for window in (window_a, window_b):
        window.autosave.setInterval(10)
        window.autosave.start()
    qtbot.waitUntil(lambda: len(_recovery_copies(tmp_path)) == 2, timeout=3000)
    assert window_a.save()
    copies = _recovery_copies(tmp_path)
    assert copies == [window_b.recovery_copy]
    envelope = json.loads(copies[0].read_text(encoding="utf-8"))
    assert envelope["draft"]["metadata"]["title"] == "Site B, unsaved" and envelope["original"] == str(second)


def test_a_read_only_draft_is_not_saved_over_and_the_changes_stay(qtbot, desktop, tmp_path):
    draft = tmp_path / "s1.dpia"
    shutil.copy(EXAMPLES / "s1-office-turnstiles.dpia", draft)
    before = draft.read_bytes()
    window = desktop.open_path(draft)
    _edit_title(qtbot, window, "Mine")
    draft.chmod(0o444)
    try:
        window.action_save.trigger()
    finally:
        draft.chmod(0o644)
    assert draft.read_bytes() == before
    assert desktop.errors and "read-only" in desktop.errors[-1][1]
    assert window.session.dirty and window.session.assessment.metadata.title == "Mine"


def test_a_save_failing_in_an_unforeseen_way_is_a_message_and_the_work_stays(qtbot, desktop, tmp_path, monkeypatch):
    draft = tmp_path / "s1.dpia"
    shutil.copy(EXAMPLES / "s1-office-turnstiles.dpia", draft)
    before = draft.read_bytes()
    window = desktop.open_path(draft)
    _edit_title(qtbot, window, "Mine")

    def broken_disk(*_args, **_kwargs):
        raise RuntimeError("the disk driver gave up")

    monkeypatch.setattr(drafts, "write_atomically", broken_disk)
    window.action_save.trigger()
    assert draft.read_bytes() == before
    assert "the disk driver gave up" in desktop.errors[-1][1] and "still here, unsaved" in desktop.errors[-1][1]
    assert window.session.dirty and window.session.assessment.metadata.title == "Mine"
    monkeypatch.undo()
    assert window.save() and not window.session.dirty


def test_a_draft_with_broken_unicode_opens_says_what_was_replaced_and_saves(qtbot, desktop, tmp_path):
    draft = tmp_path / "s1.dpia"
    text = (EXAMPLES / "s1-office-turnstiles.dpia").read_text(encoding="utf-8").replace('"title": "', '"title": "\\udc00', 1)
    draft.write_text(text, encoding="utf-8")
    window = desktop.open_path(draft)
    assert window is not None and window.session.dirty, "the text differs from the file until saved"
    assert "1 character that no file can hold" in desktop.errors[-1][1] and "\ufffd" in desktop.errors[-1][1]
    assert window.save()
    assert drafts.read_draft(draft).assessment.metadata.title.startswith("\ufffd")
