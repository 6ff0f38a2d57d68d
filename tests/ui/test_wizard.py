"""The wizard as a person uses it: start, answer every section, see findings, save, reopen, recover."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtGui import QInputMethodEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCalendarWidget,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QRadioButton,
    QTableWidget,
    QTextBrowser,
    QToolButton,
    QWidget,
)

from dpia_app.core.drafts import read_draft
from dpia_app.ui.app import DesktopApp
from dpia_app.ui.assessment_window import AssessmentWindow
from dpia_app.ui.preferences import Preferences
from dpia_app.ui.recovery import RecoveryStore
from dpia_app.ui.table_row_form import RowForm

EXAMPLES = Path(__file__).parents[2] / "examples"
TODAY = dt.date(2026, 11, 20)


def new_window(qtbot, desktop) -> AssessmentWindow:
    start = desktop.show_start()
    qtbot.mouseClick(start.new_button, Qt.MouseButton.LeftButton)
    return desktop.windows[-1]


def step_row(window: AssessmentWindow, key: str) -> int:
    return next(i for i, step in enumerate(window.steps) if step.key == key)


def click_step(qtbot, window: AssessmentWindow, key: str) -> None:
    row = step_row(window, key)
    item = window.step_list.item(row)
    window.step_list.scrollToItem(item)
    qtbot.mouseClick(window.step_list.viewport(), Qt.MouseButton.LeftButton, pos=window.step_list.visualItemRect(item).center())
    assert window.step_list.currentRow() == row


def type_text(qtbot, widget: QWidget, text: str) -> None:
    """Type as a person does: ASCII on the keyboard, Chinese committed by the input method."""
    widget.setFocus()
    for chunk in re.findall(r"[\x00-\x7f]+|[^\x00-\x7f]+", text):
        if chunk.isascii():
            qtbot.keyClicks(widget, chunk)
        else:
            event = QInputMethodEvent()
            event.setCommitString(chunk)
            QApplication.sendEvent(widget.focusProxy() or widget, event)


def answer(qtbot, window: AssessmentWindow, question_id: str, value) -> None:
    """Answer one question through its widgets, the way a person would."""
    section = window.session.pack.section_of(question_id)
    if window.current_step().section is not section:
        click_step(qtbot, window, f"section:{section.id}")
    editor = window.section_pages[section.id].editors[question_id]
    assert editor.isVisibleTo(window.section_pages[section.id]), f"{question_id} is hidden"
    window.section_pages[section.id].ensureWidgetVisible(editor)
    kind = editor.question.type
    if kind in ("yes_no", "single_choice"):
        qtbot.mouseClick(editor.findChild(QRadioButton, f"{question_id}:{value}"), Qt.MouseButton.LeftButton)
    elif kind == "multi_choice":
        # Tick what should be ticked and untick the rest (some answers arrive filled from a table).
        for box in editor.findChildren(QCheckBox):
            if box.objectName().startswith(f"{question_id}:") and box.isChecked() != (box.objectName().partition(":")[2] in value):
                qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
    elif kind in ("short_text", "integer"):
        line = editor.findChild(QLineEdit, question_id)
        line.clear()
        type_text(qtbot, line, str(value))
    elif kind == "long_text":
        type_text(qtbot, editor.findChild(QPlainTextEdit, question_id), value)
    elif kind == "date":
        # Typed as people write dates; leaving the field (Enter or Tab) records it.
        date = editor.findChild(QLineEdit, question_id)
        date.clear()
        type_text(qtbot, date, value)
        qtbot.keyClick(date, Qt.Key.Key_Return)
    elif kind == "group":
        fill_table(qtbot, editor, question_id, value)
    else:  # pragma: no cover
        raise AssertionError(kind)


def fill_table(qtbot, editor, question_id: str, rows: list[dict]) -> None:
    table = editor.findChild(QTableWidget, f"{question_id}:table")
    fields = editor.question.fields
    for row_values in rows:
        qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
        if not editor.inline:
            fill_row_form(qtbot, open_row_form(editor), row_values)
            continue
        row = table.rowCount() - 1
        for column, table_field in enumerate(fields):
            value = row_values.get(table_field.id)
            if value is None:
                continue
            widget = table.cellWidget(row, column)
            if isinstance(widget, QComboBox):
                widget.setCurrentIndex(widget.findData(value))
            else:
                table.setCurrentCell(row, column)
                table.editItem(table.item(row, column))
                cell_editor = table.indexWidget(table.model().index(row, column))  # the editor it just opened
                assert isinstance(cell_editor, QLineEdit)
                type_text(qtbot, cell_editor, str(value))
                qtbot.keyClick(cell_editor, Qt.Key.Key_Tab)  # move on to the next cell, committing this one


def open_row_form(editor) -> RowForm:
    forms = [form for form in editor.findChildren(RowForm) if form.isVisible()]
    assert len(forms) == 1, "one row form is open"
    return forms[0]


def fill_row_form(qtbot, form: RowForm, values: dict, save: bool = True) -> None:
    """Fill the row form field by field and save the row, as a person would."""
    for field_id, value in values.items():
        widget = form.inputs[field_id].widget
        if isinstance(widget, QComboBox):
            widget.setCurrentIndex(widget.findData(value))
        else:
            widget.clear()
            type_text(qtbot, widget, str(value))
    if save:
        qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)


def canonical(pack, answers: dict) -> dict:
    """Answers with multiple choices as sets: the wizard keeps them in the pack's option order."""
    return {q: frozenset(v) if pack.question(q).type == "multi_choice" else v for q, v in answers.items()}


