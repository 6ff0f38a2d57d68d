"""A table question (device locations, processing activities): a grid of rows with add, edit and
remove, and each row checked when the user leaves it, not while they are still typing it.

Narrow tables are typed into directly. Wide ones (more than INLINE_COLUMNS columns) show their first
columns and a "to fill in" column, and a row is edited in the row form: a 13-column grid would
scroll sideways at any usual window size.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.answers import AnswerProblem, read_row
from ..core.formpack import TableField
from ..presentation import item_separator
from .language import _
from .question_widgets import QuestionEditor, tag
from .table_cells import cell_choices, shown_cell, typed_cell
from .table_row_form import RowForm

INLINE_COLUMNS = 5  # tables up to this wide are typed into; wider ones are edited in the row form
OVERVIEW_COLUMNS = 3  # what a wide table shows of each row, besides what is left to fill in
RAW_VALUE = Qt.ItemDataRole.UserRole  # the saved value of a cell that shows words instead


class TableEditor(QuestionEditor):
    """A repeating table with add, edit (row form) and remove buttons."""

    validation_changed = Signal()  # a row was left: its problems are now shown and counted

    def _build_input(self) -> QWidget:
        fields = self.question.fields or []
        self.inline = len(fields) <= INLINE_COLUMNS
        self._open_row: int | None = None  # the row being typed in; its problems wait until it is left
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        self.table = QTableWidget(0, len(fields) + (0 if self.inline else 1))
        self.table.setObjectName(f"{self.question.id}:table")
        self.table.setAccessibleName(self.question.text.get(self.language))
        for column, table_field in enumerate(fields):
            label = table_field.label.get(self.language) + (" *" if table_field.required else "")
            item = QTableWidgetItem(label)
            # The whole heading and what the column wants, for a heading cut short by a narrow column.
            tip = label if table_field.help is None else f"{label}\n{table_field.help.get(self.language)}"
            item.setToolTip(tip + ("\n" + _("* required") if table_field.required else ""))
            self.table.setHorizontalHeaderItem(column, item)
        if not self.inline:
            status = QTableWidgetItem(_("To fill in"))
            status.setToolTip(_("Required columns of the row that are still empty or need correcting. Double-click a row, or press Enter, to edit all its columns."))
            self.table.setHorizontalHeaderItem(len(fields), status)
            for column in range(OVERVIEW_COLUMNS, len(fields)):
                self.table.setColumnHidden(column, True)
            self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            self.table.activated.connect(lambda index: self.open_row_form(index.row()))  # double-click or Enter
        header = self.table.horizontalHeader()
        # Long headings wrap onto a second line instead of widening the table past the page.
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWordWrap)
        header.setMinimumHeight(2 * self.table.fontMetrics().height() + 8)
        if self.inline:
            header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
            header.setStretchLastSection(True)
        else:
            # The few columns shown share the width; what is left to fill in takes what it needs.
            for column in range(OVERVIEW_COLUMNS):
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
            header.setSectionResizeMode(len(fields), QHeaderView.ResizeMode.ResizeToContents)
        self._fit_columns()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setMinimumHeight(120)
        self.table.itemChanged.connect(self._item_changed)
        self.table.currentCellChanged.connect(lambda row, _column, _old_row, _old_column: self._moved_to_row(row))
        tag(self.table, self.question.id)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(_("&Add row") if self.inline else _("&Add row…"))
        self.add_button.setObjectName(f"{self.question.id}:add")
        self.edit_button = QPushButton(_("&Edit row…"))
        self.edit_button.setObjectName(f"{self.question.id}:edit")
        self.edit_button.setToolTip(_("All columns of the selected row as a form"))
        self.remove_button = QPushButton(_("&Remove row"))
        self.remove_button.setObjectName(f"{self.question.id}:remove")
        for button in (self.add_button, self.edit_button, self.remove_button):
            tag(button, self.question.id)
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.add_button.clicked.connect(lambda: self._add_row() if self.inline else self.open_row_form(None))
        self.edit_button.clicked.connect(self._edit_current_row)
        self.remove_button.clicked.connect(self._remove_row)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        box.setFocusProxy(self.table)
        return box

    # --- cells --------------------------------------------------------------------------------

    def _set_cell(self, row: int, column: int, table_field: TableField, value: Any) -> None:
        if self.inline and table_field.type in ("single_choice", "yes_no"):
            combo = QComboBox()
            combo.setAccessibleName(table_field.label.get(self.language))
            combo.setObjectName(f"{self.question.id}:{row}:{table_field.id}")
            tag(combo, self.question.id)
            combo.addItem("—", None)
            for key, label in cell_choices(table_field, self.language):
                combo.addItem(label, key)
            combo.setCurrentIndex(max(combo.findData(value), 0))
            combo.currentIndexChanged.connect(lambda _index, combo=combo: self._combo_changed(combo))
            self.table.setCellWidget(row, column, combo)
        elif self.inline and table_field.type != "multi_choice":
            self.table.setItem(row, column, QTableWidgetItem("" if value is None else str(value)))
        else:
            # Shown in words, kept as saved, changed in the row form.
            item = QTableWidgetItem(shown_cell(table_field, value, self.language))
            item.setData(RAW_VALUE, value)
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.table.setItem(row, column, item)

    def _cell_value(self, row: int, column: int, table_field: TableField) -> Any:
        widget = self.table.cellWidget(row, column)
        if isinstance(widget, QComboBox):
            return widget.currentData()
        item = self.table.item(row, column)
        if item is None:
            return None
        if not item.flags() & Qt.ItemFlag.ItemIsEditable:
            return item.data(RAW_VALUE)
        return typed_cell(table_field, item.text().strip())

    def row_values(self, row: int) -> dict[str, Any]:
        values = {}
        for column, table_field in enumerate(self.question.fields or []):
            value = self._cell_value(row, column, table_field)
            if value is not None:
                values[table_field.id] = value
        return values

    def _fill_row(self, row: int, values: dict[str, Any]) -> None:
        self.table.blockSignals(True)
        try:
            for column, table_field in enumerate(self.question.fields or []):
                self._set_cell(row, column, table_field, values.get(table_field.id))
            if not self.inline:
                self._show_what_is_left(row, values)
        finally:
            self.table.blockSignals(False)

    def _show_what_is_left(self, row: int, values: dict[str, Any]) -> None:
        """The last column of a wide table: which columns of the row still need the user."""
        _typed, problems = read_row(self.question, values, row + 1)
        columns = []
        for problem in problems:
            table_field = self.question.field(problem.field_id) if problem.field_id else None
            label = table_field.label.get(self.language) if table_field is not None else problem.code
            if label not in columns:
                columns.append(label)
        item = QTableWidgetItem(item_separator(self.language).join(columns) if columns else "✓ " + _("Complete"))
        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
        self.table.setItem(row, len(self.question.fields or []), item)

    # --- rows ---------------------------------------------------------------------------------

    def _add_row(self, values: dict[str, Any] | None = None) -> None:
        row = self.table.rowCount()
        self.table.blockSignals(True)
        self.table.insertRow(row)
        self.table.blockSignals(False)
        self._fill_row(row, values if isinstance(values, dict) else {})
        if not self._loading:
            # The new row is not an answer yet: it counts (and is checked) once something is typed in it.
            self.table.setCurrentCell(row, 0)
            self.table.setFocus()

    def _edit_current_row(self) -> None:
        if self.table.rowCount() == 0:
            self.open_row_form(None)  # nothing to edit yet: the form starts the first row
        else:
            self.open_row_form(max(self.table.currentRow(), 0))

    def open_row_form(self, row: int | None) -> RowForm | None:
        """All columns of a row (None: a new one) as a form; the row changes only when it is saved."""
        if row is not None and not 0 <= row < self.table.rowCount():
            return None
        self._close_open_row()
        number = self.table.rowCount() + 1 if row is None else row + 1
        form = RowForm(self.question, self.language, {} if row is None else self.row_values(row), number, self)
        form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        form.accepted.connect(lambda: self._row_saved(row, form.values()))
        form.open()
        return form

    def _row_saved(self, row: int | None, values: dict[str, Any]) -> None:
        if row is None:
            row = self.table.rowCount()
            self.table.blockSignals(True)
            self.table.insertRow(row)
            self.table.blockSignals(False)
        self._fill_row(row, values)
        self.table.setCurrentCell(row, 0)
        self._emit_rows()

    def _remove_row(self) -> None:
        rows = sorted({index.row() for index in self.table.selectedIndexes()} or {self.table.currentRow()}, reverse=True)
        self._open_row = None  # the rows below move up: no row is half-typed any more
        for row in rows:
            if row >= 0:
                self.table.removeRow(row)
        self._emit_rows()
        self.validation_changed.emit()

    def rows(self) -> list[dict[str, Any]]:
        result = [self.row_values(row) for row in range(self.table.rowCount())]
        # Rows added but not yet filled in are not part of the answer (no "must be filled in" before
        # anything is typed); an empty row between filled ones stays, so row numbers keep matching.
        while result and not result[-1]:
            result.pop()
        return result

    def _emit_rows(self) -> None:
        self._emit(self.rows())

    def _show(self, raw: Any) -> None:
        self._open_row = None
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        self.table.blockSignals(False)
        for row in raw if isinstance(raw, list) else []:
            self._add_row(row if isinstance(row, dict) else {})
        self._fit_columns()

    # --- checking a row once it is left ---------------------------------------------------------

    def _item_changed(self, item: QTableWidgetItem) -> None:
        self._open_row = item.row()
        self._emit_rows()

    def _combo_changed(self, combo: QComboBox) -> None:
        self._open_row = self.table.indexAt(combo.pos()).row()
        self._emit_rows()

    def _moved_to_row(self, row: int) -> None:
        if self._open_row is not None and row != self._open_row:
            self._close_open_row()

    def leave(self) -> None:
        """The focus went elsewhere in the window, or the step was left: whatever row was being
        typed is checked now. (A combo's list or a dialog is another window and does not count.)"""
        self._close_open_row()

    def _close_open_row(self) -> None:
        if self._open_row is None:
            return
        self._open_row = None
        self.show_problems(self._problems)
        self.validation_changed.emit()

    def visible_problems(self, problems: list[tuple[AnswerProblem, str]]) -> list[tuple[AnswerProblem, str]]:
        if self._open_row is None:
            return problems
        return [(problem, text) for problem, text in problems if problem.row != self._open_row + 1]

    def _fit_columns(self) -> None:
        """Columns as wide as their contents and the longest word of their heading (which wraps),
        within bounds, so the common table fits the page without sideways scrolling."""
        if not self.inline:
            return  # the header shares the width out (see _build_input)
        metrics = self.table.fontMetrics()
        self.table.resizeColumnsToContents()
        header = self.table.horizontalHeader()
        fields = self.question.fields or []
        for column, table_field in enumerate(fields[:-1]):  # the last column takes the room left
            words = table_field.label.get(self.language).split() or [""]
            heading = max(metrics.horizontalAdvance(word) for word in words) + 24
            content = self.table.sizeHintForColumn(column) if self.table.rowCount() else 0
            header.resizeSection(column, min(max(heading, content, 70), 200))

