"""Pages that follow the evaluation refresh while shown, and catch up when shown again."""

import datetime as dt

from PySide6.QtWidgets import QWidget

from dpia_app.core.drafts import new_assessment
from dpia_app.ui.follow import follow_evaluations
from dpia_app.ui.session import AssessmentSession


def test_hidden_page_catches_up_when_shown(qtbot, cn_pack):
    session = AssessmentSession(cn_pack, new_assessment(cn_pack), today=lambda: dt.date(2026, 11, 20))
    page = QWidget()
    qtbot.addWidget(page)
    seen = []
    follow_evaluations(page, session, seen.append)
    page.show()
    session.set_answer("scope.rnd_only", "no")
    assert len(seen) == 1
    page.hide()
    session.set_answer("scope.recognition_mode", "verification")
    session.set_answer("scope.processing_location", "mainland_only")
    assert len(seen) == 1  # no work while hidden
    page.show()
    assert len(seen) == 2 and seen[-1] is session.evaluation
