"""Table questions as a person uses them: wide rows in a form, a row checked once it is left."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QPushButton, QTableWidget, QWidget

from .test_wizard import (
    click_step,
    fill_table,
    fill_row_form,
    new_window,
    open_row_form,
    step_row,
    type_text,
)

ACTIVITY = {
    "activity": "1:1 verification at the turnstile",
    "data_subjects": "Employees",
    "pi_types": "Face template",
    "purpose": "Door access",
    "legal_basis": "consent",
    "storage_place": "on_device",
    "retention": "Until the employee leaves",
    "shared": "no",
    "cross_border": "no",
}


def _activities(qtbot, desktop, size=(1280, 800)):
    window = new_window(qtbot, desktop)
    window.show()
    window.resize(*size)
    click_step(qtbot, window, "section:organisation")
    editor = window.section_pages["organisation"].editors["org.activities"]
    window.section_pages["organisation"].ensureWidgetVisible(editor)
    return window, editor, editor.findChild(QTableWidget, "org.activities:table")


def test_a_wide_table_shows_its_first_columns_and_what_is_left_without_sideways_scrolling(qtbot, desktop):
    window, editor, table = _activities(qtbot, desktop)
    assert not editor.inline
    shown = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount()) if not table.isColumnHidden(c)]
    assert shown == ["Activity *", "Whose information *", "Personal information processed *", "To fill in"]
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    fill_row_form(qtbot, open_row_form(editor), ACTIVITY)
    qtbot.wait(20)
    assert window.session.assessment.answers["org.activities"] == [ACTIVITY]
    assert table.item(0, 0).text() == ACTIVITY["activity"]
    assert table.item(0, table.columnCount() - 1).text() == "✓ Complete"
    assert not table.horizontalScrollBar().isVisible()


def test_the_row_form_names_empty_columns_once_and_then_keeps_an_incomplete_row(qtbot, desktop):
    window, editor, table = _activities(qtbot, desktop)
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    form = open_row_form(editor)
    fill_row_form(qtbot, form, {"activity": "Enrolment at the front desk", "legal_basis": "consent"}, save=False)
    assert form.ok_button.text() == "Save row"
    qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
    # Not saved yet: the seven empty required columns are named at their fields.
    assert form.isVisible()
    assert "7 required columns are empty" in form.summary.text()
    assert form.inputs["retention"].problem.text() == "this column must be filled in"
    assert not form.inputs["activity"].problem.isVisibleTo(form)
    assert form.ok_button.text() == "Save incomplete row"
    qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
    assert not form.isVisible()
    assert window.session.assessment.answers["org.activities"] == [{"activity": "Enrolment at the front desk", "legal_basis": "consent"}]
    left = table.item(0, table.columnCount() - 1).text()
    assert "Retention period" in left or "Retention" in left
    # The table says the same as the form: the row's empty columns, once the row is left.
    assert "row 1" in editor.problem_label.text()


def test_a_value_the_assessment_cannot_read_must_be_corrected_in_the_form(qtbot, desktop):
    window = new_window(qtbot, desktop)
    click_step(qtbot, window, "section:devices")
    editor = window.section_pages["devices"].editors["devices.locations"]
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(editor.edit_button, Qt.MouseButton.LeftButton)  # the narrow table has the form too
    form = open_row_form(editor)
    fill_row_form(qtbot, form, {"location": "Gate 3", "room_type": "entrance_exit", "device_count": "two"}, save=False)
    for _attempt in range(2):  # asking twice does not turn a wrong number into a saved one
        qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
        assert form.isVisible()
        assert "not a whole number" in form.inputs["device_count"].problem.text()
    count = form.inputs["device_count"].widget
    assert isinstance(count, QLineEdit) and form.focusWidget() is count, "the field to correct has the focus"
    count.clear()
    type_text(qtbot, count, "2")
    qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
    assert window.session.assessment.answers["devices.locations"] == [{"location": "Gate 3", "room_type": "entrance_exit", "device_count": 2}]


def test_double_click_opens_a_saved_row_and_the_change_is_kept(qtbot, desktop):
    window, editor, table = _activities(qtbot, desktop)
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    fill_row_form(qtbot, open_row_form(editor), ACTIVITY)
    qtbot.wait(20)
    cell = table.visualItemRect(table.item(0, 1)).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    form = open_row_form(editor)
    assert form.inputs["retention"].widget.text() == ACTIVITY["retention"]
    assert form.inputs["storage_place"].widget.currentData() == "on_device"
    fill_row_form(qtbot, form, {"retention": "30 days after leaving"})
    assert window.session.assessment.answers["org.activities"] == [{**ACTIVITY, "retention": "30 days after leaving"}]
    qtbot.wait(20)
    # Enter on the selected row opens it as well.
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert open_row_form(editor).inputs["retention"].widget.text() == "30 days after leaving"


def test_a_row_is_checked_when_it_is_left_and_the_step_count_follows(qtbot, desktop):
    window = new_window(qtbot, desktop)
    window.show()
    qtbot.waitExposed(window)
    click_step(qtbot, window, "section:devices")
    editor = window.section_pages["devices"].editors["devices.locations"]
    table = editor.findChild(QTableWidget, "devices.locations:table")
    step = window.step_list.item(step_row(window, "section:devices"))
    before = step.text()
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    table.editItem(table.item(0, 0))
    cell = table.indexWidget(table.model().index(0, 0))
    type_text(qtbot, cell, "Lobby")
    qtbot.keyClick(cell, Qt.Key.Key_Tab)  # still in the row: the user is typing it
    assert window.session.assessment.answers["devices.locations"] == [{"location": "Lobby"}]
    assert not editor.problem_label.isVisibleTo(editor)
    assert step.text() == before, "the row being typed adds nothing to the step's count yet"
    # Leaving the row (here, for the list of steps) shows what it lacks, and counts it.
    window.step_list.setFocus()
    qtbot.wait(10)
    assert editor.problem_label.isVisibleTo(editor)
    assert "row 1" in editor.problem_label.text()
    assert step.text() != before


def test_leaving_the_step_checks_the_row_being_typed(qtbot, desktop):
    window = new_window(qtbot, desktop)
    click_step(qtbot, window, "section:devices")
    editor = window.section_pages["devices"].editors["devices.locations"]
    table = editor.findChild(QTableWidget, "devices.locations:table")
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    table.editItem(table.item(0, 0))
    cell = table.indexWidget(table.model().index(0, 0))
    type_text(qtbot, cell, "Lobby")
    qtbot.keyClick(cell, Qt.Key.Key_Tab)
    window.go_to_step(step_row(window, "details"))  # a shortcut or menu: focus need not move first
    assert "row 1" in editor.problem_label.text()
    assert editor.held_back_problems() == 0


def test_the_device_count_follows_the_table_and_a_difference_is_pointed_out(qtbot, desktop):
    window = new_window(qtbot, desktop)
    click_step(qtbot, window, "section:devices")
    editor = window.section_pages["devices"].editors["devices.locations"]
    fill_table(qtbot, editor, "devices.locations", [{"location": "Gate 1", "room_type": "entrance_exit", "device_count": 3},
                                                     {"location": "Lobby", "room_type": "lobby_corridor", "device_count": 2}])
    click_step(qtbot, window, "section:organisation")
    count = window.findChild(QLineEdit, "org.device_count")
    assert count.text() == "5" and window.session.assessment.answers["org.device_count"] == 5
    hint = window.findChild(QWidget, "org.device_count:table_hint")
    assert not hint.isVisibleTo(window)
    count.clear()
    type_text(qtbot, count, "12")
    assert "gives: 5" in hint.text() and hint.isVisibleTo(window)
    qtbot.mouseClick(window.findChild(QPushButton, "org.device_count:use_table"), Qt.MouseButton.LeftButton)
    assert count.text() == "5" and window.session.assessment.answers["org.device_count"] == 5
    assert not hint.isVisibleTo(window)
