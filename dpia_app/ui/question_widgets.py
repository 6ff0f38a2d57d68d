"""One editor per question type, built from the form pack and bound to the session.

Every input's objectName is its question id (choices: `<id>:<option>`), which is also what the tests
use; every input has an accessible name; every widget of a question carries the `question_id`
property so the window can show help for the focused question.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate, QRegularExpression, Qt, Signal
from PySide6.QtGui import QPalette, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QButtonGroup,
    QCalendarWidget,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..core.answers import AnswerProblem
from ..core.formpack import Question
from ..core.text import Language
from ..presentation import parse_typed_date, yes_no_labels
from .language import _


def tag(widget: QWidget, question_id: str) -> None:
    widget.setProperty("question_id", question_id)


class QuestionEditor(QWidget):
    """A question's text, its input, and the in-place 'required' mark."""

    edited = Signal(str, object)  # question id, new raw answer (None clears)
    note_edited = Signal(str, str)  # question id, the evidence or remark kept with the answer

    def __init__(self, question: Question, language: Language, parent: QWidget | None = None):
        super().__init__(parent)
        self.question = question
        self.language = language
        self._loading = False
        self._shown: Any = None  # the answer the widgets show, to follow changes made elsewhere
        self._state: tuple[bool, bool, str] | None = None
        self._visibility = (True, False)
        self._problems: list[tuple[AnswerProblem, str]] = []
        self._visible_problems: list[tuple[AnswerProblem, str]] = []
        tag(self, question.id)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 10)
        header = QHBoxLayout()
        self.label = QLabel(question.text.get(language))
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)  # pack text is never rendered as HTML
        font = self.label.font()
        font.setBold(True)
        self.label.setFont(font)
        tag(self.label, question.id)
        header.addWidget(self.label, 1)
        self.required_mark = QLabel(_("Required"))
        self.required_mark.setObjectName(f"{question.id}:required")
        self.required_mark.setStyleSheet("color: palette(highlighted-text); background: #c0392b; border-radius: 3px; padding: 1px 6px;")
        self.required_mark.setToolTip(_("This question must be answered before the assessment is complete."))
        # Its room is kept while hidden: appearing or going must not move the controls under the mouse.
        retain = self.required_mark.sizePolicy()
        retain.setRetainSizeWhenHidden(True)
        self.required_mark.setSizePolicy(retain)
        self.required_mark.hide()
        header.addWidget(self.required_mark, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(header)
        self.problem_label = QLabel()
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet("color: #c0392b;")
        self.problem_label.hide()
        self.input = self._build_input()
        self.input.setObjectName(question.id)
        self.input.setAccessibleName(question.text.get(language))
        self.input.setAccessibleDescription(question.help.get(language))
        tag(self.input, question.id)
        self.label.setBuddy(self.input)
        layout.addWidget(self.input)
        layout.addWidget(self.problem_label)
        if question.from_table is not None:
            self._build_table_hint(layout)
        self._build_note(layout)

    def _build_table_hint(self, layout: QVBoxLayout) -> None:
        """For a fact a table also records: what the table says when the answer here differs."""
        self._table_value: Any = None
        row = QHBoxLayout()
        self.table_hint = QLabel()
        self.table_hint.setObjectName(f"{self.question.id}:table_hint")
        self.table_hint.setWordWrap(True)
        self.table_hint.setTextFormat(Qt.TextFormat.PlainText)
        self.use_table_button = QPushButton(_("Use the table's answer"))
        self.use_table_button.setObjectName(f"{self.question.id}:use_table")
        tag(self.use_table_button, self.question.id)
        self.use_table_button.clicked.connect(lambda: (self.load(self._table_value), self._emit(self._table_value)))
        row.addWidget(self.table_hint, 1)
        row.addWidget(self.use_table_button, 0, Qt.AlignmentFlag.AlignTop)
        self.table_hint_box = QWidget()
        self.table_hint_box.setLayout(row)
        self.table_hint_box.hide()
        layout.addWidget(self.table_hint_box)

    def show_table_disagreement(self, value: Any, text: str) -> None:
        """What the table says (None: the answers agree, or one of them is empty)."""
        self._table_value = value
        self.table_hint.setText(text)
        self.table_hint_box.setVisible(value is not None)

    def _build_note(self, layout: QVBoxLayout) -> None:
        """Evidence and remarks for this answer ("photo of the sign at gate 3 in folder X")."""
        self.note_toggle = QPushButton(_("Add a note or evidence…"))
        self.note_toggle.setObjectName(f"{self.question.id}:note_toggle")
        self.note_toggle.setFlat(True)
        self.note_toggle.setCheckable(True)
        # A palette, not a style sheet: style sheets on ~160 widgets slow every repaint down.
        palette = self.note_toggle.palette()
        palette.setColor(QPalette.ColorRole.ButtonText, palette.color(QPalette.ColorRole.Link))
        self.note_toggle.setPalette(palette)
        tag(self.note_toggle, self.question.id)
        self.note = QPlainTextEdit()
        self.note.setObjectName(f"{self.question.id}:note")
        self.note.setAccessibleName(_("Note or evidence for: %(question)s") % {"question": self.question.text.get(self.language)})
        self.note.setPlaceholderText(_("Evidence, sources, remarks for the reviewer"))
        self.note.setTabChangesFocus(True)
        self.note.setMaximumHeight(80)
        self.note.hide()
        tag(self.note, self.question.id)
        self.note_toggle.toggled.connect(self._toggle_note)
        self.note.textChanged.connect(lambda: None if self._loading else self.note_edited.emit(self.question.id, self.note.toPlainText()))
        row = QHBoxLayout()
        row.addWidget(self.note_toggle)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(self.note)

    def _toggle_note(self, shown: bool) -> None:
        self.note.setVisible(shown)
        if shown:
            self.note.setFocus(Qt.FocusReason.OtherFocusReason)

    def load_note(self, text: str) -> None:
        self._loading = True
        try:
            self.note.setPlainText(text)
            self.note_toggle.setChecked(bool(text))
            self.note.setVisible(bool(text))
        finally:
            self._loading = False

    # subclasses build their input and move values in and out of it
    def _build_input(self) -> QWidget:
        raise NotImplementedError

    def _show(self, raw: Any) -> None:
        raise NotImplementedError

    def load(self, raw: Any) -> None:
        """Show a saved answer without reporting it as an edit."""
        self._loading = True
        try:
            self._show(raw)
            self._shown = raw
        finally:
            self._loading = False

    def follow(self, raw: Any) -> None:
        """Show an answer set elsewhere (a detail asked again here), if it differs from what is shown."""
        if raw != self._shown:
            self.load(raw)

    def _emit(self, value: Any) -> None:
        if not self._loading:
            self._shown = value
            self.edited.emit(self.question.id, value)

    def show_state(self, shown: bool, missing: bool, problems: list[tuple[AnswerProblem, str]]) -> None:
        """Apply the evaluation's view of this question: whether it applies, whether it still needs
        an answer, and what is wrong with the answer (each problem with its message)."""
        self._visibility = (shown, missing)
        self.show_problems(problems)

    def show_problems(self, problems: list[tuple[AnswerProblem, str]]) -> None:
        shown, missing = self._visibility
        self._problems = problems
        self._visible_problems = self.visible_problems(problems)
        text = "\n".join(message for _problem, message in self._visible_problems)
        state = (shown, missing, text)
        if state == self._state:
            return  # this runs for every question on every keystroke: touch widgets only on a change
        self._state = state
        self.setVisible(shown)
        self.required_mark.setVisible(missing)
        self.problem_label.setText(text)
        self.problem_label.setVisible(bool(text))

    def visible_problems(self, problems: list[tuple[AnswerProblem, str]]) -> list[tuple[AnswerProblem, str]]:
        """The problems to show now (a table holds back those of the row still being typed)."""
        return problems

    def held_back_problems(self) -> int:
        """How many problems the step's count leaves out because they are not shown yet. A row still
        being typed counts once, not once per empty column: the step is not done, but the user has
        not been told off for each column either."""
        hidden = len(self._problems) - len(self._visible_problems)
        return max(hidden - 1, 0)

    def focus_input(self) -> None:
        target = self.input.focusProxy() or self.input
        target.setFocus(Qt.FocusReason.OtherFocusReason)


class _OptionLabel(QLabel):
    """The wrapping text of a choice; Qt's buttons cannot wrap long legal options themselves."""

    def __init__(self, text: str, button: QRadioButton | QCheckBox):
        super().__init__(text)
        self.button = button
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)

    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        # Clicking the words selects the option, as it would with the button's own text.
        if self.button.isEnabled():
            self.button.click()
            self.button.setFocus(Qt.FocusReason.MouseFocusReason)
        event.accept()


