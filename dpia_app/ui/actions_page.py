"""The action plan page: the measures that treat findings and risks, and the dialog that edits one.

The page only turns the officer's edits into Action values for the session; whether a finding counts
as planned and how far a risk comes down is decided by core.evaluate() and read back from it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable

from PySide6.QtCore import QDate, QEvent, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.answers import LATEST_PLAUSIBLE_DATE
from ..core.assessment import Action
from ..core.evaluation import Evaluation
from ..core.text import Language
from ..presentation import (
    action_effect_labels,
    action_status_labels,
    list_separator,
    severity_label,
)
from .follow import follow_evaluations
from .language import _, current

DATE_FORMAT = "yyyy-MM-dd"
# Qt's "key" role for list items and table rows: the id behind the words shown.
KEY_ROLE = Qt.ItemDataRole.UserRole


# --- helpers shared with the sign-off page ----------------------------------------------------

def ask_to_confirm(parent: QWidget, title: str, text: str) -> bool:
    """The default confirmation: a modal Yes/No question (tests replace it, as it blocks)."""
    answer = QMessageBox.question(parent, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


def show_error(parent: QWidget, title: str, text: str) -> None:
    """The default error report: a modal warning (tests replace it, as it blocks)."""
    QMessageBox.warning(parent, title, text)


def accessible_text(label: str) -> str:
    """A label's words without its mnemonic ("&Owner:", "负责人(&W)：") for screen readers."""
    text = re.sub(r"\(&\w\)", "", label).replace("&&", "\0").replace("&", "").replace("\0", "&")
    return text.strip().rstrip(":：…").strip()


# A label that warns (sign-off problems, a group's threshold): the same look wherever it appears.
WARNING_STYLE = "QLabel { background: #fff4ce; color: #5c4400; border: 1px solid #e0b400; border-radius: 3px; padding: 6px; }"


