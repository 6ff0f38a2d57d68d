"""The Versions step: the approved versions in the file, Approve, and what changed since the last one.

An impact assessment is redone when the processing changes. Approving freezes the assessment as it
stands (core/versions.py) and work goes on in the draft; this page lists what was approved, says
why Approve is not available when it is not, and lists what changed since the last approved
version (core/changes.py, worded by changes_report.py), each changed answer a link to its question.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..changes_report import change_lines, state_label
from ..core.changes import State, approved_state, compare
from ..core.evaluation import Evaluation
from ..core.versions import (
    CannotApprove,
    approval_blocker,
    is_intact,
    retention_ends,
    summarise,
)
from ..presentation import approval_blocker_text, decision_labels, outcome_label
from .actions_page import (
    KEY_ROLE,
    fit_columns,
    plain_label,
    push_button,
    read_only_table,
    show_error,
    table_cell,
)
from .follow import follow_evaluations
from .language import _, current

RETENTION_YEARS = 3  # PIPL Art. 56, FRT Measures Art. 9: kept for at least three years
QUESTION_ROLE = Qt.ItemDataRole.UserRole + 1


def _headers() -> list[str]:
    return [_("Version"), _("Approved on"), _("Approved by"), _("Decision"), _("Verdict then"), _("Keep until"), _("Content")]


class VersionsPage(QWidget):
    question_requested = Signal(str)

    def __init__(self, session, parent: QWidget | None = None, now: Callable[[], dt.datetime] | None = None):
        super().__init__(parent)
        self.setObjectName("versions_page")
        self.session = session
        self.now = now or (lambda: dt.datetime.now(dt.timezone.utc))
        self.warn: Callable[[QWidget, str, str], None] = show_error
        self._build()
        follow_evaluations(self, session, self.refresh)
        self.refresh()

    def _build(self) -> None:
        self.intro = plain_label()
        self.table = read_only_table("versions_table", _headers())
        self.table.verticalHeader().setVisible(False)
        # The changes below are against the selected version (the last one until another is chosen).
        self.table.itemSelectionChanged.connect(lambda: self._show_changes(self.session.evaluation))
        self.approve_button = push_button(_("&Approve this version"), "versions_approve")
        self.approve_button.clicked.connect(self.approve)
        self.blocker = plain_label()
        self.blocker.setObjectName("versions_blocker")
        self.changes_heading = QLabel()
        self.changes_heading.setObjectName("versions_changes_heading")
        font = self.changes_heading.font()
        font.setBold(True)
        self.changes_heading.setFont(font)
        self.changes = QListWidget()
        self.changes.setObjectName("versions_changes")
        self.changes.setWordWrap(True)
        self.changes.itemActivated.connect(self._open_question)
        self.changes.itemClicked.connect(self._open_question)
        buttons = QHBoxLayout()
        buttons.addWidget(self.approve_button)
        buttons.addWidget(self.blocker, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.changes_heading)
        layout.addWidget(self.changes, 3)
        self._retranslate()

    def _retranslate(self) -> None:
        self.intro.setText(_("Approving freezes the assessment as it stands, with what it concludes, inside this file; "
                             "work then goes on in the draft. Each approved version is kept for at least three years and "
                             "the next reassessment is compared with the last one."))
        self.table.setHorizontalHeaderLabels(_headers())
        self.table.setAccessibleName(_("Approved versions"))
        self.table.setToolTip(_("Select a version to see what changed since it"))
        self.changes.setAccessibleName(_("What changed since the last approved version"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
            self.refresh()
        super().changeEvent(event)

    def refresh(self, evaluation: Evaluation | None = None) -> None:
        evaluation = evaluation or self.session.evaluation
        assessment, language = self.session.assessment, current()
        versions = assessment.approved_versions
        keep_until = {end.number: end.keep_until for end in retention_ends(assessment, RETENTION_YEARS)}
        selected = self._selected_number()
        self.table.blockSignals(True)
        self.table.setRowCount(len(versions))
        decisions = decision_labels(language)
        for row, version in enumerate(reversed(versions)):  # the latest first
            intact = is_intact(version)
            cells = [str(version.number), version.approved_on.isoformat(), version.approved_by, decisions[version.decision],
                     outcome_label(version.summary.verdict, language), keep_until[version.number].isoformat(),
                     _("as approved") if intact else _("changed after approval")]
            for column, text in enumerate(cells):
                self.table.setItem(row, column, table_cell(text, str(version.number)))
            if version.number == selected:
                self.table.selectRow(row)
        self.table.blockSignals(False)
        fit_columns(self.table, stretch=4)
        blocker = approval_blocker(assessment, evaluation)
        self.approve_button.setEnabled(blocker is None)
        self.blocker.setText("" if blocker is None else approval_blocker_text(blocker.code, blocker.details, self.session.pack, language))
        self._show_changes(evaluation)

    def _show_changes(self, evaluation: Evaluation) -> None:
        language = current()
        self.changes.clear()
        versions = self.session.assessment.approved_versions
        if not versions:
            self.changes_heading.setText(_("What changed: nothing to compare yet, there is no approved version."))
            return
        number = self._selected_number() or versions[-1].number
        draft = State(self.session.assessment, summarise(evaluation), self.session.loaded.version)
        changes = compare(approved_state(versions[number - 1]), draft, list(self.session.pack.questions))
        self.changes_heading.setText(_("What changed since %(version)s") % {"version": state_label(changes.before, language)})
        lines = change_lines(changes, self.session.pack, language)
        if not lines:
            self.changes.addItem(QListWidgetItem(_("Nothing has changed.")))
        for line in lines:
            item = QListWidgetItem(line.text)
            if line.question_id:
                # Drawn as a link: activating it goes to the question.
                item.setData(QUESTION_ROLE, line.question_id)
                item.setToolTip(_("Go to the question"))
                item.setForeground(self.palette().link())
            self.changes.addItem(item)

    def _selected_number(self) -> int | None:
        items = self.table.selectedItems()
        key = items[0].data(KEY_ROLE) if items else None
        return int(key) if key else None

    def _open_question(self, item: QListWidgetItem) -> None:
        question_id = item.data(QUESTION_ROLE)
        if question_id:
            self.question_requested.emit(question_id)

    def approve(self) -> None:
        try:
            self.session.approve(self.now())
        except CannotApprove as refusal:
            self.warn(self, _("Cannot approve"), approval_blocker_text(refusal.code, refusal.details, self.session.pack, current()))