class _ChoiceButtons(QWidget):
    """Radio buttons or check boxes for a closed list of answers, laid out one per line."""

    def __init__(self, question_id: str, options: list[tuple[str, str]], exclusive: bool, accessible_prefix: str):
        super().__init__()
        self.buttons: dict[str, QRadioButton | QCheckBox] = {}
        self.group = QButtonGroup(self)
        self.group.setExclusive(exclusive)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 0, 0, 0)
        layout.setSpacing(2)
        for option_id, label in options:
            button: QRadioButton | QCheckBox = QRadioButton() if exclusive else QCheckBox()
            button.setObjectName(f"{question_id}:{option_id}")
            button.setAccessibleName(f"{accessible_prefix}: {label}")
            tag(button, question_id)
            self.group.addButton(button)
            self.buttons[option_id] = button
            text = _OptionLabel(label, button)
            tag(text, question_id)
            row = QHBoxLayout()
            row.setSpacing(6)
            row.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
            row.addWidget(text, 1)
            layout.addLayout(row)
        first = next(iter(self.buttons.values()), None)
        if first is not None:
            self.setFocusProxy(first)

    def checked(self) -> list[str]:
        return [option for option, button in self.buttons.items() if button.isChecked()]

    def set_checked(self, options: list[str]) -> None:
        # An exclusive group cannot be emptied by unchecking its button; suspend it to clear.
        exclusive = self.group.exclusive()
        self.group.setExclusive(False)
        for option, button in self.buttons.items():
            button.setChecked(option in options)
        self.group.setExclusive(exclusive)


