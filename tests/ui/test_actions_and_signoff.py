"""The action plan and sign-off pages, driven through their widgets as an officer would."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QTableWidget,
    QWidget,
)

from dpia_app.core.drafts import read_draft
from dpia_app.core.packs import load_builtin_pack
from dpia_app.presentation import outcome_label, reason_text
from dpia_app.ui.actions_page import ActionPlanPage
from dpia_app.ui.session import AssessmentSession
from dpia_app.ui.signoff_page import SignOffPage

EXAMPLE = Path(__file__).parents[2] / "examples" / "s1-office-turnstiles.dpia"
TODAY = dt.date(2026, 11, 20)


@pytest.fixture(scope="module")
def loaded():
    return load_builtin_pack("cn-frt-2025")


@pytest.fixture
def session(loaded):
    opened = read_draft(EXAMPLE, loaded)
    return AssessmentSession(loaded, opened.assessment, path=None, today=lambda: TODAY)


class Recorder:
    """Stands in for a modal message box: remembers what was asked and gives a fixed answer."""

    def __init__(self, answer=None):
        self.answer = answer
        self.calls: list[tuple[str, str]] = []

    def __call__(self, _parent, title, text):
        self.calls.append((title, text))
        return self.answer


@pytest.fixture
def actions_page(qtbot, session):
    page = ActionPlanPage(session)
    qtbot.addWidget(page)
    page.show()
    return page


@pytest.fixture
def signoff_page(qtbot, session):
    page = SignOffPage(session)
    qtbot.addWidget(page)
    page.show()
    return page


# --- driving helpers --------------------------------------------------------------------------

def click(qtbot, widget):
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def click_check(qtbot, box: QCheckBox):
    # On the box itself: a check box stretched across a form only reacts to its box and words.
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))


def click_row(qtbot, table: QTableWidget, row: int):
    rect = table.visualItemRect(table.item(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def row_of(table: QTableWidget, first_cell: str) -> int:
    return next(r for r in range(table.rowCount()) if table.item(r, 0).text() == first_cell)


def tick(qtbot, widget: QListWidget, key: str):
    """Click the entry, then Space: how a person ticks an item of a checkable list."""
    item = next(widget.item(r) for r in range(widget.count()) if widget.item(r).data(Qt.ItemDataRole.UserRole) == key)
    qtbot.mouseClick(widget.viewport(), Qt.MouseButton.LeftButton, pos=widget.visualItemRect(item).center())
    qtbot.keyClick(widget, Qt.Key.Key_Space)
    return item


def choose(qtbot, combo: QComboBox, key: str):
    """Arrow keys on the closed combo box until the wanted entry is shown."""
    target = combo.findData(key)
    assert target >= 0
    step = Qt.Key.Key_Down if target > combo.currentIndex() else Qt.Key.Key_Up
    while combo.currentIndex() != target:
        qtbot.keyClick(combo, step)


def type_date(qtbot, editor, digits: str):
    # A click on the year part selects it; typing fills year, month and day in turn.
    editor.setSelectedSection(QDateTimeEdit.Section.YearSection)
    qtbot.keyClicks(editor, digits)


def replace_text(qtbot, editor, text: str):
    editor.selectAll()
    qtbot.keyClick(editor, Qt.Key.Key_Delete)
    qtbot.keyClicks(editor, text)


def finding(session, rule_id):
    return next(f for f in session.evaluation.findings if f.rule_id == rule_id)


def remove_action(qtbot, page, action_id):
    page.confirm = Recorder(True)
    click_row(qtbot, page.table, row_of(page.table, action_id))
    click(qtbot, page.remove_button)


def hint_ids(page) -> list[str]:
    return [page.hint_list.item(r).data(Qt.ItemDataRole.UserRole) for r in range(page.hint_list.count())]


# --- the action plan ----------------------------------------------------------------------------

def test_table_lists_the_drafts_actions(actions_page):
    table = actions_page.findChild(QTableWidget, "action_table")
    assert [table.item(r, 0).text() for r in range(table.rowCount())] == ["A-1", "A-2", "A-3"]
    row = [table.item(0, c).text() for c in range(table.columnCount())]
    # Linked findings and risks by title, not by id.
    assert row[2:] == ["IT security (Zhou Bin)", "2027-01-15", "Planned", "No intrusion detection and prevention",
                       "Leak or theft of facial information", "Lowers likelihood"]
    assert not actions_page.findChild(QWidget, "action_edit").isEnabled()  # nothing selected yet


def test_removing_asks_first_and_a_no_keeps_the_action(qtbot, actions_page, session):
    actions_page.confirm = Recorder(False)
    click_row(qtbot, actions_page.table, 0)
    click(qtbot, actions_page.findChild(QWidget, "action_remove"))
    assert len(actions_page.confirm.calls) == 1 and "A-1" in actions_page.confirm.calls[0][1]
    assert [a.id for a in session.assessment.actions] == ["A-1", "A-2", "A-3"]

    actions_page.confirm = Recorder(True)
    click(qtbot, actions_page.findChild(QWidget, "action_remove"))
    assert [a.id for a in session.assessment.actions] == ["A-2", "A-3"]
    assert actions_page.table.rowCount() == 2
    # The finding A-1 treated now waits for a dated action, and the hint says so.
    assert not finding(session, "R-SECURITY-08").has_dated_action
    assert hint_ids(actions_page) == ["R-SECURITY-08"]


def test_adding_an_action_links_a_finding_and_a_risk_and_dates_it(qtbot, actions_page, session):
    remove_action(qtbot, actions_page, "A-1")
    click(qtbot, actions_page.findChild(QWidget, "action_add"))
    dialog = actions_page.dialog
    assert dialog.objectName() == "action_dialog" and dialog.isVisible()
    qtbot.keyClicks(dialog.findChild(QPlainTextEdit, "action_measure"), "Install an intrusion prevention system")
    qtbot.keyClicks(dialog.findChild(QLineEdit, "action_owner"), "IT security")
    no_due = dialog.findChild(QCheckBox, "action_no_due")
    assert no_due.isChecked() and not dialog.due.isEnabled()  # undated until the officer picks a date
    click_check(qtbot, no_due)
    type_date(qtbot, dialog.findChild(QWidget, "action_due"), "20270201")
    tick(qtbot, dialog.findChild(QListWidget, "action_findings"), "R-SECURITY-08")
    tick(qtbot, dialog.findChild(QListWidget, "action_risks"), "RISK-BREACH")
    choose(qtbot, dialog.findChild(QComboBox, "action_effect"), "lowers_likelihood")
    click(qtbot, dialog.ok_button)

    assert not dialog.isVisible()
    added = session.assessment.actions[-1]
    assert added.measure == "Install an intrusion prevention system"
    assert added.owner == "IT security"
    assert added.due == dt.date(2027, 2, 1)
    assert added.finding_ids == ["R-SECURITY-08"] and added.risk_ids == ["RISK-BREACH"]
    assert added.effect == "lowers_likelihood" and added.status == "planned"
    assert added.id == "A-4"  # readable, and never reusing A-1's id
    assert finding(session, "R-SECURITY-08").has_dated_action
    assert added.id in next(r for r in session.evaluation.risks if r.risk_id == "RISK-BREACH").action_ids
    row = row_of(actions_page.table, added.id)
    assert actions_page.table.item(row, 3).text() == "2027-02-01"
    assert actions_page.table.item(row, 5).text() == "No intrusion detection and prevention"
    assert hint_ids(actions_page) == []


def test_an_undated_action_leaves_the_finding_in_the_hint(qtbot, actions_page, session):
    remove_action(qtbot, actions_page, "A-1")
    click(qtbot, actions_page.add_button)
    dialog = actions_page.dialog
    qtbot.keyClicks(dialog.measure, "Look into intrusion detection")
    tick(qtbot, dialog.findings, "R-SECURITY-08")
    assert dialog.due_hint.isVisible()  # a high finding needs a date to count as planned
    click(qtbot, dialog.ok_button)
    assert session.assessment.actions[-1].due is None
    assert not finding(session, "R-SECURITY-08").has_dated_action
    assert hint_ids(actions_page) == ["R-SECURITY-08"]


def test_clicking_a_hint_entry_prefills_a_new_action_for_that_finding(qtbot, actions_page, session):
    remove_action(qtbot, actions_page, "A-2")
    hint = actions_page.findChild(QListWidget, "action_hint")
    item = hint.item(0)
    assert item.data(Qt.ItemDataRole.UserRole) == "R-VENDOR-01"
    assert finding(session, "R-VENDOR-01").title.get("en") in item.text()
    qtbot.mouseClick(hint.viewport(), Qt.MouseButton.LeftButton, pos=hint.visualItemRect(item).center())
    dialog = actions_page.dialog
    checked = [dialog.findings.item(r).data(Qt.ItemDataRole.UserRole) for r in range(dialog.findings.count())
               if dialog.findings.item(r).checkState() == Qt.CheckState.Checked]
    assert checked == ["R-VENDOR-01"]
    assert dialog.measure.toPlainText().strip()  # the pack's recommendation, to adapt
    assert dialog.ok_button.isEnabled()
    click_check(qtbot, dialog.no_due)
    type_date(qtbot, dialog.due, "20261231")
    click(qtbot, dialog.ok_button)
    assert finding(session, "R-VENDOR-01").has_dated_action
    assert hint_ids(actions_page) == []


def test_findings_in_the_dialog_are_the_current_ones_most_severe_first(qtbot, actions_page, session):
    dialog = actions_page.open_action_dialog()
    keys = [dialog.findings.item(r).data(Qt.ItemDataRole.UserRole) for r in range(dialog.findings.count())]
    assert keys == [f.rule_id for f in session.evaluation.findings]
    order = {"blocking": 0, "high": 1, "advisory": 2}
    ranks = [order[f.severity] for f in session.evaluation.findings]
    assert ranks == sorted(ranks)
    assert [dialog.risks.item(r).data(Qt.ItemDataRole.UserRole) for r in range(dialog.risks.count())] == [
        r.risk_id for r in session.evaluation.risks]
    assert "residual risk" in dialog.findChild(QComboBox, "action_effect").toolTip()


def test_editing_an_action_keeps_its_id_and_place(qtbot, actions_page, session):
    before = session.assessment.actions[1]
    click_row(qtbot, actions_page.table, 1)
    click(qtbot, actions_page.findChild(QWidget, "action_edit"))
    dialog = actions_page.dialog
    assert dialog.measure.toPlainText() == before.measure
    assert dialog.due.date() == QDate(2026, 12, 31) and not dialog.no_due.isChecked()
    replace_text(qtbot, dialog.measure, "Sign the amended vendor contract")
    choose(qtbot, dialog.findChild(QComboBox, "action_status"), "in_progress")
    click(qtbot, dialog.ok_button)
    after = session.assessment.actions[1]
    assert after.id == before.id == "A-2"
    assert after.measure == "Sign the amended vendor contract" and after.status == "in_progress"
    assert after.finding_ids == before.finding_ids and after.risk_ids == before.risk_ids and after.due == before.due
    assert [a.id for a in session.assessment.actions] == ["A-1", "A-2", "A-3"]
    assert actions_page.table.item(1, 4).text() == "In progress"


def test_ok_is_disabled_while_the_measure_is_blank(qtbot, actions_page, session):
    click(qtbot, actions_page.add_button)
    dialog = actions_page.dialog
    assert not dialog.ok_button.isEnabled() and dialog.ok_hint.isVisible()
    qtbot.keyClicks(dialog.measure, "   ")
    assert not dialog.ok_button.isEnabled()
    qtbot.keyClicks(dialog.measure, "x")
    assert dialog.ok_button.isEnabled() and not dialog.ok_hint.isVisible()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert len(session.assessment.actions) == 3  # cancelling changes nothing


def test_an_invalid_action_is_reported_and_the_dialog_stays_open(qtbot, actions_page, session):
    actions_page.warn = Recorder()
    click(qtbot, actions_page.add_button)
    dialog = actions_page.dialog
    dialog.measure.setPlainText("x" * 10_001)  # longer than a draft accepts; pasted, not typed
    click(qtbot, dialog.ok_button)
    assert len(actions_page.warn.calls) == 1
    assert dialog.isVisible()
    assert len(session.assessment.actions) == 3


# --- sign-offs ------------------------------------------------------------------------------------

def add_signoff(qtbot, page, role, name, decision, *, overrule_reason=None):
    click(qtbot, page.findChild(QWidget, "signoff_add"))
    dialog = page.dialog
    assert dialog.objectName() == "signoff_dialog"
    choose(qtbot, dialog.findChild(QComboBox, "signoff_role"), role)
    qtbot.keyClicks(dialog.findChild(QLineEdit, "signoff_name"), name)
    choose(qtbot, dialog.findChild(QComboBox, "signoff_decision"), decision)
    if overrule_reason is not None:
        click_check(qtbot, dialog.findChild(QCheckBox, "signoff_overrules"))
        qtbot.keyClicks(dialog.findChild(QPlainTextEdit, "signoff_overrule_reason"), overrule_reason)
    click(qtbot, dialog.ok_button)
    assert not dialog.isVisible()


def test_signoff_page_shows_the_verdict_and_the_signoffs(signoff_page, session):
    verdict = signoff_page.findChild(QLabel, "signoff_verdict")
    assert outcome_label(session.evaluation.verdict.outcome, "en") in verdict.text()
    table = signoff_page.findChild(QTableWidget, "signoff_table")
    assert [table.item(r, 1).text() for r in range(table.rowCount())] == ["Wang Min", "Chen Jing", "Liu Yang"]
    assert table.item(1, 0).text().startswith("DPO")
    assert table.item(1, 3).text() == "2026-11-12"
    assert "Go-live only after A-2" in table.item(1, 5).text()
    assert signoff_page.findChild(QLabel, "signoff_problems").isHidden()  # the example signs cleanly


def test_approval_against_the_dpo_without_overruling_is_a_problem(qtbot, signoff_page, session, loaded):
    add_signoff(qtbot, signoff_page, "dpo", "Chen Jing", "do_not_proceed")
    add_signoff(qtbot, signoff_page, "approver", "Liu Yang", "proceed")
    added = session.assessment.signoffs[-2:]
    assert [(s.role, s.decision, s.signed_on) for s in added] == [("dpo", "do_not_proceed", TODAY), ("approver", "proceed", TODAY)]
    codes = [p.code for p in session.evaluation.signoff_problems]
    assert "approval_departs_from_dpo_without_reason" in codes
    problems = signoff_page.findChild(QLabel, "signoff_problems")
    assert not problems.isHidden()
    assert problems.textFormat() == Qt.TextFormat.PlainText
    for problem in session.evaluation.signoff_problems:
        assert reason_text(problem, session.evaluation, loaded.pack, "en") in problems.text()
    assert signoff_page.table.rowCount() == 5


def test_overruling_with_a_reason_clears_the_dpo_problem(qtbot, signoff_page, session):
    add_signoff(qtbot, signoff_page, "dpo", "Chen Jing", "do_not_proceed")
    add_signoff(qtbot, signoff_page, "approver", "Zhao Lei", "proceed_with_conditions", overrule_reason="Board accepts the residual risk.")
    approval = session.assessment.signoffs[-1]
    assert approval.overrules_dpo and approval.overrule_reason == "Board accepts the residual risk."
    departing = [p.ids for p in session.evaluation.signoff_problems if p.code == "approval_departs_from_dpo_without_reason"]
    # Only the earlier approval, given before the DPO changed their advice, is still questioned.
    assert departing == [("3:Liu Yang",)]
    assert signoff_page.table.item(4, 6).text().endswith("Board accepts the residual risk.")


def test_overruling_without_a_reason_disables_ok_and_says_why(qtbot, signoff_page):
    click(qtbot, signoff_page.add_button)
    dialog = signoff_page.dialog
    assert not dialog.ok_button.isEnabled() and dialog.hint.isVisible()  # no name yet
    choose(qtbot, dialog.role, "approver")
    qtbot.keyClicks(dialog.name, "Liu Yang")
    assert dialog.ok_button.isEnabled() and not dialog.hint.isVisible()
    reason = dialog.findChild(QPlainTextEdit, "signoff_overrule_reason")
    assert not reason.isEnabled()
    click_check(qtbot, dialog.findChild(QCheckBox, "signoff_overrules"))
    assert reason.isEnabled()
    assert not dialog.ok_button.isEnabled()
    assert dialog.hint.isVisible() and "reason" in dialog.hint.text()
    qtbot.keyClicks(reason, "The board accepts the residual risk.")
    assert dialog.ok_button.isEnabled() and not dialog.hint.isVisible()


def test_only_an_approver_can_overrule(qtbot, signoff_page):
    click(qtbot, signoff_page.add_button)
    dialog = signoff_page.dialog
    overrules = dialog.findChild(QCheckBox, "signoff_overrules")
    for role in ("assessor", "dpo"):
        choose(qtbot, dialog.role, role)
        assert not overrules.isEnabled()
    choose(qtbot, dialog.role, "approver")
    click_check(qtbot, overrules)
    assert overrules.isChecked()
    choose(qtbot, dialog.role, "dpo")  # changing role drops an overrule the model would refuse
    assert not overrules.isEnabled() and not overrules.isChecked()


def test_new_signoff_is_dated_today(qtbot, signoff_page):
    click(qtbot, signoff_page.add_button)
    assert signoff_page.dialog.findChild(QWidget, "signoff_date").date() == QDate(2026, 11, 20)
    assert signoff_page.dialog.date.displayFormat() == "yyyy-MM-dd"


def test_editing_and_removing_a_signoff(qtbot, signoff_page, session):
    click_row(qtbot, signoff_page.table, 2)
    click(qtbot, signoff_page.findChild(QWidget, "signoff_edit"))
    dialog = signoff_page.dialog
    assert dialog.name.text() == "Liu Yang"
    replace_text(qtbot, dialog.position, "Chief operating officer")
    click(qtbot, dialog.ok_button)
    assert session.assessment.signoffs[2].position == "Chief operating officer"
    assert session.assessment.signoffs[2].name == "Liu Yang"

    signoff_page.confirm = Recorder(True)
    click_row(qtbot, signoff_page.table, 0)
    click(qtbot, signoff_page.findChild(QWidget, "signoff_remove"))
    assert len(signoff_page.confirm.calls) == 1 and "Wang Min" in signoff_page.confirm.calls[0][1]
    assert [s.name for s in session.assessment.signoffs] == ["Chen Jing", "Liu Yang"]


# --- accessibility --------------------------------------------------------------------------------

INPUTS = (QAbstractButton, QLineEdit, QPlainTextEdit, QComboBox, QAbstractSpinBox, QAbstractItemView)


def part_of_another_input(widget: QWidget, root: QWidget) -> bool:
    """A spin box's line edit, a table's header or a combo box's list are parts, not inputs."""
    parent = widget.parentWidget()
    while parent is not None and parent is not root:
        if isinstance(parent, INPUTS):
            return True
        parent = parent.parentWidget()
    return False