def finding_ids(window: AssessmentWindow) -> list[str]:
    return [window.findings_panel.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(window.findings_panel.list.count())]


def test_fill_every_section_of_s1_through_the_widgets_save_and_reopen(qtbot, desktop, tmp_path):
    window = new_window(qtbot, desktop)
    expected = read_draft(EXAMPLES / "s1-office-turnstiles.dpia").assessment.answers
    # Details, typed like a person.
    click_step(qtbot, window, "details")
    type_text(qtbot, window.findChild(QLineEdit, "meta.title"), "Lobby turnstiles 大堂闸机")
    type_text(qtbot, window.findChild(QLineEdit, "meta.organisation"), "Shanghai Lanting Software Co., Ltd.")
    pack = window.session.pack
    for question_id in pack.questions:  # the pack's order: follow-ups appear as their parents are answered
        if question_id in expected:
            answer(qtbot, window, question_id, expected[question_id])
    assert canonical(pack, window.session.assessment.answers) == canonical(pack, expected)
    evaluation = window.session.evaluation
    assert evaluation.missing_required == () and evaluation.answer_problems == ()
    assert evaluation.verdict.outcome == "proceed_with_conditions"
    # Every applicable section is marked complete in the side list.
    for row, step in enumerate(window.steps):
        if step.section is not None and step.section.id in evaluation.visible_sections:
            assert window.step_list.item(row).text().startswith("✓"), step.title
    assert window.isWindowModified()

    target = tmp_path / "lobby.dpia"
    window.ask_save_path = lambda _title: target
    window.action_save.trigger()
    assert not window.isWindowModified() and target.exists()
    window.close()
    reopened = desktop.open_path(target)
    assert canonical(pack, reopened.session.assessment.answers) == canonical(pack, expected)
    assert reopened.session.assessment.metadata.title == "Lobby turnstiles 大堂闸机"
    click_step(qtbot, reopened, "section:alternatives")
    assert reopened.findChild(QRadioButton, "alt.non_face_method:yes").isChecked()
    click_step(qtbot, reopened, "section:scale")
    assert reopened.findChild(QLineEdit, "scale.stored_individuals").text() == "800"


def blocking_alternative_findings(window: AssessmentWindow) -> list[str]:
    shown = set(finding_ids(window))
    return [f.rule_id for f in window.session.evaluation.findings
            if f.rule_id in shown and f.severity == "blocking" and "FRT-10" in f.refs]


