"""The desktop app as the GUI tests drive it: its own settings folder, English, no blocking dialogs."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from dpia_app.ui import language
from dpia_app.ui.app import DesktopApp
from dpia_app.ui.assessment_window import AssessmentWindow
from dpia_app.ui.preferences import Preferences
from dpia_app.ui.recovery import RecoveryStore

from ..conftest import TODAY


@pytest.fixture
def desktop(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("DPIA_APP_CONFIG_DIR", str(tmp_path / "config"))
    language.apply("en")
    app = DesktopApp(Preferences(tmp_path / "config"), RecoveryStore(tmp_path / "recovery"), today=lambda: TODAY)
    app.errors = []
    app.show_error = lambda title, text: app.errors.append((title, text))
    app.ask_locked = _unexpected_lock

    def configure(window: AssessmentWindow) -> None:
        # No test may ever block on a modal dialog; tests that check a prompt replace this.
        window.ask_unsaved = lambda: QMessageBox.StandardButton.Discard
        window.show_error = lambda text: app.errors.append(("save", text))
        window.ask_save_before_export = _unexpected_save_question
        # Not handed to qtbot: a closed window deletes itself, and the fixture closes the rest.

    app.configure_window = configure
    yield app
    for window in list(app.windows):
        window.ask_unsaved = lambda: QMessageBox.StandardButton.Discard
        window.close()
    if app.start is not None:
        app.start.close()
    language.apply("en")


def _unexpected_save_question() -> bool:
    """An opened example must not count as changed: a stale one (the pack changed since it was saved)
    would otherwise wait forever on this modal question in every export test."""
    raise AssertionError("unexpected question 'save before exporting?': is an example stale? Run tools/refresh_examples.py")


def _unexpected_lock(locked) -> str:
    """No test may wait on the "draft in use" question; one that expects it answers it itself. A
    lock left by an earlier, interrupted test run (its process is gone) is taken over."""
    if locked.stale:
        return "take_over"
    raise AssertionError(f"unexpected question 'draft in use': {locked}")
