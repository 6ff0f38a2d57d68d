"""Pages that show the latest evaluation refresh when they are on screen, not on every keystroke."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget

from ..core.evaluation import Evaluation
from .session import AssessmentSession


class _FollowWhileShown(QObject):
    def __init__(self, page: QWidget, session: AssessmentSession, refresh: Callable[[Evaluation], None]):
        super().__init__(page)
        self.page = page
        self.session = session
        self.refresh = refresh
        self.stale = False
        page.installEventFilter(self)
        session.evaluated.connect(self._evaluated)

    def _evaluated(self, evaluation: Evaluation) -> None:
        if self.page.isVisible():
            self.refresh(evaluation)
        else:
            self.stale = True  # a hidden risk matrix or table would only cost typing speed

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.page and event.type() == QEvent.Type.Show and self.stale:
            self.stale = False
            self.refresh(self.session.evaluation)
        return False


def follow_evaluations(page: QWidget, session: AssessmentSession, refresh: Callable[[Evaluation], None]) -> None:
    """Call `refresh` with each new evaluation while `page` is shown, and once when it is shown again."""
    _FollowWhileShown(page, session, refresh)
