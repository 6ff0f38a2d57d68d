"""The sign-off page: who signed the assessment with which decision, against the verdict they sign.

Whether a sign-off is questionable (an approval against the DPO's advice, or more permissive than
the verdict) is decided by core.evaluate(); this page shows its sign-off problems in words.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from .. import presentation
from ..core.assessment import SignOff
from ..core.evaluation import Evaluation
from ..presentation import outcome_label, reason_text, signoff_role_labels
from .actions_page import (
    KEY_ROLE,
    WARNING_STYLE,
    add_form_row,
    ask_to_confirm,
    chain_tab_order,
    date_edit,
    fit_columns,
    long_text_edit,
    name_buttons,
    plain_label,
    push_button,
    read_only_table,
    show_error,
    table_cell,
    to_date,
    to_qdate,
)
from .follow import follow_evaluations
from .language import _, current

_HINT_STYLE = "color: #a8321f;"


def role_labels() -> dict[str, str]:
    return signoff_role_labels(current())


def decision_labels() -> dict[str, str]:
    return presentation.decision_labels(current())


def _combo(object_name: str, labels: dict[str, str]) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(object_name)
    for key, text in labels.items():
        combo.addItem(text, key)
    return combo


def _select_data(combo: QComboBox, key: str) -> None:
    combo.setCurrentIndex(max(combo.findData(key), 0))


class SignOffDialog(QDialog):
    """Edits one sign-off. `commit` stores it and says whether that worked; the dialog stays open if not."""

    def __init__(self, signoff: SignOff, commit: Callable[[SignOffDialog], bool], title: str,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("signoff_dialog")
        self.setWindowTitle(title)
        self._commit = commit
        self._build()
        self._load(signoff)
        self._update_state()
        self.resize(600, 620)

    def _build(self) -> None:
        form = QFormLayout()
        self.role = _combo("signoff_role", role_labels())
        add_form_row(form, _("&Role:"), self.role)
        self.name = self._line("signoff_name", _("Full name (required)"))
        add_form_row(form, _("&Name:"), self.name)
        self.position = self._line("signoff_position", _("Job title"))
        add_form_row(form, _("&Position:"), self.position)
        self.date = date_edit("signoff_date")
        add_form_row(form, _("&Date:"), self.date)
        self.decision = _combo("signoff_decision", decision_labels())
        self.decision.setToolTip(_("The DPO's advice, or the approver's decision."))
        add_form_row(form, _("De&cision:"), self.decision)
        self.opinion = long_text_edit("signoff_opinion")
        add_form_row(form, _("&Opinion:"), self.opinion)
        self.conditions = long_text_edit("signoff_conditions")
        add_form_row(form, _("Condi&tions:"), self.conditions)
        self.overrules = QCheckBox(_("O&verrules the DPO's advice"))
        self.overrules.setObjectName("signoff_overrules")
        self.overrules.setAccessibleName(_("Overrules the DPO's advice"))
        self.overrules.setToolTip(_("Only an approver can decide against the DPO's advice, and must say why."))
        form.addRow("", self.overrules)
        self.overrule_reason = long_text_edit("signoff_overrule_reason")
        add_form_row(form, _("Re&ason for overruling:"), self.overrule_reason)
        self.hint = plain_label()
        self.hint.setObjectName("signoff_hint")
        self.hint.setStyleSheet(_HINT_STYLE)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        name_buttons(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        layout.addWidget(self.buttons)
        for signal in (self.role.currentIndexChanged, self.name.textChanged, self.overrules.toggled,
                       self.overrule_reason.textChanged):
            signal.connect(self._update_state)
        chain_tab_order([self.role, self.name, self.position, self.date, self.decision, self.opinion,
                         self.conditions, self.overrules, self.overrule_reason, self.ok_button])

    @staticmethod
    def _line(object_name: str, placeholder: str) -> QLineEdit:
        line = QLineEdit()
        line.setObjectName(object_name)
        line.setMaxLength(1000)
        line.setPlaceholderText(placeholder)
        return line

    @property
    def ok_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def _load(self, signoff: SignOff) -> None:
        _select_data(self.role, signoff.role)
        self.name.setText(signoff.name)
        self.position.setText(signoff.position)
        self.date.setDate(to_qdate(signoff.signed_on))
        _select_data(self.decision, signoff.decision)
        self.opinion.setPlainText(signoff.opinion)
        self.conditions.setPlainText(signoff.conditions)
        self.overrules.setChecked(signoff.overrules_dpo)
        self.overrule_reason.setPlainText(signoff.overrule_reason)

    def signoff(self) -> SignOff:
        """The sign-off as filled in; raises ValueError if a value is invalid."""
        overrules = self.overrules.isEnabled() and self.overrules.isChecked()
        return SignOff(
            role=self.role.currentData(),
            name=self.name.text(),
            position=self.position.text(),
            signed_on=to_date(self.date.date()),
            decision=self.decision.currentData(),
            opinion=self.opinion.toPlainText(),
            conditions=self.conditions.toPlainText(),
            overrules_dpo=overrules,
            # A reason typed and then un-ticked is not a reason on record.
            overrule_reason=self.overrule_reason.toPlainText() if overrules else "",
        )

    def _update_state(self) -> None:
        approver = self.role.currentData() == "approver"
        if not approver:
            self.overrules.setChecked(False)  # only an approver may overrule (SignOff refuses otherwise)
        self.overrules.setEnabled(approver)
        self.overrule_reason.setEnabled(approver and self.overrules.isChecked())
        problem = self._blocking_problem()
        self.ok_button.setEnabled(not problem)
        self.hint.setText(problem)
        self.hint.setVisible(bool(problem))

    def _blocking_problem(self) -> str:
        """Why OK is disabled, in words, or "" when the sign-off can be saved."""
        if not self.name.text().strip():
            return _("Enter the name of the person signing.")
        if self.overrules.isChecked() and not self.overrule_reason.toPlainText().strip():
            return _("Give the reason for overruling the DPO's advice.")
        return ""

    def accept(self) -> None:
        if not self.ok_button.isEnabled():
            return  # Enter in a field must not get round the disabled OK button
        if self._commit(self):
            super().accept()


def _signoff_headers() -> list[str]:
    return [_("Role"), _("Name"), _("Position"), _("Date"), _("Decision"), _("Opinion and conditions"),
            _("Overrules the DPO")]


class SignOffPage(QWidget):
    """The verdict being signed, the sign-off problems, and the table of sign-offs."""

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("signoff_page")
        self.session = session
        # Replaceable so tests (and embedding windows) can answer without a modal box.
        self.confirm: Callable[[QWidget, str, str], bool] = ask_to_confirm
        self.warn: Callable[[QWidget, str, str], None] = show_error
        self.dialog: SignOffDialog | None = None
        self._build()
        self._retranslate()
        follow_evaluations(self, session, self.refresh)
        self.refresh()

    def _build(self) -> None:
        self.verdict = plain_label()
        self.verdict.setObjectName("signoff_verdict")
        font = self.verdict.font()
        font.setBold(True)
        self.verdict.setFont(font)
        self.problems = plain_label()
        self.problems.setObjectName("signoff_problems")
        self.problems.setStyleSheet(WARNING_STYLE)
        self.table = read_only_table("signoff_table", _signoff_headers())
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemActivated.connect(lambda _item: self.edit_selected())
        self.add_button = push_button(_("&Add sign-off…"), "signoff_add")
        self.edit_button = push_button(_("&Edit…"), "signoff_edit")
        self.remove_button = push_button(_("Re&move"), "signoff_remove")
        self.add_button.clicked.connect(lambda: self.open_signoff_dialog())
        self.edit_button.clicked.connect(self.edit_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.verdict)
        layout.addWidget(self.problems)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        chain_tab_order([self.table, self.add_button, self.edit_button, self.remove_button])

    def _retranslate(self) -> None:
        self.table.setAccessibleName(_("Sign-offs"))
        self.problems.setAccessibleName(_("Sign-off problems"))
        self.table.setHorizontalHeaderLabels(_signoff_headers())

    def changeEvent(self, event: QEvent) -> None:
        # Qt sends this when the interface language is switched (its translator is swapped).
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
            self.refresh()
        super().changeEvent(event)

    # --- showing ---

    def refresh(self, evaluation: Evaluation | None = None) -> None:
        evaluation = evaluation or self.session.evaluation
        self._show_verdict(evaluation)
        self._show_problems(evaluation)
        self._show_signoffs()
        self._update_buttons()

    def _show_verdict(self, evaluation: Evaluation) -> None:
        verdict = evaluation.verdict
        text = _("Verdict: %(verdict)s") % {"verdict": outcome_label(verdict.outcome, current())}
        if verdict.provisional and verdict.outcome != "incomplete":
            text += " " + _("(provisional: required questions are unanswered or answers are unusable)")
        self.verdict.setText(text)

    def _show_problems(self, evaluation: Evaluation) -> None:
        language = current()
        lines = ["⚠ " + reason_text(problem, evaluation, self.session.pack, language)
                 for problem in evaluation.signoff_problems]
        self.problems.setText("\n".join(lines))
        self.problems.setVisible(bool(lines))

    def _show_signoffs(self) -> None:
        selected = self.table.currentRow() if self.table.selectedItems() else -1
        roles, decisions = role_labels(), decision_labels()
        signoffs = self.session.assessment.signoffs
        self.table.setRowCount(len(signoffs))
        for row, signoff in enumerate(signoffs):
            cells = [roles[signoff.role], signoff.name, signoff.position, signoff.signed_on.isoformat(),
                     decisions[signoff.decision], _summary(signoff), _overrule_text(signoff)]
            for column, text in enumerate(cells):
                self.table.setItem(row, column, table_cell(text, str(row)))
        if 0 <= selected < len(signoffs):
            self.table.selectRow(selected)
        fit_columns(self.table, stretch=5)

    def selected_index(self) -> int | None:
        items = self.table.selectedItems()
        return int(items[0].data(KEY_ROLE)) if items else None

    def _update_buttons(self) -> None:
        chosen = self.selected_index() is not None
        self.edit_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen)

    # --- editing ---

    def open_signoff_dialog(self, index: int | None = None) -> SignOffDialog | None:
        """Open the (window-modal) sign-off dialog for sign-off `index`, or a new one, and return it."""
        if self.dialog is not None and self.dialog.isVisible():
            return None
        if index is None:
            signoff = SignOff.model_construct(role="assessor", name="", position="",
                                              signed_on=self.session.evaluation.evaluated_on,
                                              decision="proceed_with_conditions", opinion="", conditions="",
                                              overrules_dpo=False, overrule_reason="")
            title = _("New sign-off")
        else:
            signoff = self.session.assessment.signoffs[index]
            title = _("Edit sign-off")
        self.dialog = SignOffDialog(signoff, lambda dialog: self._commit(dialog, index), title, self)
        self.dialog.open()
        return self.dialog

    def edit_selected(self) -> SignOffDialog | None:
        index = self.selected_index()
        return self.open_signoff_dialog(index) if index is not None else None

    def _commit(self, dialog: SignOffDialog, index: int | None) -> bool:
        failure = _("The sign-off was not saved")
        try:
            signoff = dialog.signoff()
        except ValueError as error:  # pydantic's ValidationError is a ValueError too
            self.warn(dialog, failure, str(error))
            return False
        signoffs = list(self.session.assessment.signoffs)
        if index is None:
            signoffs.append(signoff)
        else:
            signoffs[index] = signoff
        if not self._store(signoffs, failure, dialog):
            return False
        self.table.selectRow(len(signoffs) - 1 if index is None else index)
        return True

    def _store(self, signoffs: list[SignOff], failure_title: str, over: QWidget | None = None) -> bool:
        try:
            self.session.set_signoffs(signoffs)
        except ValueError as error:
            self.warn(over or self, failure_title, str(error))
            return False
        return True

    def remove_selected(self) -> bool:
        index = self.selected_index()
        if index is None:
            return False
        signoff = self.session.assessment.signoffs[index]
        question = _("Remove the sign-off by %(name)s (%(role)s)?") % {"name": signoff.name, "role": role_labels()[signoff.role]}
        if not self.confirm(self, _("Remove sign-off"), question):
            return False
        remaining = [s for i, s in enumerate(self.session.assessment.signoffs) if i != index]
        return self._store(remaining, _("The sign-off was not removed"))


def _summary(signoff: SignOff) -> str:
    parts = [" ".join(signoff.opinion.split())]
    if signoff.conditions.strip():
        parts.append(_("Conditions: %(conditions)s") % {"conditions": " ".join(signoff.conditions.split())})
    return " · ".join(p for p in parts if p) or "—"


def _overrule_text(signoff: SignOff) -> str:
    if not signoff.overrules_dpo:
        return "—"
    return _("Yes: %(reason)s") % {"reason": " ".join(signoff.overrule_reason.split())}