def unnamed_inputs(root: QWidget) -> list[str]:
    found = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, INPUTS) or part_of_another_input(widget, root):
            continue
        if widget.window() is not root.window():
            continue  # a dialog is checked on its own
        if not widget.accessibleName().strip():
            found.append(f"{type(widget).__name__} {widget.objectName()!r}")
    return found


def test_every_input_has_an_accessible_name(qtbot, actions_page, signoff_page):
    assert unnamed_inputs(actions_page) == []
    assert unnamed_inputs(signoff_page) == []
    assert unnamed_inputs(actions_page.open_action_dialog()) == []
    assert unnamed_inputs(signoff_page.open_signoff_dialog()) == []


def test_dialog_fields_come_in_tab_order_and_have_mnemonics(qtbot, actions_page, signoff_page):
    dialog = actions_page.open_action_dialog()
    expected = ["action_measure", "action_owner", "action_due", "action_no_due", "action_status",
                "action_findings", "action_risks", "action_effect"]
    assert focus_chain(dialog, expected[0], len(expected)) == expected
    buddies = {label.buddy().objectName() for label in dialog.findChildren(QLabel) if label.buddy() is not None and "&" in label.text()}
    assert {"action_measure", "action_owner", "action_due", "action_status", "action_findings", "action_risks", "action_effect"} <= buddies
    assert isinstance(dialog.findChild(QDialogButtonBox), QDialogButtonBox)

    dialog = signoff_page.open_signoff_dialog()
    expected = ["signoff_role", "signoff_name", "signoff_position", "signoff_date", "signoff_decision",
                "signoff_opinion", "signoff_conditions", "signoff_overrules", "signoff_overrule_reason"]
    assert focus_chain(dialog, expected[0], len(expected)) == expected
    for name in ("action_add", "action_edit", "action_remove"):
        assert "&" in actions_page.findChild(QWidget, name).text()
    for name in ("signoff_add", "signoff_edit", "signoff_remove"):
        assert "&" in signoff_page.findChild(QWidget, name).text()


def focus_chain(dialog: QWidget, start: str, count: int) -> list[str]:
    """The named widgets Tab visits from `start`, skipping the inner parts of composite inputs."""
    widget = dialog.findChild(QWidget, start)
    names = [start]
    while len(names) < count:
        widget = widget.nextInFocusChain()
        if (widget.objectName() and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
                and not part_of_another_input(widget, dialog) and widget.objectName() not in names):
            names.append(widget.objectName())
    return names
