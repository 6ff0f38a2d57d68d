"""The details of one finding on screen: what, why, what to do, the law, the answers behind it, its actions.

The words come from dpia_app.finding_details (Qt-free), the same the report prints; this module only
lays them out, with each answer a button that goes to its question and an "Add action" button.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ..core.evaluation import Finding
from ..finding_details import FindingDetails, finding_details
from ..presentation import colon
from .language import _, current
from .session import AssessmentSession


def _text(text: str, *, bold: bool = False, small: bool = False, secondary: bool = False) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    # Plain text: pack and answer text is shown as written, never interpreted as markup or links.
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    font = label.font()
    font.setBold(bold)
    if small:
        font.setPointSizeF(font.pointSizeF() * 0.9)
    label.setFont(font)
    if secondary:
        label.setEnabled(False)  # the palette's secondary text colour, light and dark alike
    return label


class FindingDetailsView(QScrollArea):
    """One finding, readable without the PDF; empty until a finding is shown."""

    question_requested = Signal(str)  # question id
    add_action_requested = Signal(str)  # rule id

    def __init__(self, session: AssessmentSession, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.setObjectName("finding_details")
        self.setAccessibleName(_("Finding details"))
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        # Text wraps to the pane's width; nothing here is wider than the words it holds.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.rule_id: str | None = None
        self.details: FindingDetails | None = None
        self.cause_buttons: dict[str, QLabel] = {}
        self.add_action_button: QPushButton | None = None
        self.setWidget(QWidget())

    def show_finding(self, rule_id: str) -> bool:
        """Show the finding as the latest evaluation has it; False if the answers no longer raise it."""
        finding = next((f for f in self.session.evaluation.findings if f.rule_id == rule_id), None)
        self.rule_id = rule_id
        if finding is None:
            self._show_resolved()
            return False
        self._show(finding)
        return True

    def refresh(self) -> None:
        if self.rule_id is not None:
            self.show_finding(self.rule_id)

    def _show_resolved(self) -> None:
        self.details = None
        self.cause_buttons = {}
        self.add_action_button = None
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(_text(_("The current answers no longer raise this finding.")))
        layout.addStretch(1)
        self.setWidget(body)

    def _show(self, finding: Finding) -> None:
        language = current()
        details = finding_details(finding, self.session.loaded, self.session.assessment, language)
        if details == self.details:
            return  # typing elsewhere re-evaluates often; rebuild only when the details change
        self.details = details
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setSpacing(6)
        kind = f"{details.severity} · {_('legal question')}" if details.legal_question else details.severity
        layout.addWidget(_text(f"{kind}{colon(language)}{details.title}", bold=True))
        # The rule id is for people who cite it, in small secondary text, never instead of the title.
        rule = _text(_("Rule %(id)s") % {"id": details.rule_id}, small=True, secondary=True)
        rule.setObjectName("finding_rule_id")
        layout.addWidget(rule)
        for heading, text in ((_("What was found"), details.finding), (_("Why it matters"), details.why),
                              (_("What to do"), details.recommendation)):
            layout.addWidget(_text(heading, bold=True))
            layout.addWidget(_text(text))
        layout.addWidget(_text(_("Legal basis"), bold=True))
        for basis in details.legal_basis:
            title = f"{basis.citation}{colon(language)}{basis.title}"
            if not basis.binding:
                title += " " + _("(draft for comment, not law)")
            citation = _text(title)
            citation.setToolTip("\n".join(basis.notes))
            layout.addWidget(citation)
            layout.addWidget(_text(basis.summary, small=True))
        # What the citations' small signs mean, once for the finding (the summary's method note says it for all).
        notes = list(dict.fromkeys(note for basis in details.legal_basis for note in basis.notes))
        if notes:
            layout.addWidget(_text("\n".join(notes), small=True, secondary=True))
        layout.addWidget(_text(_("Caused by these answers"), bold=True))
        self.cause_buttons = {}
        for cause in details.causes:
            # The question is a link to itself (wrapping, reachable by Tab and Enter); its target is
            # the question id, and every word shown is escaped pack text.
            link = QLabel(f'<a href="{html.escape(cause.question_id)}">{html.escape(cause.section)} › {html.escape(cause.question)}</a>')
            link.setObjectName(f"cause:{cause.question_id}")
            link.setTextFormat(Qt.TextFormat.RichText)
            link.setWordWrap(True)
            link.setOpenExternalLinks(False)
            link.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
            link.setToolTip(_("Go to this question"))
            link.linkActivated.connect(self.question_requested.emit)
            self.cause_buttons[cause.question_id] = link
            layout.addWidget(link)
            layout.addWidget(_text(_("Answer: %(answer)s") % {"answer": cause.answer}))
        layout.addWidget(_text(_("Actions"), bold=True))
        if details.actions:
            for action in details.actions:
                facts = [fact for fact in (action.owner, action.due, action.status) if fact]
                layout.addWidget(_text(f"{action.action_id} {action.measure}" + (f" ({', '.join(facts)})" if facts else "")))
        else:
            layout.addWidget(_text(_("No action treats this finding yet."), secondary=True))
        self.add_action_button = QPushButton(_("Add action…"))
        self.add_action_button.setObjectName("finding_add_action")
        self.add_action_button.clicked.connect(lambda _checked=False, r=details.rule_id: self.add_action_requested.emit(r))
        layout.addWidget(self.add_action_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        self.setWidget(body)


class FindingDetailsDialog(QDialog):
    """The same details opened from the summary or the risk step, which have no side panel."""

    def __init__(self, session: AssessmentSession, rule_id: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(_("Finding details"))
        self.resize(640, 560)
        layout = QVBoxLayout(self)
        self.view = FindingDetailsView(session)
        self.view.show_finding(rule_id)
        layout.addWidget(self.view)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        # Going to a question or adding an action leaves the dialog: the window takes over.
        self.view.question_requested.connect(lambda _q: self.accept())
        self.view.add_action_requested.connect(lambda _r: self.accept())