def plain_label(text: str = "", *, wrap: bool = True) -> QLabel:
    """A label that never interprets user or pack text as HTML."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    return label


def add_form_row(form: QFormLayout, text: str, field: QWidget) -> QLabel:
    """A labelled row whose mnemonic focuses the field; the field is named after the label."""
    label = QLabel(text)
    label.setBuddy(field)
    field.setAccessibleName(accessible_text(text))
    form.addRow(label, field)
    return label


def name_buttons(buttons: QDialogButtonBox) -> None:
    # Qt's own OK/Cancel carry no accessible name of their own; give them their visible words.
    for button in buttons.buttons():
        button.setAccessibleName(accessible_text(button.text()))


def chain_tab_order(widgets: Iterable[QWidget]) -> None:
    """Tab moves through the fields in the order they are shown."""
    ordered = list(widgets)
    for first, second in zip(ordered, ordered[1:]):
        QWidget.setTabOrder(first, second)


def date_edit(object_name: str, value: dt.date | None = None) -> QDateEdit:
    editor = QDateEdit()
    editor.setObjectName(object_name)
    editor.setCalendarPopup(True)
    editor.setDisplayFormat(DATE_FORMAT)
    editor.setMinimumDate(QDate(2000, 1, 1))
    # Qt's own maximum is 9999-12-31, a date from which no review or retention can be counted.
    editor.setMaximumDate(to_qdate(LATEST_PLAUSIBLE_DATE))
    # A date is ten characters: stretching it across a form only spreads the eye.
    editor.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
    if value is not None:
        editor.setDate(to_qdate(value))
    return editor


def to_date(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


def to_qdate(value: dt.date) -> QDate:
    return QDate(value.year, value.month, value.day)


def long_text_edit(object_name: str, text: str = "") -> QPlainTextEdit:
    editor = QPlainTextEdit(text)
    editor.setObjectName(object_name)
    editor.setTabChangesFocus(True)  # keyboard users must be able to leave the field
    editor.setMinimumHeight(60)
    return editor


def read_only_table(object_name: str, headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(object_name)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setWordWrap(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return table


def fit_columns(table: QTableWidget, stretch: int, widest: int = 220) -> None:
    """Short columns fit their words (within reason); the free text column takes the rest."""
    table.resizeColumnsToContents()
    for column in range(table.columnCount()):
        if column != stretch and table.columnWidth(column) > widest:
            table.setColumnWidth(column, widest)
    table.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)


def table_cell(text: str, key: str | None = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    # Cells are cut short in the table; the tooltip shows all of a long measure or opinion.
    item.setToolTip(text)
    if key is not None:
        item.setData(KEY_ROLE, key)
    return item


def push_button(text: str, object_name: str) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(object_name)
    button.setAccessibleName(accessible_text(text))
    return button


# --- words for the action fields ---------------------------------------------------------------

def status_labels() -> dict[str, str]:
    return action_status_labels(current())


def effect_labels() -> dict[str, str]:
    return action_effect_labels(current())


def next_action_id(actions: Iterable[Action]) -> str:
    """A short id ("A-4") that conditions and sign-offs can refer to, unlike a random one."""
    taken = {action.id for action in actions}
    numbers = [int(match.group(1)) for i in taken if (match := re.fullmatch(r"A-(\d+)", i))]
    candidate = max(numbers, default=0) + 1
    while f"A-{candidate}" in taken:
        candidate += 1
    return f"A-{candidate}"


def _check_list(object_name: str, label: str) -> QListWidget:
    widget = QListWidget()
    widget.setObjectName(object_name)
    widget.setAccessibleName(accessible_text(label))
    widget.setMinimumHeight(90)
    widget.setWordWrap(True)  # long finding titles wrap rather than hide behind a scroll bar
    widget.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return widget


def _add_checkable(widget: QListWidget, key: str, text: str, checked: bool) -> QListWidgetItem:
    item = QListWidgetItem(text, widget)
    item.setData(KEY_ROLE, key)
    # The id is for those who cite it: in the tooltip, never instead of the title.
    item.setToolTip(f"{text}\n{key}")
    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
    item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
    return item


def _checked_keys(widget: QListWidget) -> list[str]:
    return [widget.item(row).data(KEY_ROLE) for row in range(widget.count())
            if widget.item(row).checkState() == Qt.CheckState.Checked]


# --- the dialog --------------------------------------------------------------------------------

class ActionDialog(QDialog):
    """Edits one action. `commit` stores it and says whether that worked; the dialog stays open if not."""

    def __init__(self, evaluation: Evaluation, action: Action, commit: Callable[[ActionDialog], bool],
                 title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("action_dialog")
        self.setWindowTitle(title)
        self.original = action
        self.evaluation = evaluation
        self._commit = commit
        self.language: Language = current()
        self._build()
        self._load(action)
        self._update_ok()
        self._update_due()
        self.resize(720, 640)

    def _build(self) -> None:
        form = QFormLayout()
        self.measure = long_text_edit("action_measure")
        self.measure.setPlaceholderText(_("What will be done (required)"))
        add_form_row(form, _("&Measure:"), self.measure)
        self.owner = QLineEdit()
        self.owner.setObjectName("action_owner")
        self.owner.setMaxLength(1000)
        self.owner.setPlaceholderText(_("Person or team responsible"))
        add_form_row(form, _("O&wner:"), self.owner)
        self._add_due_row(form)
        self.due_hint = plain_label(_("A high finding counts as planned only when an action for it has a due date."))
        self.due_hint.setObjectName("action_due_hint")
        form.addRow("", self.due_hint)
        self.status = QComboBox()
        self.status.setObjectName("action_status")
        for key, text in status_labels().items():
            self.status.addItem(text, key)
        add_form_row(form, _("&Status:"), self.status)
        self.findings = _check_list("action_findings", _("Linked findings"))
        add_form_row(form, _("&Findings:"), self.findings)
        self.risks = _check_list("action_risks", _("Linked risks"))
        add_form_row(form, _("&Risks:"), self.risks)
        self.effect = QComboBox()
        self.effect.setObjectName("action_effect")
        for key, text in effect_labels().items():
            self.effect.addItem(text, key)
        self.effect.setToolTip(_("The residual risk is computed from this: each linked risk's likelihood or impact is "
                                 "lowered by one level for this action, unless the action is cancelled."))
        add_form_row(form, _("&Effect on residual risk:"), self.effect)
        self.ok_hint = plain_label(_("Describe the measure to save the action."))
        self.ok_hint.setObjectName("action_ok_hint")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        name_buttons(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.ok_hint)
        layout.addWidget(self.buttons)
        self.measure.textChanged.connect(self._update_ok)
        self.no_due.toggled.connect(self._update_due)
        self.findings.itemChanged.connect(self._update_due)
        chain_tab_order([self.measure, self.owner, self.due, self.no_due, self.status, self.findings, self.risks,
                         self.effect, self.ok_button])

    def _add_due_row(self, form: QFormLayout) -> None:
        self.due = date_edit("action_due", self.evaluation.evaluated_on)
        self.no_due = QCheckBox(_("&No due date"))
        self.no_due.setObjectName("action_no_due")
        self.no_due.setAccessibleName(accessible_text(_("&No due date")))
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.due)
        layout.addWidget(self.no_due)
        layout.addStretch(1)
        label = QLabel(_("&Due date:"))
        label.setBuddy(self.due)
        self.due.setAccessibleName(accessible_text(_("&Due date:")))
        form.addRow(label, row)

    @property
    def ok_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    # --- loading and reading ---

    def _load(self, action: Action) -> None:
        self.measure.setPlainText(action.measure)
        self.owner.setText(action.owner)
        if action.due is not None:
            self.due.setDate(to_qdate(action.due))
        # A new action starts undated: the officer must choose a date, not accept an invented one.
        self.no_due.setChecked(action.due is None)
        self.status.setCurrentIndex(max(self.status.findData(action.status), 0))
        self.effect.setCurrentIndex(max(self.effect.findData(action.effect), 0))
        self._load_findings(action.finding_ids)
        self._load_risks(action.risk_ids)

    def _load_findings(self, linked: list[str]) -> None:
        current_ids = set()
        for finding in self.evaluation.findings:  # already most severe first
            current_ids.add(finding.rule_id)
            text = f"{severity_label(finding.severity, self.language)} · {finding.title.get(self.language)}"
            _add_checkable(self.findings, finding.rule_id, text, finding.rule_id in linked)
        # Links to findings no longer raised are kept (and shown) so that saving does not drop them.
        for rule_id in linked:
            if rule_id not in current_ids:
                _add_checkable(self.findings, rule_id, _("%(id)s (no longer raised)") % {"id": rule_id}, True)

    def _load_risks(self, linked: list[str]) -> None:
        current_ids = set()
        for risk in self.evaluation.risks:
            current_ids.add(risk.risk_id)
            _add_checkable(self.risks, risk.risk_id, risk.title.get(self.language), risk.risk_id in linked)
        for risk_id in linked:
            if risk_id not in current_ids:
                _add_checkable(self.risks, risk_id, _("%(id)s (does not apply now)") % {"id": risk_id}, True)

    def action(self) -> Action:
        """The action as filled in, under its original id; raises ValueError if a value is invalid."""
        return Action(
            id=self.original.id,
            measure=self.measure.toPlainText(),
            owner=self.owner.text(),
            due=None if self.no_due.isChecked() else to_date(self.due.date()),
            status=self.status.currentData(),
            finding_ids=_checked_keys(self.findings),
            risk_ids=_checked_keys(self.risks),
            effect=self.effect.currentData(),
            notes=self.original.notes,  # not edited here, but never lost
        )

    # --- state ---

    def _update_ok(self) -> None:
        filled = bool(self.measure.toPlainText().strip())
        self.ok_button.setEnabled(filled)
        self.ok_hint.setVisible(not filled)

    def _update_due(self) -> None:
        self.due.setEnabled(not self.no_due.isChecked())
        severe = {f.rule_id for f in self.evaluation.findings if f.severity in ("blocking", "high")}
        self.due_hint.setVisible(self.no_due.isChecked() and bool(severe & set(_checked_keys(self.findings))))

    def accept(self) -> None:
        if not self.ok_button.isEnabled():
            return  # Enter in a field must not get round the disabled OK button
        if self._commit(self):
            super().accept()


# --- the page ----------------------------------------------------------------------------------

def _action_headers() -> list[str]:
    return [_("ID"), _("Measure"), _("Owner"), _("Due date"), _("Status"), _("Findings"), _("Risks"),
            _("Effect on residual risk")]


class ActionPlanPage(QWidget):
    """The action plan: what remains to be planned, the table of actions, and add/edit/remove."""

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("action_plan_page")
        self.session = session
        # Replaceable so tests (and embedding windows) can answer without a modal box.
        self.confirm: Callable[[QWidget, str, str], bool] = ask_to_confirm
        self.warn: Callable[[QWidget, str, str], None] = show_error
        self.dialog: ActionDialog | None = None
        self._build()
        self._retranslate()
        follow_evaluations(self, session, self.refresh)
        self.refresh()

    def _build(self) -> None:
        self.hint_title = plain_label()
        self.hint_title.setObjectName("action_hint_title")
        self.hint_list = QListWidget()
        self.hint_list.setObjectName("action_hint")
        self.hint_list.itemClicked.connect(self._hint_chosen)
        self.hint_list.itemActivated.connect(self._hint_chosen)
        self.table = read_only_table("action_table", _action_headers())
        self.table.verticalHeader().hide()  # the ID column numbers the rows
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemActivated.connect(lambda _item: self.edit_selected())
        self.add_button = push_button(_("&Add action…"), "action_add")
        self.edit_button = push_button(_("&Edit…"), "action_edit")
        self.remove_button = push_button(_("Re&move"), "action_remove")
        self.add_button.clicked.connect(lambda: self.open_action_dialog())
        self.edit_button.clicked.connect(self.edit_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint_title)
        layout.addWidget(self.hint_list)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        chain_tab_order([self.hint_list, self.table, self.add_button, self.edit_button, self.remove_button])

    def _retranslate(self) -> None:
        self.hint_list.setAccessibleName(_("High findings without a dated action"))
        self.hint_list.setToolTip(_("Click a finding to plan an action for it."))
        self.table.setAccessibleName(_("Actions"))
        self.table.setHorizontalHeaderLabels(_action_headers())

    def changeEvent(self, event: QEvent) -> None:
        # Qt sends this when the interface language is switched (its translator is swapped).
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
            self.refresh()
        super().changeEvent(event)

    # --- showing ---

    def refresh(self, evaluation: Evaluation | None = None) -> None:
        evaluation = evaluation or self.session.evaluation
        self._show_hint(evaluation)
        self._show_actions(evaluation)
        self._update_buttons()

    def _show_hint(self, evaluation: Evaluation) -> None:
        language = current()
        waiting = [f for f in evaluation.findings if f.severity == "high" and not f.has_dated_action]
        self.hint_list.clear()
        for finding in waiting:
            item = QListWidgetItem(finding.title.get(language), self.hint_list)
            item.setData(KEY_ROLE, finding.rule_id)
            item.setToolTip(finding.rule_id)
        if waiting:
            self.hint_title.setText(_("These high findings still need an action with a due date "
                                      "(click one to plan it):"))
        else:
            self.hint_title.setText(_("Every high finding has an action with a due date."))
        self.hint_list.setVisible(bool(waiting))
        self._fit_hint_height(len(waiting))

    def _fit_hint_height(self, rows: int) -> None:
        # As tall as its entries (up to five, then it scrolls), so the table keeps the space.
        row_height = self.hint_list.sizeHintForRow(0) if rows else 0
        frame = 2 * self.hint_list.frameWidth()
        self.hint_list.setFixedHeight(frame + row_height * min(max(rows, 1), 5) + 2)

    def _show_actions(self, evaluation: Evaluation) -> None:
        selected = self.selected_action_id()
        statuses, effects = status_labels(), effect_labels()
        actions = self.session.assessment.actions
        language = current()
        # Linked findings and risks by title; an id stays only for one the answers no longer raise.
        titles = {f.rule_id: f.title.get(language) for f in evaluation.findings}
        titles.update({r.risk_id: r.title.get(language) for r in evaluation.risks})
        separator = list_separator(language)
        self.table.setRowCount(len(actions))
        for row, action in enumerate(actions):
            cells = [action.id, " ".join(action.measure.split()), action.owner,
                     action.due.isoformat() if action.due else "—", statuses[action.status],
                     separator.join(titles.get(i, i) for i in action.finding_ids) or "—",
                     separator.join(titles.get(i, i) for i in action.risk_ids) or "—", effects[action.effect]]
            for column, text in enumerate(cells):
                self.table.setItem(row, column, table_cell(text, action.id))
            if action.id == selected:
                self.table.selectRow(row)
        fit_columns(self.table, stretch=1)

    def selected_action_id(self) -> str | None:
        items = self.table.selectedItems()
        return items[0].data(KEY_ROLE) if items else None

    def _selected_action(self) -> Action | None:
        wanted = self.selected_action_id()
        return next((a for a in self.session.assessment.actions if a.id == wanted), None)

    def _update_buttons(self) -> None:
        chosen = self._selected_action() is not None
        self.edit_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen)

    # --- editing ---

    def open_action_dialog(self, action: Action | None = None, finding_id: str | None = None) -> ActionDialog | None:
        """Open the (window-modal) action dialog and return it; `finding_id` pre-links a new action."""
        if self.dialog is not None and self.dialog.isVisible():
            return None  # one click on a hint entry may arrive as both "clicked" and "activated"
        editing = action is not None
        if action is None:
            action = self._new_action(finding_id)
        title = _("Edit action %(id)s") % {"id": action.id} if editing else _("New action")
        self.dialog = ActionDialog(self.session.evaluation, action, self._commit, title, self)
        self.dialog.open()
        return self.dialog

    def _new_action(self, finding_id: str | None) -> Action:
        measure = ""
        if finding_id is not None:
            finding = next((f for f in self.session.evaluation.findings if f.rule_id == finding_id), None)
            # The pack's recommendation is a starting point for the officer to adapt, not the plan itself.
            measure = finding.recommendation.get(current()) if finding is not None else ""
        return Action.model_construct(id=next_action_id(self.session.assessment.actions), measure=measure, owner="",
                                      due=None, status="planned", finding_ids=[finding_id] if finding_id else [],
                                      risk_ids=[], effect="none", notes="")

    def _hint_chosen(self, item: QListWidgetItem) -> None:
        self.open_action_dialog(finding_id=item.data(KEY_ROLE))

    def edit_selected(self) -> ActionDialog | None:
        action = self._selected_action()
        return self.open_action_dialog(action) if action is not None else None

    def _commit(self, dialog: ActionDialog) -> bool:
        failure = _("The action was not saved")
        try:
            action = dialog.action()
        except ValueError as error:  # pydantic's ValidationError is a ValueError too
            self.warn(dialog, failure, str(error))
            return False
        actions = list(self.session.assessment.actions)
        index = next((i for i, a in enumerate(actions) if a.id == action.id), None)
        if index is None:
            actions.append(action)
        else:
            actions[index] = action
        if not self._store(actions, failure, dialog):
            return False
        self._select(action.id)
        return True

    def _store(self, actions: list[Action], failure_title: str, over: QWidget | None = None) -> bool:
        try:
            self.session.set_actions(actions)
        except ValueError as error:  # pydantic's ValidationError is a ValueError too
            self.warn(over or self, failure_title, str(error))
            return False
        return True

    def _select(self, action_id: str) -> None:
        for row in range(self.table.rowCount()):
            if self.table.item(row, 0).data(KEY_ROLE) == action_id:
                self.table.selectRow(row)
                return

    def remove_selected(self) -> bool:
        action = self._selected_action()
        if action is None:
            return False
        question = _("Remove action %(id)s (%(measure)s)? Findings and risks linked to it lose this measure.") % {
            "id": action.id, "measure": _shorten(action.measure)}
        if not self.confirm(self, _("Remove action"), question):
            return False
        remaining = [a for a in self.session.assessment.actions if a.id != action.id]
        return self._store(remaining, _("The action was not removed"))


def _shorten(text: str, limit: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