def test_blocking_finding_appears_and_disappears_as_an_answer_changes(qtbot, desktop):
    window = desktop.open_path(EXAMPLES / "s1-office-turnstiles.dpia")
    assert blocking_alternative_findings(window) == []
    answer(qtbot, window, "alt.non_face_method", "no")
    appeared = blocking_alternative_findings(window)
    assert appeared, "no alternative to the face must raise a blocking FRT-10 finding"
    assert window.session.evaluation.verdict.outcome == "must_not_proceed"
    # Clicking the finding shows its details; the answer behind it is a button to its question.
    click_step(qtbot, window, "details")
    item = next(window.findings_panel.list.item(i) for i in range(window.findings_panel.list.count())
                if window.findings_panel.list.item(i).data(Qt.ItemDataRole.UserRole) == appeared[0])
    qtbot.mouseClick(window.findings_panel.list.viewport(), Qt.MouseButton.LeftButton, pos=window.findings_panel.list.visualItemRect(item).center())
    details = window.finding_details
    assert details.isVisible() and details.rule_id == appeared[0]
    link = details.cause_buttons["alt.non_face_method"]
    qtbot.mouseClick(link, Qt.MouseButton.LeftButton, pos=QPoint(4, link.fontMetrics().height() // 2))
    assert window.current_step().key == "section:alternatives"
    answer(qtbot, window, "alt.non_face_method", "yes")
    assert blocking_alternative_findings(window) == []
    assert window.session.evaluation.verdict.outcome == "proceed_with_conditions"


def test_follow_up_questions_show_and_hide(qtbot, desktop):
    window = new_window(qtbot, desktop)
    click_step(qtbot, window, "section:consent")
    page = window.section_pages["consent"]
    separate = page.editors["consent.separate"]
    assert not separate.isVisibleTo(page)
    answer(qtbot, window, "consent.legal_basis", "consent")
    assert separate.isVisibleTo(page)
    assert separate.required_mark.isVisibleTo(page)
    answer(qtbot, window, "consent.separate", "yes")
    assert not separate.required_mark.isVisibleTo(page)


def test_help_follows_the_focused_question(qtbot, desktop):
    window = new_window(qtbot, desktop)
    click_step(qtbot, window, "section:alternatives")
    button = window.findChild(QRadioButton, "alt.non_face_method:yes")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "FRT Measures Art. 10" in window.help_panel.browser.toPlainText())


def test_closing_with_unsaved_work_asks_and_cancel_keeps_the_window(qtbot, desktop):
    window = new_window(qtbot, desktop)
    answer(qtbot, window, "scope.rnd_only", "no")
    asked = []
    window.ask_unsaved = lambda: asked.append(1) or QMessageBox.StandardButton.Cancel
    assert not window.close()
    assert asked and window.isVisible()


def test_recovery_after_a_crash(qtbot, desktop, tmp_path):
    window = new_window(qtbot, desktop)
    answer(qtbot, window, "scope.rnd_only", "no")
    answer(qtbot, window, "scope.recognition_mode", "verification")
    window.autosave.setInterval(50)
    window.autosave.start()
    qtbot.waitUntil(lambda: any((tmp_path / "recovery").glob("*.dpia-recovery")), timeout=3000)
    # A crash: the process dies without closing the window; a new app starts on the same machine.
    window.ask_unsaved = lambda: QMessageBox.StandardButton.Discard
    window.autosave.stop()
    window.hide()
    restarted = DesktopApp(desktop.preferences, RecoveryStore(tmp_path / "recovery"), today=lambda: TODAY)
    restarted.configure_window = desktop.configure_window
    restarted.ask_recover = lambda _text: True
    recovered = restarted.offer_recovery()
    assert len(recovered) == 1
    session = recovered[0].session
    assert session.answer("scope.recognition_mode") == "verification" and session.dirty
    recovered[0].close()
    assert not any((tmp_path / "recovery").glob("*.dpia-recovery"))


def test_corrupt_file_from_the_start_screen_gives_a_message_and_the_app_stays_up(qtbot, desktop, tmp_path):
    broken = tmp_path / "broken.dpia"
    broken.write_bytes(b'{"format": "dpia-draft", "format_version": 1, "answers": {"a": ')
    desktop.preferences.add_recent_file(broken)
    start = desktop.show_start()
    qtbot.addWidget(start)
    recent = start.findChild(QListWidget, "recent")
    assert "Cannot be opened" in recent.item(0).text()
    recent.setCurrentRow(0)
    qtbot.keyClick(recent, Qt.Key.Key_Return)
    assert desktop.errors and "incomplete" in desktop.errors[0][1]
    assert desktop.windows == [] and start.isVisible()
    assert broken.read_bytes().endswith(b'"a": ')


def test_a_settings_file_listing_a_name_with_a_nul_leaves_the_start_screen_up(qtbot, tmp_path, monkeypatch):
    """Found by bench/robustness.py: a damaged settings file whose recent list held a NUL made the
    system refuse even to look the name up (ValueError), and the app stopped at every start."""
    folder = tmp_path / "damaged-config"
    folder.mkdir()
    draft = tmp_path / "gate.dpia"
    draft.write_bytes((EXAMPLES / "s1-office-turnstiles.dpia").read_bytes())
    (folder / "preferences.ini").write_text(f"[General]\nrecent_files=a\\0b, {draft.as_posix()}\n", encoding="utf-8")
    monkeypatch.setenv("DPIA_APP_CONFIG_DIR", str(folder))
    app = DesktopApp(Preferences(folder), RecoveryStore(tmp_path / "recovery"), today=lambda: dt.date(2026, 12, 3))
    start = app.show_start()
    qtbot.addWidget(start)
    recent = start.findChild(QListWidget, "recent")
    assert recent.count() == 1 and "Lobby turnstiles" in recent.item(0).text()


def test_switching_language_mid_assessment_keeps_every_answer(qtbot, desktop):
    window = desktop.open_path(EXAMPLES / "s3-gym-entry-with-children.dpia")
    before = window.session.assessment
    click_step(qtbot, window, "section:minors")
    desktop.set_language("zh-Hans")
    assert window.session.assessment == before
    assert window.current_step().key == "section:minors"
    assert window.findChild(QRadioButton, "minors.guardian_consent:no").isChecked()
    assert window.step_list.item(step_row(window, "section:minors")).text().endswith(window.session.pack.sections[5].title.zh_hans) or "未成年人" in window.step_list.item(step_row(window, "section:minors")).text()
    assert desktop.preferences.language == "zh-Hans"
    desktop.set_language("en")
    assert window.session.assessment == before


def test_summary_shows_verdict_and_filing_deadline(qtbot, desktop):
    window = desktop.open_path(EXAMPLES / "s2-mall-vip-recognition.dpia")
    click_step(qtbot, window, "summary")
    page = window.pages.currentWidget()
    assert "Must not proceed" in page.verdict.text()
    assert "2026-09-20" in page.details.toPlainText()
    assert page.export_button.isEnabled() and not page.export_progress.isVisible()


def test_a_new_assessment_is_incomplete_on_the_summary_and_the_signoff_step(qtbot, desktop):
    window = new_window(qtbot, desktop)
    click_step(qtbot, window, "summary")
    page = window.pages.currentWidget()
    assert page.verdict.text() == "Incomplete: no conclusion yet"
    assert "there is no conclusion until they are answered" in page.details.toPlainText()
    click_step(qtbot, window, "signoff")
    verdict = window.pages.currentWidget().findChild(QLabel, "signoff_verdict")
    assert verdict.text() == "Verdict: Incomplete: no conclusion yet"


def _copy_example(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    path.write_bytes((EXAMPLES / name).read_bytes())
    return path


@pytest.mark.usefixtures("report_libraries_present")
def test_export_the_report_from_the_summary_and_open_it_back(qtbot, desktop, tmp_path):
    draft = _copy_example(tmp_path, "s1-office-turnstiles.dpia")
    window = desktop.open_path(draft)
    asked = []
    window.ask_report_path = lambda suggested: asked.append(suggested) or tmp_path / "report.pdf"
    opened = []
    window.open_external = opened.append
    click_step(qtbot, window, "summary")
    page = window.pages.currentWidget()
    page.report_language.setCurrentIndex(page.report_language.findData("bilingual"))
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    assert asked == [tmp_path / "s1-office-turnstiles.zh-en.pdf"]
    assert page.cancel_button.isVisibleTo(page) and not page.export_button.isEnabled()
    # The window stays usable while the child process lays the report out.
    click_step(qtbot, window, "risks")
    click_step(qtbot, window, "summary")
    qtbot.waitUntil(lambda: page.open_report_button.isVisibleTo(page), timeout=180_000)
    assert "report.pdf" in page.export_status.text() and page.export_button.isEnabled()
    report = tmp_path / "report.pdf"
    assert read_draft(report).assessment == read_draft(draft).assessment
    qtbot.mouseClick(page.open_report_button, Qt.MouseButton.LeftButton)
    assert opened == [report]
    # Opening the report restores the draft as unsaved work; saving never writes over the PDF.
    restored = desktop.open_path(report)
    assert restored is not window and restored.session.path is None
    assert restored.session.assessment == window.session.assessment


def test_unsaved_changes_are_saved_before_export_or_nothing_happens(qtbot, desktop, tmp_path):
    draft = _copy_example(tmp_path, "s1-office-turnstiles.dpia")
    window = desktop.open_path(draft)
    answer(qtbot, window, "org.contact", "privacy@lanting.example 兰亭")
    window.ask_save_before_export = lambda: False
    window.ask_report_path = lambda suggested: pytest.fail("must not ask for a report file")
    click_step(qtbot, window, "summary")
    page = window.pages.currentWidget()
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    assert window.export is None and window.session.dirty


@pytest.mark.usefixtures("report_libraries_present")
def test_cancelling_an_export_stops_it_and_writes_nothing(qtbot, desktop, tmp_path):
    draft = _copy_example(tmp_path, "s2-mall-vip-recognition.dpia")
    window = desktop.open_path(draft)
    window.ask_report_path = lambda suggested: tmp_path / "cancelled.pdf"
    click_step(qtbot, window, "summary")
    page = window.pages.currentWidget()
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.export.process.is_alive(), timeout=30_000)
    qtbot.mouseClick(page.cancel_button, Qt.MouseButton.LeftButton)
    assert "cancelled" in page.export_status.text()
    assert not window.export.process.is_alive() and page.export_button.isEnabled()
    assert not (tmp_path / "cancelled.pdf").exists() and not list(tmp_path.glob(".*.tmp"))
    assert not window.export.prepared.scratch.exists(), "the terminated child's temporary fonts are removed"


def test_a_report_pdf_without_a_draft_gives_a_message_and_stays_untouched(qtbot, desktop, tmp_path):
    foreign = tmp_path / "invoice.pdf"
    foreign.write_bytes(b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n")
    before = foreign.read_bytes()
    assert desktop.open_path(foreign) is None
    assert desktop.errors and "PDF" in desktop.errors[-1][1]
    assert foreign.read_bytes() == before


INPUTS = (QAbstractButton, QLineEdit, QPlainTextEdit, QComboBox, QTableWidget, QListWidget, QTextBrowser)


def test_every_input_has_an_accessible_name(qtbot, desktop):
    window = desktop.open_path(EXAMPLES / "s2-mall-vip-recognition.dpia")
    for row in range(len(window.steps)):  # pages are built when first visited
        window.page(row)
    nameless = []
    for widget in window.findChildren(QWidget):
        if isinstance(widget, INPUTS) and widget.objectName() not in ("qt_calendar_prevmonth", "qt_calendar_nextmonth"):
            name = widget.accessibleName() or (widget.text() if isinstance(widget, QAbstractButton) else "")
            if not name.strip() and not widget.objectName().startswith("qt_"):
                nameless.append(f"{type(widget).__name__} {widget.objectName()!r}")
    assert nameless == []


def test_opening_a_draft_from_the_command_line_argument(qtbot, desktop):
    window = desktop.open_path(EXAMPLES / "s1-office-turnstiles.dpia")
    assert window.windowTitle().startswith("Lobby turnstiles")
    assert desktop.open_path(EXAMPLES / "s1-office-turnstiles.dpia") is window  # not opened twice
    assert json.loads((EXAMPLES / "s1-office-turnstiles.dpia").read_text(encoding="utf-8"))["format"] == "dpia-draft"



def test_notes_and_evidence_are_kept_with_the_answer(qtbot, desktop, tmp_path):
    window = new_window(qtbot, desktop)
    click_step(qtbot, window, "section:public_places")
    toggle = window.findChild(QAbstractButton, "places.public_place:note_toggle")
    qtbot.mouseClick(toggle, Qt.MouseButton.LeftButton)
    note = window.findChild(QPlainTextEdit, "places.public_place:note")
    assert note.isVisible()
    type_text(qtbot, note, "Photo of the sign at gate 3, folder 证据/2026")
    assert window.session.note("places.public_place") == "Photo of the sign at gate 3, folder 证据/2026"
    target = tmp_path / "notes.dpia"
    window.ask_save_path = lambda _title: target
    window.action_save.trigger()
    window.close()
    reopened = desktop.open_path(target)
    click_step(qtbot, reopened, "section:public_places")
    shown = reopened.findChild(QPlainTextEdit, "places.public_place:note")
    assert shown.isVisible() and shown.toPlainText().startswith("Photo of the sign")


def test_keyboard_only(qtbot, desktop, tmp_path):
    from PySide6.QtGui import QKeySequence

    start = desktop.show_start()
    qtbot.addWidget(start)
    start.new_button.setFocus()
    qtbot.keyClick(start.new_button, Qt.Key.Key_Space)
    window = desktop.windows[-1]
    # The offscreen test platform does not route shortcut keys, so check they are registered and
    # drive the buttons by focus and Space, as keyboard users do.
    assert window.next_button.shortcut() == QKeySequence("Alt+N")
    assert window.back_button.shortcut() == QKeySequence("Alt+B")
    assert window.action_save.shortcut() == QKeySequence(QKeySequence.StandardKey.Save)
    with qtbot.waitActive(window):  # keyboard focus exists only in the active window
        window.activateWindow()
    window.next_button.setFocus()
    qtbot.keyClick(window.next_button, Qt.Key.Key_Space)
    assert window.current_step().key == "section:scope"
    option = window.findChild(QRadioButton, "scope.rnd_only:no")
    option.setFocus()
    qtbot.keyClick(option, Qt.Key.Key_Space)
    assert window.session.answer("scope.rnd_only") == "no"
    # Arrow keys move between the options of one question, as in every native dialog.
    qtbot.keyClick(option, Qt.Key.Key_Up)
    assert window.session.answer("scope.rnd_only") == "yes"
    target = tmp_path / "keyboard.dpia"
    window.ask_save_path = lambda _title: target
    window.action_save.trigger()
    assert target.exists() and not window.isWindowModified()


@pytest.mark.usefixtures("report_libraries_present")
def test_a_failed_export_says_why_and_the_window_stays_usable(qtbot, desktop, tmp_path):
    draft = _copy_example(tmp_path, "s1-office-turnstiles.dpia")
    window = desktop.open_path(draft)
    window.ask_report_path = lambda suggested: tmp_path / "no such folder" / "report.pdf"
    errors = []
    window.show_export_error = errors.append
    click_step(qtbot, window, "summary")
    page = window.pages.currentWidget()
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(errors), timeout=180_000)
    assert "no such folder" in errors[0]
    assert "could not be made" in page.export_status.text() and page.export_button.isEnabled()
    assert draft.read_bytes() == (EXAMPLES / "s1-office-turnstiles.dpia").read_bytes()


def test_file_quit_closes_every_window_unless_the_user_cancels(qtbot, desktop):
    window = desktop.open_path(EXAMPLES / "s1-office-turnstiles.dpia")
    answer(qtbot, window, "org.device_count", 13)
    assert window.session.dirty
    assert window.action_quit.shortcut() == QKeySequence(QKeySequence.StandardKey.Quit)
    window.ask_unsaved = lambda: QMessageBox.StandardButton.Cancel
    window.action_quit.trigger()
    assert desktop.windows == [window] and window.isVisible(), "Cancel keeps the work open"
    window.ask_unsaved = lambda: QMessageBox.StandardButton.Discard
    window.action_quit.trigger()
    assert desktop.windows == [] and desktop.start is None, "quitting does not fall back to the start screen"


def test_reopening_a_draft_lands_on_the_step_where_it_was_left(qtbot, desktop, tmp_path):
    path = _copy_example(tmp_path, "s1-office-turnstiles.dpia")
    window = desktop.open_path(path)
    click_step(qtbot, window, "section:storage")
    window.close()
    assert desktop.windows == []
    reopened = desktop.open_path(path)
    assert reopened.current_step().key == "section:storage"
    # Another draft keeps its own place.
    other = desktop.open_path(EXAMPLES / "s2-mall-vip-recognition.dpia")
    assert other.current_step().key == "details"


def test_f1_shows_the_help_of_the_question_being_answered(qtbot, desktop):
    window = desktop.open_path(EXAMPLES / "s2-mall-vip-recognition.dpia")
    window.findings_panel.list.setCurrentRow(0)  # the details of a finding replace the help
    assert window.finding_details.isVisible()
    click_step(qtbot, window, "section:storage")
    window.findChild(QRadioButton, "storage.internet_transmission:no").setFocus()
    assert window.action_question_help.shortcut() == QKeySequence(QKeySequence.StandardKey.HelpContents)
    window.action_question_help.trigger()
    assert window.help_panel.isVisible() and not window.finding_details.isVisible()
    assert window.session.pack.question("storage.internet_transmission").text.en in window.help_panel.browser.toPlainText()
    # Where there are no questions, F1 opens the user guide.
    click_step(qtbot, window, "risks")
    window.action_question_help.trigger()
    guide = window.findChild(QMessageBox, "user_guide")
    assert guide is not None and guide.isVisible() and "F1" in guide.informativeText()
    guide.close()


def test_assessors_accept_chinese_and_western_separators(qtbot, desktop):
    window = new_window(qtbot, desktop)
    field = window.findChild(QLineEdit, "meta.assessors")
    type_text(qtbot, field, "张伟、李娜；王芳, Zhou Bin;Chen Li")
    assert window.session.assessment.metadata.assessors == ["张伟", "李娜", "王芳", "Zhou Bin", "Chen Li"]


def test_a_file_that_is_not_a_draft_is_refused_in_chinese_in_chinese_mode(qtbot, desktop, tmp_path):
    desktop.set_language("zh-Hans")
    path = tmp_path / "settings.dpia"
    path.write_text('{"theme": "dark"}', encoding="utf-8")
    assert desktop.open_path(path) is None
    title, text = desktop.errors[-1]
    assert title == "无法打开草稿" and "不是 DPIA 评估草稿" in text and "JSON" not in text
    desktop.set_language("en")


@pytest.mark.parametrize("code", ["en", "zh-Hans"])
def test_mnemonics_are_unique_on_every_page_and_dialog(qtbot, desktop, code):
    from collections import Counter

    from PySide6.QtWidgets import QAbstractButton, QGroupBox, QMenu

    def letters(widget) -> list[tuple[str, str]]:
        found = []
        for child in widget.findChildren(QLabel) + widget.findChildren(QAbstractButton) + widget.findChildren(QGroupBox):
            if child.isVisibleTo(widget):
                text = child.title() if isinstance(child, QGroupBox) else child.text()
                key = re.search(r"&([^&\s])", text)
                if key:
                    found.append((key.group(1).lower(), text))
        return found

    def duplicates(found: list[tuple[str, str]]) -> list[str]:
        counts = Counter(letter for letter, _text in found)
        return [text for letter, text in found if counts[letter] > 1]

    desktop.set_language(code)
    window = desktop.open_path(EXAMPLES / "s1-office-turnstiles.dpia")
    for key in ("details", "risks", "actions", "signoff", "summary"):
        click_step(qtbot, window, key)
        assert duplicates(letters(window.pages.currentWidget())) == [], key
    for menu in window.menuBar().findChildren(QMenu):
        keys = [(m.group(1).lower(), a.text()) for a in menu.actions() if (m := re.search(r"&([^&\s])", a.text()))]
        assert duplicates(keys) == [], menu.title()
    click_step(qtbot, window, "actions")
    dialog = window.pages.currentWidget().open_action_dialog()
    assert duplicates(letters(dialog)) == []
    dialog.reject()
    desktop.set_language("en")


def test_the_help_follows_the_step_and_arrow_keys_choose_an_option(qtbot, desktop):
    window = desktop.open_path(EXAMPLES / "s1-office-turnstiles.dpia")
    click_step(qtbot, window, "section:storage")
    qtbot.mouseClick(window.findChild(QRadioButton, "storage.internet_transmission:no"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "sent over the internet" in window.help_panel.browser.toPlainText())
    click_step(qtbot, window, "section:security")
    help_text = window.help_panel.browser.toPlainText()
    assert "sent over the internet" not in help_text, "no stale question from the step just left"
    first = next(q for q, editor in window.section_pages["security"].editors.items() if editor.isVisibleTo(window.section_pages["security"]))
    assert window.session.pack.question(first).text.en in help_text
    # As in native dialogs, the arrow keys move to the next option and choose it.
    planned = window.findChild(QRadioButton, "sec.encryption_at_rest:yes")
    planned.setFocus()
    qtbot.keyClick(planned, Qt.Key.Key_Down)
    assert window.session.assessment.answers["sec.encryption_at_rest"] == "no"


def test_dates_are_typed_as_people_write_them_picked_from_a_calendar_or_cleared(qtbot, desktop):
    window = desktop.open_path(EXAMPLES / "s2-mall-vip-recognition.dpia")
    question = "scale.threshold_reached_on"
    answer(qtbot, window, question, "2026/8/3")
    field = window.findChild(QLineEdit, question)
    assert window.session.assessment.answers[question] == "2026-08-03" and field.text() == "2026-08-03"
    answer(qtbot, window, question, "2026年8月4日")
    assert window.session.assessment.answers[question] == "2026-08-04"
    # A day-first or month-first date is not guessed: it is kept as typed and reported beside the question.
    answer(qtbot, window, question, "4/8/2026")
    editor = window.section_pages["scale"].editors[question]
    assert editor.problem_label.isVisibleTo(editor) and "not a date" in editor.problem_label.text()
    # Clear is one click; the calendar then opens at today and Enter takes the day shown.
    qtbot.mouseClick(window.findChild(QToolButton, f"{question}:clear"), Qt.MouseButton.LeftButton)
    assert question not in window.session.assessment.answers and field.text() == ""
    qtbot.mouseClick(window.findChild(QToolButton, f"{question}:calendar"), Qt.MouseButton.LeftButton)
    calendar = editor.calendar
    assert isinstance(calendar, QCalendarWidget) and calendar.isVisible()
    assert calendar.selectedDate() == QDate.currentDate()
    calendar.setSelectedDate(QDate(2026, 8, 10))
    qtbot.keyClick(calendar.focusProxy() or calendar, Qt.Key.Key_Return)
    assert window.session.assessment.answers[question] == "2026-08-10"


def test_adding_a_table_row_raises_nothing_until_something_is_typed_in_it(qtbot, desktop):
    window = new_window(qtbot, desktop)
    click_step(qtbot, window, "section:devices")
    editor = window.section_pages["devices"].editors["devices.locations"]
    before = window.session.evaluation
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    after = window.session.evaluation
    assert [p for p in after.answer_problems if p.question_id == "devices.locations"] == []
    assert len(after.missing_required) == len(before.missing_required)
    assert not editor.problem_label.isVisibleTo(editor)
    # Once the row has something in it, the columns still empty are named.
    fill_table(qtbot, editor, "devices.locations", [])
    table = editor.findChild(QTableWidget, "devices.locations:table")
    table.setCurrentCell(0, 0)
    table.editItem(table.item(0, 0))
    cell = table.indexWidget(table.model().index(0, 0))
    type_text(qtbot, cell, "Lobby")
    qtbot.keyClick(cell, Qt.Key.Key_Tab)
    assert [p.code for p in window.session.evaluation.answer_problems if p.question_id == "devices.locations"]


def test_the_required_badge_keeps_its_room_so_nothing_moves(qtbot, desktop):
    window = new_window(qtbot, desktop)
    click_step(qtbot, window, "section:scope")
    editor = window.section_pages["scope"].editors["scope.rnd_only"]
    assert editor.required_mark.isVisibleTo(editor)
    first_option = window.findChild(QRadioButton, "scope.rnd_only:yes")
    before = (first_option.mapTo(window, first_option.rect().topLeft()), editor.label.width())
    answer(qtbot, window, "scope.rnd_only", "no")
    assert not editor.required_mark.isVisibleTo(editor)
    qtbot.wait(10)  # let the layout settle as it would on screen
    # Neither the options nor the question's own words (which would re-wrap) move.
    assert (first_option.mapTo(window, first_option.rect().topLeft()), editor.label.width()) == before


def test_the_questions_take_the_extra_width_and_the_splitter_is_remembered(qtbot, desktop, tmp_path):
    path = _copy_example(tmp_path, "s1-office-turnstiles.dpia")
    window = desktop.open_path(path)
    window.resize(1280, 800)
    qtbot.wait(10)
    splitter = window.main_splitter
    narrow = splitter.sizes()
    window.resize(1680, 800)
    qtbot.wait(10)
    wide = splitter.sizes()
    assert wide[1] - narrow[1] > 2 * (wide[2] - narrow[2]), "the question column takes most of the new width"
    assert wide[2] >= narrow[2] and wide[2] > 250, "help and findings keep a sensible share"
    # Drag the handle between the questions and the side panel 120 pixels to the left.
    handle = splitter.handle(2)
    assert handle.width() >= 5
    start = handle.rect().center()
    qtbot.mousePress(handle, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(handle, QPoint(start.x() - 120, start.y()))
    qtbot.mouseRelease(handle, Qt.MouseButton.LeftButton, pos=QPoint(start.x() - 120, start.y()))
    dragged = splitter.sizes()
    assert dragged[2] > wide[2] + 60
    window.close()
    reopened = desktop.open_path(path)
    reopened.resize(1680, 800)
    qtbot.wait(10)
    assert abs(reopened.main_splitter.sizes()[2] - dragged[2]) < 20


@pytest.mark.parametrize("code", ["en", "zh-Hans"])
def test_recent_drafts_show_the_same_fields_in_both_languages(qtbot, desktop, code):
    from dpia_app.presentation import outcome_label

    desktop.set_language(code)
    desktop.preferences.add_recent_file(EXAMPLES / "s1-office-turnstiles.dpia")
    desktop.preferences.add_recent_file(EXAMPLES / "s2-mall-vip-recognition.dpia")
    start = desktop.show_start()
    lines = [start.recent.item(r).text().split("\n") for r in range(start.recent.count())]
    assert [len(entry) for entry in lines] == [4, 4]
    title, whose, due, when = lines[0]
    assert title.startswith("Mall entrances") and "Hangzhou Xinghe Plaza" in whose
    assert outcome_label("must_not_proceed", code) in whose
    assert due.startswith({"en": "Next review 2027-11-12", "zh-Hans": "下次复核 2027-11-12"}[code]), due
    assert "s2-mall-vip-recognition.dpia" in when and re.search(r"\d{4}-\d{2}-\d{2}", when)
    assert "border-bottom" in start.recent.styleSheet(), "entries are visibly separated"
    desktop.set_language("en")


def test_one_fact_one_place_the_details_fill_the_questions_that_ask_them_again(qtbot, desktop):
    window = new_window(qtbot, desktop)
    organisation = window.findChild(QLineEdit, "meta.organisation")
    type_text(qtbot, organisation, "Shanghai Lanting Software Co., Ltd.")
    type_text(qtbot, window.findChild(QLineEdit, "meta.system"), "Lobby turnstiles")
    answers = window.session.assessment.answers
    assert answers["org.name"] == "Shanghai Lanting Software Co., Ltd." and answers["org.system_name"] == "Lobby turnstiles"
    click_step(qtbot, window, "section:organisation")
    assert window.findChild(QLineEdit, "org.name").text() == "Shanghai Lanting Software Co., Ltd."
    # Corrected in the question, the details follow; a name typed on purpose is never overwritten.
    line = window.findChild(QLineEdit, "org.name")
    line.clear()
    type_text(qtbot, line, "上海兰亭软件有限公司")
    assert window.session.assessment.metadata.organisation == "上海兰亭软件有限公司"
    click_step(qtbot, window, "details")
    assert organisation.text() == "上海兰亭软件有限公司"


@pytest.mark.parametrize("code", ["en", "zh-Hans"])
def test_table_headings_wrap_explain_themselves_and_fit_at_1280_by_800(qtbot, desktop, code):
    desktop.set_language(code)
    window = desktop.open_path(EXAMPLES / "s1-office-turnstiles.dpia")
    window.resize(1280, 800)
    click_step(qtbot, window, "section:devices")
    qtbot.wait(20)
    table = window.findChild(QTableWidget, "devices.locations:table")
    fields = window.session.pack.question("devices.locations").fields
    for column, table_field in enumerate(fields):
        tip = table.horizontalHeaderItem(column).toolTip()
        assert table_field.label.get(code) in tip
        if table_field.help is not None:
            assert table_field.help.get(code) in tip
    assert not table.horizontalScrollBar().isVisible(), "the common table needs no sideways scrolling"
    desktop.set_language("en")


def test_everything_fits_a_1024_by_700_window(qtbot, desktop):
    window = desktop.open_path(EXAMPLES / "s2-mall-vip-recognition.dpia")
    window.show()
    window.resize(1024, 700)
    for key in ("section:devices", "risks", "actions", "signoff", "summary", "section:alternatives"):
        click_step(qtbot, window, key)
        qtbot.wait(10)
        assert window.width() == 1024, key
    window.findings_panel.list.setCurrentRow(0)
    qtbot.wait(10)
    assert window.width() == 1024 and window.side_panel.width() >= 260, "a finding's details stay readable"


@pytest.mark.usefixtures("report_libraries_present")
def test_the_export_child_is_ready_before_export_is_clicked_and_makes_the_chosen_edition(qtbot, desktop, tmp_path):
    draft = _copy_example(tmp_path, "s1-office-turnstiles.dpia")
    window = desktop.open_path(draft)
    window.ask_report_path = lambda suggested: tmp_path / suggested.name
    click_step(qtbot, window, "summary")
    prepared = window.prepared_export
    assert prepared is not None and prepared.process.is_alive(), "started when the summary step opened"
    qtbot.waitUntil(lambda: not prepared.messages.empty(), timeout=60_000)  # WeasyPrint imported, pack loaded
    page = window.pages.currentWidget()
    page.report_edition.setCurrentIndex(page.report_edition.findData("full"))
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    assert window.export.process is prepared.process, "the export used the child that was ready"
    qtbot.waitUntil(lambda: page.open_report_button.isVisibleTo(page), timeout=180_000)
    report = tmp_path / "s1-office-turnstiles.en.full.pdf"
    text = "".join(p.extract_text() or "" for p in PdfReader(report).pages)
    assert "Every answer" in text and "How each risk was rated" in text
    qtbot.waitUntil(lambda: not prepared.scratch.exists(), timeout=10_000)  # its temporary fonts removed
    # Back on the summary after the export, the next child is prepared; closing the window ends it.
    click_step(qtbot, window, "risks")
    click_step(qtbot, window, "summary")
    following = window.prepared_export
    assert following is not None and following is not prepared
    window.close()
    qtbot.waitUntil(lambda: not following.process.is_alive() and not following.scratch.exists(), timeout=30_000)


@pytest.mark.parametrize("code, says", [("en", "the file is empty"), ("zh-Hans", "文件为空")])
def test_a_recent_draft_that_cannot_be_opened_says_why_in_the_users_language(qtbot, desktop, tmp_path, code, says):
    empty = tmp_path / "empty.dpia"
    empty.write_bytes(b"")
    desktop.set_language(code)
    desktop.preferences.add_recent_file(empty)
    start = desktop.show_start()
    title, problem = start.recent.item(0).text().split("\n")
    assert title == "empty.dpia"
    assert says in problem and str(empty) not in problem, "the file is named once, above"
    desktop.set_language("en")


def test_an_assessment_date_past_any_review_cannot_be_typed(qtbot, desktop):
    """Qt's date fields go to 9999-12-31, from which no review date can be counted: the wizard's stop
    at the last plausible date, and the evaluation stays up whatever is typed."""
    window = new_window(qtbot, desktop)
    click_step(qtbot, window, "details")
    editor = window.findChild(QDateEdit, "meta.assessment_date")
    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_Up)  # from "no date" to a date
    editor.setSelectedSection(QDateTimeEdit.Section.YearSection)
    qtbot.keyClicks(editor, "99991231")
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    typed = window.session.assessment.metadata.assessment_date
    assert typed is not None and typed <= dt.date(2200, 12, 31)
    assert window.session.evaluation.review.next_review > typed
