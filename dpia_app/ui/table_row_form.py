"""One row of a table question as a form: every column a labelled field with its help, checked with
the same rules as the table (core.answers.read_row) before the row is kept.

Wide tables (the processing activities have 13 columns) are edited here instead of in a grid that
would scroll sideways; narrow tables can use it too ("Edit row…").
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ..core.answers import AnswerProblem, read_row
from ..core.formpack import Question, TableField
from ..core.text import Language
from ..presentation import answer_problem_message
from .language import _, n_
from .table_cells import cell_choices, typed_cell


class _FieldInput:
    """The input of one column, whatever its type, read and written as the raw answer value."""

    def __init__(self, question_id: str, table_field: TableField, language: Language):
        self.field = table_field
        name = f"{question_id}:form:{table_field.id}"
        label = table_field.label.get(language)
        self.checkboxes: list[QCheckBox] = []
        if table_field.type in ("single_choice", "yes_no"):
            combo = QComboBox()
            combo.addItem("—", None)
            for key, text in cell_choices(table_field, language):
                combo.addItem(text, key)
            self.widget: QWidget = combo
        elif table_field.type == "multi_choice":
            self.widget = QWidget()
            layout = QVBoxLayout(self.widget)
            layout.setContentsMargins(0, 0, 0, 0)
            for option in table_field.options or []:
                box = QCheckBox(option.label.get(language))
                box.setObjectName(f"{name}:{option.id}")
                box.setProperty("option_id", option.id)
                layout.addWidget(box)
                self.checkboxes.append(box)
        else:
            line = QLineEdit()
            if table_field.type == "date":
                line.setPlaceholderText(_("e.g. 2026-12-02"))
            self.widget = line
        self.widget.setObjectName(name)
        self.widget.setAccessibleName(label)
        self.problem = QLabel()
        self.problem.setObjectName(f"{name}:problem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #c0392b;")
        self.problem.hide()

    def value(self) -> Any:
        if isinstance(self.widget, QComboBox):
            return self.widget.currentData()
        if self.checkboxes:
            chosen = [box.property("option_id") for box in self.checkboxes if box.isChecked()]
            return chosen or None
        assert isinstance(self.widget, QLineEdit)
        return typed_cell(self.field, self.widget.text().strip())

    def set_value(self, raw: Any) -> None:
        if isinstance(self.widget, QComboBox):
            self.widget.setCurrentIndex(max(self.widget.findData(raw), 0))
        elif self.checkboxes:
            chosen = set(raw) if isinstance(raw, list) else set()
            for box in self.checkboxes:
                box.setChecked(box.property("option_id") in chosen)
        else:
            assert isinstance(self.widget, QLineEdit)
            self.widget.setText("" if raw is None else str(raw))

    def show_problems(self, messages: list[str]) -> None:
        self.problem.setText("\n".join(messages))
        self.problem.setVisible(bool(messages))

    def focus(self) -> None:
        (self.checkboxes[0] if self.checkboxes else self.widget).setFocus(Qt.FocusReason.OtherFocusReason)


class RowForm(QDialog):
    """Edit one row; accepted only once the row is valid, or the user chose to keep it incomplete."""

    def __init__(self, question: Question, language: Language, values: dict[str, Any], number: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.question = question
        self.language = language
        self.number = number
        self.setObjectName(f"{question.id}:form")
        self.setWindowTitle(_("Row %(row)d — %(question)s") % {"row": number, "question": question.text.get(language)})
        self.inputs: dict[str, _FieldInput] = {}
        self._keep_incomplete = False
        body = QWidget()
        form = QFormLayout(body)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for table_field in question.fields or []:
            field_input = _FieldInput(question.id, table_field, language)
            field_input.set_value(values.get(table_field.id))
            label = QLabel(table_field.label.get(language) + (" *" if table_field.required else ""))
            label.setWordWrap(True)
            label.setBuddy(field_input.checkboxes[0] if field_input.checkboxes else field_input.widget)
            column = QVBoxLayout()
            column.setSpacing(2)
            column.addWidget(field_input.widget)
            if table_field.help is not None:
                field_input.widget.setToolTip(table_field.help.get(language))
                field_input.widget.setAccessibleDescription(table_field.help.get(language))
                hint = QLabel(table_field.help.get(language))
                hint.setWordWrap(True)
                hint.setTextFormat(Qt.TextFormat.PlainText)
                hint.setStyleSheet("color: palette(placeholder-text);")
                column.addWidget(hint)
            column.addWidget(field_input.problem)
            form.addRow(label, column)
            self.inputs[table_field.id] = field_input
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(body)
        self.summary = QLabel()
        self.summary.setObjectName(f"{question.id}:form:summary")
        self.summary.setWordWrap(True)
        self.summary.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(_("Save row"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        self.resize(620, 640)

    def values(self) -> dict[str, Any]:
        """The row as the table keeps it: column id to raw value, empty columns left out."""
        return {field_id: value for field_id, field_input in self.inputs.items() if (value := field_input.value()) is not None}

    def problems(self) -> list[AnswerProblem]:
        _row, problems = read_row(self.question, self.values(), self.number)
        return problems

    def accept(self) -> None:
        problems = self.problems()
        by_field: dict[str, list[str]] = {}
        for problem in problems:
            by_field.setdefault(problem.field_id or "", []).append(answer_problem_message(problem, self.language))
        for field_id, field_input in self.inputs.items():
            field_input.show_problems(by_field.get(field_id, []))
        wrong_values = [p for p in problems if p.code != "row_field_required"]
        if not problems or (self._keep_incomplete and not wrong_values):
            super().accept()
            return
        first = next(p.field_id for p in problems if p.field_id in self.inputs)
        self.inputs[first].focus()
        if wrong_values:
            # A value the assessment cannot read would be lost or misread: it has to be corrected.
            self.summary.setText(_("Correct the values marked in red to save the row."))
            self._keep_incomplete = False
            self.ok_button.setText(_("Save row"))
        else:
            # Missing columns are said once; the user may still keep the row and finish it later.
            self.summary.setText(n_("%(n)d required column is empty. Fill it in, or save the row as it is and finish it later.",
                                    "%(n)d required columns are empty. Fill them in, or save the row as it is and finish it later.",
                                    len(problems)) % {"n": len(problems)})
            self._keep_incomplete = True
            self.ok_button.setText(_("Save incomplete row"))
        self.summary.show()
