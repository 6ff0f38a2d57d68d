"""Opening a draft someone else is editing: read-only (changes go to a copy) or take it over."""

from __future__ import annotations

import json

from dpia_app.core.draft_lock import acquire, lock_path, read_holder

from .test_wizard import _copy_example


def test_a_draft_in_use_opens_read_only_and_saves_only_as_a_copy(qtbot, desktop, tmp_path):
    draft = _copy_example(tmp_path, "s1-office-turnstiles.dpia")
    theirs = acquire(draft, take_over=True)  # as another user's app would have it
    asked = []
    desktop.ask_locked = lambda locked: asked.append(locked.holder.token) or "read_only"
    window = desktop.open_path(draft)
    assert asked == [theirs.holder.token] and window.session.read_only
    assert "(read-only)" in window.windowTitle()
    window.session.update_metadata(title="Mine")
    copy = tmp_path / "mine.dpia"
    window.ask_save_path = lambda title: copy
    window.action_save.trigger()
    assert json.loads(copy.read_text(encoding="utf-8"))["metadata"]["title"] == "Mine"
    assert json.loads(draft.read_text(encoding="utf-8"))["metadata"]["title"] != "Mine", "their file untouched"
    assert not window.session.read_only and read_holder(lock_path(copy)).token == window.session.lock.holder.token
    assert read_holder(lock_path(draft)).token == theirs.holder.token, "their lock stays"
    window.close()
    assert not lock_path(copy).exists(), "released on close"


def test_taking_over_and_cancel(qtbot, desktop, tmp_path):
    draft = _copy_example(tmp_path, "s1-office-turnstiles.dpia")
    acquire(draft, take_over=True)
    desktop.ask_locked = lambda locked: "cancel"
    assert desktop.open_path(draft) is None and desktop.windows == []
    desktop.ask_locked = lambda locked: "take_over"
    window = desktop.open_path(draft)
    assert not window.session.read_only and read_holder(lock_path(draft)).token == window.session.lock.holder.token
    window.close()
    assert not lock_path(draft).exists()
