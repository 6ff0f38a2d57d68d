"""Pages that show the latest evaluation refresh when they are on screen, not on every keystroke."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget

from ..core.evaluation import Evaluation
from .session import AssessmentSession


class _FollowWhileShown(QObject):
    def __init__(self, page: QWidget, session: AssessmentSession, refresh: Callable[[Evaluation], None]):
        # No Qt parent: as the page's child it could be half torn down while the page's own
        # destructor still delivers events to it. The page keeps it alive from Python instead.
        super().__init__()
        self.page = page
        self.session = session
        self.refresh = refresh
        self.stale = False
        self.alive = True
        page.installEventFilter(self)
        session.evaluated.connect(self._evaluated)
        page.destroyed.connect(self._detach)

    def _detach(self) -> None:
        self.alive = False
        try:
            self.session.evaluated.disconnect(self._evaluated)
        except (RuntimeError, TypeError):
            pass  # already disconnected

    def _evaluated(self, evaluation: Evaluation) -> None:
        if not self.alive:
            return
        if self.page.isVisible():
            self.refresh(evaluation)
        else:
            self.stale = True  # a hidden risk matrix or table would only cost typing speed

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if self.alive and self.stale and event.type() == QEvent.Type.Show and watched is self.page:
            self.stale = False
            self.refresh(self.session.evaluation)
        return False


def follow_evaluations(page: QWidget, session: AssessmentSession, refresh: Callable[[Evaluation], None]) -> None:
    """Call `refresh` with each new evaluation while `page` is shown, and once when it is shown again."""
    page._follow_evaluations = _FollowWhileShown(page, session, refresh)  # type: ignore[attr-defined]
