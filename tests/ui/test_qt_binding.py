"""The Qt binding must not corrupt Python's reference counts (PySide6 6.12.0 did, under Python 3.11)."""

import sys

from PySide6.QtWidgets import QLabel, QWidget


def test_void_calls_and_missing_properties_keep_none_alive(qtbot):
    # Before Python 3.12 None is an ordinary object: a binding that releases a reference it never
    # took crashes the app ("deallocating None") after a few thousand edits.
    widget = QWidget()
    label = QLabel("x", widget)
    qtbot.addWidget(widget)
    before = sys.getrefcount(None)
    for _ in range(2000):
        label.setVisible(False)
        widget.property("no_such_property")
    assert sys.getrefcount(None) - before > -50
