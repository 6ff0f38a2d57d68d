"""Saving a draft someone else saved meanwhile: the window asks, and nothing is overwritten."""

from __future__ import annotations

import json

from PySide6.QtWidgets import QLineEdit

from ..test_changed_on_disk import _saved_elsewhere
from .test_wizard import _copy_example, click_step, type_text


def _title_field(qtbot, window) -> QLineEdit:
    click_step(qtbot, window, "details")
    return window.pages.currentWidget().findChild(QLineEdit, "meta.title")


def _edit_title(qtbot, window, text):
    field = _title_field(qtbot, window)
    field.selectAll()
    type_text(qtbot, field, text)


def test_save_mine_as_a_copy_leaves_their_file_as_they_saved_it(qtbot, desktop, tmp_path):
    draft = _copy_example(tmp_path, "s1-office-turnstiles.dpia")
    window = desktop.open_path(draft)
    _edit_title(qtbot, window, "Mine")
    _saved_elsewhere(draft)
    asked = []
    window.ask_changed_on_disk = lambda: asked.append("asked") or "copy"
    copy = tmp_path / "mine.dpia"
    window.ask_save_path = lambda title: copy
    window.action_save.trigger()  # File → Save
    assert asked == ["asked"]
    assert json.loads(draft.read_text(encoding="utf-8"))["metadata"]["title"] == "Saved by a colleague"
    assert json.loads(copy.read_text(encoding="utf-8"))["metadata"]["title"] == "Mine"
    assert window.session.path == copy and not window.session.dirty


def test_reload_takes_their_version_and_cancel_keeps_mine_unsaved(qtbot, desktop, tmp_path):
    draft = _copy_example(tmp_path, "s1-office-turnstiles.dpia")
    window = desktop.open_path(draft)
    _edit_title(qtbot, window, "Mine")
    _saved_elsewhere(draft)
    window.ask_changed_on_disk = lambda: "cancel"
    assert not window.save()
    assert window.session.dirty and window.session.assessment.metadata.title == "Mine"
    window.ask_changed_on_disk = lambda: "reload"
    assert not window.save()
    assert window.session.assessment.metadata.title == "Saved by a colleague" and not window.session.dirty
    assert _title_field(qtbot, window).text() == "Saved by a colleague", "the page shows their version"
    _edit_title(qtbot, window, "Mine, on theirs")
    assert window.save()
    assert json.loads(draft.read_text(encoding="utf-8"))["metadata"]["title"] == "Mine, on theirs"