class YesNoEditor(QuestionEditor):
    def _build_input(self) -> QWidget:
        options = list(yes_no_labels(self.language).items())
        self.choices = _ChoiceButtons(self.question.id, options, True, self.question.text.get(self.language))
        self.choices.group.buttonToggled.connect(self._toggled)
        return self.choices

    def _toggled(self, _button: Any, checked: bool) -> None:
        if checked:
            self._emit(self.choices.checked()[0])

    def _show(self, raw: Any) -> None:
        self.choices.set_checked([raw] if isinstance(raw, str) else [])


class SingleChoiceEditor(QuestionEditor):
    def _build_input(self) -> QWidget:
        options = [(o.id, o.label.get(self.language)) for o in self.question.options or []]
        self.choices = _ChoiceButtons(self.question.id, options, True, self.question.text.get(self.language))
        for option in self.question.options or []:
            if option.help is not None:
                self.choices.buttons[option.id].setToolTip(option.help.get(self.language))
        self.choices.group.buttonToggled.connect(self._toggled)
        return self.choices

    def _toggled(self, _button: Any, checked: bool) -> None:
        if checked:
            self._emit(self.choices.checked()[0])

    def _show(self, raw: Any) -> None:
        self.choices.set_checked([raw] if isinstance(raw, str) else [])


class MultiChoiceEditor(QuestionEditor):
    def _build_input(self) -> QWidget:
        options = [(o.id, o.label.get(self.language)) for o in self.question.options or []]
        self.choices = _ChoiceButtons(self.question.id, options, False, self.question.text.get(self.language))
        self.choices.group.buttonToggled.connect(lambda *_args: self._emit(self.choices.checked()))
        return self.choices

    def _show(self, raw: Any) -> None:
        self.choices.set_checked([item for item in raw if isinstance(item, str)] if isinstance(raw, list) else [])


class ShortTextEditor(QuestionEditor):
    def _build_input(self) -> QWidget:
        self.line = QLineEdit()
        if self.question.max_length:
            self.line.setMaxLength(self.question.max_length)
        self.line.textEdited.connect(lambda text: self._emit(text))
        return self.line

    def _show(self, raw: Any) -> None:
        self.line.setText(raw if isinstance(raw, str) else "")


