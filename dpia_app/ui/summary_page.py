"""The summary step: verdict, findings by severity, filing duty and deadline, next review, export."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from ..core.evaluation import Evaluation
from ..presentation import filing_text, outcome_label, reason_text
from .follow import follow_evaluations
from .language import _, current
from .rich_text import bullets, heading, paragraph
from .session import AssessmentSession

VERDICT_COLOURS = {"may_proceed": "#1e8449", "proceed_with_conditions": "#b9770e", "must_not_proceed": "#b03a2e"}


class SummaryPage(QWidget):
    def __init__(self, session: AssessmentSession, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        layout = QVBoxLayout(self)
        self.verdict = QLabel()
        self.verdict.setObjectName("summary_verdict")
        self.verdict.setAccessibleName(_("Verdict"))
        layout.addWidget(self.verdict)
        self.details = QTextBrowser()
        self.details.setObjectName("summary_details")
        self.details.setAccessibleName(_("Summary"))
        self.details.setOpenLinks(False)
        self.details.setOpenExternalLinks(False)
        layout.addWidget(self.details, 1)
        export_row = QHBoxLayout()
        self.export_button = QPushButton(_("&Export PDF report…"))
        self.export_button.setObjectName("summary_export")
        # The PDF report is a later milestone: the button is visibly unavailable, and says why.
        self.export_button.setEnabled(False)
        self.export_button.setToolTip(_("The PDF report is not available in this version yet."))
        self.export_note = QLabel(_("PDF export is not available in this version yet; the draft file (.dpia) holds the whole assessment."))
        self.export_note.setWordWrap(True)
        export_row.addWidget(self.export_button)
        export_row.addWidget(self.export_note, 1)
        layout.addLayout(export_row)
        follow_evaluations(self, session, self.show_evaluation)
        self.show_evaluation(session.evaluation)

    def show_evaluation(self, evaluation: Evaluation) -> None:
        language = current()
        pack = self.session.pack
        outcome = evaluation.verdict.outcome
        text = outcome_label(outcome, language)
        if evaluation.verdict.provisional:
            text += "  " + _("(provisional)")
        self.verdict.setText(text)
        self.verdict.setStyleSheet(f"font-size: 20pt; font-weight: bold; color: white; background: {VERDICT_COLOURS[outcome]}; padding: 8px; border-radius: 4px;")
        counts = evaluation.severity_counts()
        parts = []
        if evaluation.verdict.provisional:
            unanswered = len(evaluation.missing_required) + len(evaluation.answer_problems)
            parts.append(paragraph(_("Provisional: %(n)d required questions are unanswered or have unusable answers.") % {"n": unanswered}))
        for title, reasons in ((_("Why it must not proceed"), evaluation.verdict.reasons), (_("Conditions"), evaluation.verdict.conditions)):
            if reasons:
                parts.append(heading(title) + bullets(reason_text(r, evaluation, pack, language) for r in reasons))
        parts.append(heading(_("Findings")) + paragraph(_("%(blocking)d blocking, %(high)d high, %(advisory)d advisory") % counts))
        parts.append(heading(_("Filing")) + bullets(filing_text(f, language, evaluation.evaluated_on, pack) for f in evaluation.filing))
        review = evaluation.review
        parts.append(heading(_("Next review")) + paragraph(review.next_review.isoformat()))
        if review.reassess_now:
            parts.append(bullets(_("Reassess now: ") + t.reason.get(language) for t in review.reassess_now))
        if evaluation.signoff_problems:
            parts.append(heading(_("Sign-off")) + bullets(reason_text(p, evaluation, pack, language) for p in evaluation.signoff_problems))
        self.details.setHtml("".join(parts))
