"""The portfolio window: every assessment under a folder at a glance, sortable and filterable.

A thin reader of core/portfolio.py (the same rows as `dpia portfolio`): one row per draft with its
verdict, open findings, overdue actions, next review, filing state and last approved version; the
processors whose sites add up past a threshold none of them reaches alone; Excel export; and a
double-click (or Enter) opens the draft.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressDialog,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.drafts import DraftError
from ..core.portfolio import PortfolioRow, ProcessorTotal, processor_totals, scan
from ..portfolio_report import crossing_text, filing_label, verdict_text, write_xlsx
from ..presentation import draft_error_text
from .actions_page import WARNING_STYLE, plain_label, show_error
from .language import _, current

PATH_ROLE = Qt.ItemDataRole.UserRole + 1


def _headers() -> list[str]:
    return [_("Assessment"), _("Organisation"), _("Site"), _("Verdict"), _("Open blocking findings"), _("Open high findings"),
            _("Overdue actions"), _("Next review"), _("Filing"), _("Filing deadline"), _("Last approved version")]


class _Item(QTableWidgetItem):
    """Sorts numbers as numbers and empty cells last."""

    def __init__(self, text: str, key: object = None):
        super().__init__(text)
        self.key = key if key is not None else text

    def __lt__(self, other: QTableWidgetItem) -> bool:
        mine, theirs = self.key, getattr(other, "key", other.text())
        if isinstance(mine, type(theirs)) or isinstance(theirs, type(mine)):
            try:
                return mine < theirs  # type: ignore[operator]
            except TypeError:
                pass
        return str(mine) < str(theirs)


class PortfolioWindow(QWidget):
    open_requested = Signal(object)  # Path of a draft

    def __init__(self, folder: Path, packs: Callable[[], dict], today: dt.date, problem_text: Callable[[Exception], str],
                 parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("portfolio_window")
        self.folder, self.packs, self.today, self.problem_text = folder, packs, today, problem_text
        self.rows: list[PortfolioRow] = []
        self.totals: list[ProcessorTotal] = []
        self.warn: Callable[[QWidget, str, str], None] = show_error
        self.ask_xlsx_path: Callable[[], Path | None] = self._ask_xlsx_path
        self._build()
        self.rescan()

    def _build(self) -> None:
        self.setWindowTitle(_("Portfolio — %(folder)s") % {"folder": self.folder})
        self.summary = plain_label()
        self.summary.setObjectName("portfolio_summary")
        self.filter = QLineEdit()
        self.filter.setObjectName("portfolio_filter")
        self.filter.setPlaceholderText(_("Filter: title, organisation, site, verdict…"))
        self.filter.setAccessibleName(_("Filter the assessments"))
        self.filter.textChanged.connect(self._apply_filter)
        self.table = QTableWidget(0, len(_headers()))
        self.table.setObjectName("portfolio_table")
        self.table.setAccessibleName(_("Assessments"))
        self.table.setHorizontalHeaderLabels(_headers())
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.itemActivated.connect(self._open)  # a double-click or Enter
        self.warnings = plain_label()
        self.warnings.setObjectName("portfolio_warnings")
        self.warnings.setStyleSheet(WARNING_STYLE)
        self.rescan_button = QPushButton(_("&Scan again"))
        self.rescan_button.setObjectName("portfolio_rescan")
        self.rescan_button.clicked.connect(self.rescan)
        self.export_button = QPushButton(_("&Export to Excel…"))
        self.export_button.setObjectName("portfolio_export")
        self.export_button.clicked.connect(self.export)
        top = QHBoxLayout()
        top.addWidget(QLabel(_("&Filter:")))
        top.itemAt(0).widget().setBuddy(self.filter)
        top.addWidget(self.filter, 1)
        top.addWidget(self.rescan_button)
        top.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.warnings)

    def rescan(self) -> None:
        progress = QProgressDialog(_("Reading the assessments…"), _("Cancel"), 0, 0, self)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(500)  # a cached rescan is over before it would show

        def step(done: int, total: int) -> None:
            progress.setMaximum(total)
            progress.setValue(done)

        self.rows = scan(self.folder, self.packs, self.today, self.problem_text, step)
        progress.close()
        self.totals = processor_totals(self.rows)
        self._fill()

    def _fill(self) -> None:
        language = current()
        self.table.setSortingEnabled(False)
        self.table.setRowCount(len(self.rows))
        for index, row in enumerate(self.rows):
            if row.readable:
                approved = (f"{row.last_approved} ({row.last_approved_on})" if row.last_approved else "")
                cells = [(row.title, None), (row.organisation, None), (row.site, None), (verdict_text(row, language), None),
                         (str(row.open_blocking), row.open_blocking), (str(row.open_high), row.open_high),
                         (str(row.overdue_actions), row.overdue_actions), (row.next_review or "", None),
                         (filing_label(row.filing_state, language), None), (row.filing_deadline or "", None), (approved, row.last_approved or 0)]
            else:
                cells = [(Path(row.path).name, None), ("", None), ("", None), (_("Cannot be read: %(problem)s") % {"problem": row.problem}, None)]
                cells += [("", None)] * (len(_headers()) - len(cells))
            for column, (text, key) in enumerate(cells):
                item = _Item(text, key)
                item.setData(PATH_ROLE, row.path)
                item.setToolTip(row.path if column == 0 else text)
                self.table.setItem(index, column, item)
        self.table.setSortingEnabled(True)
        self.table.resizeColumnsToContents()
        for column in range(1, self.table.columnCount()):
            # A long organisation name or a file's problem shows in full in its tooltip.
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), 260))
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        unreadable = sum(1 for row in self.rows if not row.readable)
        self.summary.setText(_("%(count)d assessments under %(folder)s; %(blocking)d with open blocking findings; %(unreadable)d cannot be read.") % {
            "count": len(self.rows), "folder": self.folder.name or str(self.folder), "blocking": sum(1 for r in self.rows if r.open_blocking),
            "unreadable": unreadable})
        self.summary.setToolTip(str(self.folder))
        warnings = [line for total in self.totals for line in crossing_text(total, language)]
        self.warnings.setText("\n".join(warnings))
        self.warnings.setVisible(bool(warnings))
        self._apply_filter(self.filter.text())

    def _apply_filter(self, text: str) -> None:
        needle = text.strip().casefold()
        for index in range(self.table.rowCount()):
            shown = not needle or any(needle in (self.table.item(index, c).text() or "").casefold()
                                      for c in range(self.table.columnCount()) if self.table.item(index, c) is not None)
            self.table.setRowHidden(index, not shown)

    def _open(self, item: QTableWidgetItem) -> None:
        path = item.data(PATH_ROLE)
        if path:
            self.open_requested.emit(Path(path))

    def _ask_xlsx_path(self) -> Path | None:
        name, _filter = QFileDialog.getSaveFileName(self, _("Export to Excel"), str(self.folder / "portfolio.xlsx"), "Excel (*.xlsx)")
        if not name:
            return None
        return Path(name) if name.lower().endswith(".xlsx") else Path(name + ".xlsx")

    def export(self) -> None:
        path = self.ask_xlsx_path()
        if path is None:
            return
        try:
            write_xlsx(path, self.rows, self.totals, current())
        except DraftError as error:
            self.warn(self, _("Export to Excel"), draft_error_text(error, current()))