class LongTextEditor(QuestionEditor):
    def _build_input(self) -> QWidget:
        self.text = QPlainTextEdit()
        self.text.setTabChangesFocus(True)  # keyboard users must be able to leave the field
        self.text.setMinimumHeight(70)
        self.text.setMaximumHeight(140)
        self.text.textChanged.connect(lambda: self._emit(self.text.toPlainText()))
        return self.text

    def _show(self, raw: Any) -> None:
        self.text.setPlainText(raw if isinstance(raw, str) else "")


class IntegerEditor(QuestionEditor):
    def _build_input(self) -> QWidget:
        self.line = QLineEdit()
        self.line.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d{0,13}")))
        self.line.setMaximumWidth(220)
        if self.question.unit is not None:
            self.line.setPlaceholderText(self.question.unit.get(self.language))
        self.line.textEdited.connect(lambda text: self._emit(int(text) if text else None))
        return self.line

    def _show(self, raw: Any) -> None:
        self.line.setText(str(raw) if isinstance(raw, int) and not isinstance(raw, bool) else "")


class DateEditor(QuestionEditor):
    """A date typed as people write it (2026-12-02, 2026/12/2, 2026年12月2日), picked from a calendar
    that opens at the date shown or today, or cleared with one click."""

    def _build_input(self) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        self.text = QLineEdit()
        self.text.setObjectName(self.question.id)
        self.text.setAccessibleName(self.question.text.get(self.language))
        self.text.setPlaceholderText(_("e.g. 2026-12-02"))
        self.text.setMaximumWidth(180)
        self.text.editingFinished.connect(self._typed)
        tag(self.text, self.question.id)
        self.calendar_button = self._tool_button("calendar", _("Calendar…"), _("Choose the date in a calendar"), self.open_calendar)
        self.clear_button = self._tool_button("clear", _("Clear"), _("Clear the date"), self.clear)
        row.addWidget(self.text)
        row.addWidget(self.calendar_button)
        row.addWidget(self.clear_button)
        row.addStretch(1)
        box.setFocusProxy(self.text)
        self.calendar: QCalendarWidget | None = None
        return box

    def _tool_button(self, name: str, text: str, accessible_name: str, slot: Callable[[], object]) -> QToolButton:
        button = QToolButton()
        button.setObjectName(f"{self.question.id}:{name}")
        button.setText(text)
        button.setAccessibleName(accessible_name)
        button.clicked.connect(lambda _checked=False: slot())
        tag(button, self.question.id)
        return button

    def _typed(self) -> None:
        text = self.text.text().strip()
        if not text:
            self._emit(None)
            return
        parsed = parse_typed_date(text)
        if parsed is None:
            # Kept as typed: the evaluation reports it as "not a date" beside the question.
            self._emit(text)
            return
        self.text.setText(parsed.isoformat())
        self._emit(parsed.isoformat())

    def clear(self) -> None:
        self.text.clear()
        self._emit(None)

    def open_calendar(self) -> QCalendarWidget:
        """A calendar popup at the date shown, or today; choosing a day fills the field."""
        shown = parse_typed_date(self.text.text())
        start = QDate(shown.year, shown.month, shown.day) if shown else QDate.currentDate()
        self.calendar = QCalendarWidget(self)
        self.calendar.setWindowFlags(Qt.WindowType.Popup)
        self.calendar.setObjectName(f"{self.question.id}:calendar_popup")
        self.calendar.setSelectedDate(start)
        self.calendar.setCurrentPage(start.year(), start.month())
        self.calendar.clicked.connect(self._picked)
        self.calendar.activated.connect(self._picked)
        self.calendar.move(self.calendar_button.mapToGlobal(self.calendar_button.rect().bottomLeft()))
        self.calendar.show()
        self.calendar.setFocus()
        return self.calendar

    def _picked(self, value: QDate) -> None:
        if self.calendar is not None:
            self.calendar.close()
        self.text.setText(value.toString("yyyy-MM-dd"))
        self._emit(value.toString("yyyy-MM-dd"))

    def _show(self, raw: Any) -> None:
        self.text.setText(raw if isinstance(raw, str) else "")
