"""The panels beside the questions: help for the focused question, and the live findings."""

from __future__ import annotations

import html

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ..core.evaluation import Evaluation, Finding
from ..core.packs import LoadedPack
from ..presentation import colon, list_separator, severity_label
from .language import _, current, n_
from .rich_text import paragraph

# Severity is shown by a coloured marker beside normal text, so the text itself stays in the
# palette's colours and is readable in light and dark themes alike.
SEVERITY_COLOURS = {"blocking": QColor("#c0392b"), "high": QColor("#e67e22"), "advisory": QColor("#2e86c1")}


def severity_icon(severity: str, ratio: float) -> QIcon:
    size = 14
    pixmap = QPixmap(int(size * ratio), int(size * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(SEVERITY_COLOURS[severity])
    painter.setPen(Qt.PenStyle.NoPen)
    if severity == "blocking":
        painter.drawRect(1, 1, size - 2, size - 2)  # shape as well as colour, for colour-blind users
    elif severity == "high":
        painter.drawPolygon([QPoint(size // 2, 1), QPoint(size - 1, size - 1), QPoint(1, size - 1)])
    else:
        painter.drawEllipse(1, 1, size - 2, size - 2)
    painter.end()
    return QIcon(pixmap)


def _browser(object_name: str, accessible_name: str) -> QTextBrowser:
    browser = QTextBrowser()
    browser.setObjectName(object_name)
    browser.setAccessibleName(accessible_name)
    # Nothing shown here ever opens a link or loads a resource.
    browser.setOpenLinks(False)
    browser.setOpenExternalLinks(False)
    return browser


class HelpPanel(QWidget):
    """'Why we ask' and the legal basis of the question that has the focus."""

    def __init__(self, loaded: LoadedPack, parent: QWidget | None = None):
        super().__init__(parent)
        self.loaded = loaded
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel(_("Help"))
        title.setStyleSheet("font-weight: bold;")
        layout.addWidget(title)
        self.browser = _browser("help", _("Help for the current question"))
        layout.addWidget(self.browser)
        self.show_question(None)

    def show_question(self, question_id: str | None) -> None:
        language = current()
        pack = self.loaded.pack
        if question_id is None or question_id not in pack.questions:
            self.browser.setHtml(paragraph(_("Select a question to see why it is asked and its legal basis.")))
            return
        question = pack.question(question_id)
        parts = [f"<h3>{html.escape(question.text.get(language))}</h3>",
                 f"<p>{html.escape(question.help.get(language))}</p>"]
        if question.refs:
            parts.append(paragraph(_("Legal basis"), bold=True) + "<ul>")
            for ref in question.refs:
                citation = self.loaded.catalog.citation(ref).text.get(language)
                title = self.loaded.catalog.get(ref).title.get(language)
                parts.append(f"<li>{html.escape(citation)}{colon(language)}{html.escape(title)}</li>")
            parts.append("</ul>")
        self.browser.setHtml("".join(parts))


class FindingsPanel(QWidget):
    """Findings as they arise, most severe first. Selecting one (click or arrow keys) shows its details;
    activating it (double-click or Enter) goes to the question behind it."""

    finding_selected = Signal(str)  # rule id
    finding_activated = Signal(str)  # rule id

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.heading = QLabel()
        self.heading.setStyleSheet("font-weight: bold;")
        self.heading.setWordWrap(True)  # never wider than the pane, even with three counts in Chinese
        layout.addWidget(self.heading)
        self.list = QListWidget()
        self.list.setObjectName("findings")
        self.list.setAccessibleName(_("Findings"))
        self.list.setWordWrap(True)
        self.list.setSpacing(2)
        self.list.itemActivated.connect(self._activated)
        self.list.currentItemChanged.connect(self._selected)
        # A click on the finding already selected shows its details again (after help replaced them).
        self.list.itemClicked.connect(self._selected)
        layout.addWidget(self.list)
        self._shown: tuple[str, ...] | None = None

    def show_findings(self, evaluation: Evaluation) -> None:
        ids = tuple(f.rule_id for f in evaluation.findings)
        counts = evaluation.severity_counts()
        self.heading.setText(n_("%(n)d finding", "%(n)d findings", len(ids)) % {"n": len(ids)} + "  " + _("(%(blocking)d blocking, %(high)d high, %(advisory)d advisory)") % counts)
        if ids == self._shown:
            return  # typing must stay fast: rebuild only when the findings change
        self._shown = ids
        self.list.clear()
        for finding in evaluation.findings:
            self.list.addItem(self._item(finding))

    def _item(self, finding: Finding) -> QListWidgetItem:
        language = current()
        label = severity_label(finding.severity, language)
        if finding.kind == "legal_question":
            label += " · " + _("legal question")
        citations = list_separator(language).join(c.text.get(language) for c in finding.citations)
        item = QListWidgetItem(f"{label}{colon(language)}{finding.title.get(language)}\n{citations}")
        item.setData(Qt.ItemDataRole.UserRole, finding.rule_id)
        item.setIcon(severity_icon(finding.severity, self.list.devicePixelRatioF()))
        item.setToolTip(finding.finding.get(language) + "\n\n" + _("Recommendation: ") + finding.recommendation.get(language))
        item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{label}{colon(language)}{finding.title.get(language)}")
        return item

    def _activated(self, item: QListWidgetItem) -> None:
        self.finding_activated.emit(item.data(Qt.ItemDataRole.UserRole))

    def _selected(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None = None) -> None:
        if item is not None:
            self.finding_selected.emit(item.data(Qt.ItemDataRole.UserRole))
