"""A modal question with two named answers and Cancel, returning the key of the answer chosen."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


def ask_choice(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str,
               safe: tuple[str, str], risky: tuple[str, str]) -> str:
    """`safe` and `risky` are (key, button text); the safe answer is the default, Cancel gives "cancel"."""
    box = QMessageBox(icon, title, text, parent=parent)
    safe_button = box.addButton(safe[1], QMessageBox.ButtonRole.AcceptRole)
    risky_button = box.addButton(risky[1], QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(safe_button)
    box.exec()
    return {safe_button: safe[0], risky_button: risky[0]}.get(box.clickedButton(), "cancel")
