"""The summary step: verdict, findings by severity, filing duty and deadline, next review, export."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ..core.evaluation import Evaluation
from ..presentation import (
    filing_text,
    findings_source_notes,
    first_step_texts,
    list_separator,
    outcome_label,
    question_label,
    reason_headline,
    reason_items,
    reason_text,
    reassessment_text,
    unanswered_text,
    verdict_headings,
)
from .follow import follow_evaluations
from .language import _, current
from .report_export import ExportChoice
from .rich_text import (
    bullets,
    heading,
    linked_items,
    nested_bullets,
    numbered,
    paragraph,
)
from .session import AssessmentSession

VERDICT_COLOURS = {"incomplete": "#5d6d7e", "may_proceed": "#1e8449", "proceed_with_conditions": "#b9770e", "must_not_proceed": "#b03a2e"}


class SummaryPage(QWidget):
    # Report language ("en", "zh", "bilingual") and whether to declare PDF/UA; the window exports.
    export_requested = Signal(object)  # an ExportChoice
    cancel_requested = Signal()
    open_report_requested = Signal(object)  # Path
    finding_requested = Signal(str)  # rule id: show its details
    question_requested = Signal(str)  # question id: go and answer it
    risk_requested = Signal(str)  # risk id: show it on the risk step

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
        self.details.anchorClicked.connect(self._link_clicked)
        layout.addWidget(self.details, 1)
        export_row = QHBoxLayout()
        language_label = QLabel(_("Report &language:"))
        self.report_language = QComboBox()
        self.report_language.setObjectName("summary_report_language")
        self.report_language.setAccessibleName(_("Report language"))
        for code, label in (("en", _("English")), ("zh", _("Chinese")), ("bilingual", _("Chinese with English"))):
            self.report_language.addItem(label, code)
        self.report_language.setCurrentIndex(1 if current() == "zh-Hans" else 0)
        language_label.setBuddy(self.report_language)
        self.pdf_ua = QCheckBox(_("&Accessible PDF (PDF/UA)"))
        self.pdf_ua.setObjectName("summary_pdf_ua")
        self.pdf_ua.setAccessibleName(_("Accessible PDF (PDF/UA)"))
        self.pdf_ua.setToolTip(_("Tags the report for screen readers and states PDF/UA-1 conformance in its metadata; it takes about a fifth longer to make. The public summary is always tagged."))
        self.export_button = QPushButton(_("&Export PDF report…"))
        self.export_button.setObjectName("summary_export")
        self.export_button.setAccessibleName(_("Export PDF report"))
        self.export_button.setToolTip(_("A PDF/A-3 report with the saved draft attached; the draft is saved first."))
        self.export_button.clicked.connect(lambda: self.export_requested.emit(ExportChoice(
            self.report_language.currentData(), self.report_edition.currentData(), self.pdf_ua.isChecked(),
            self.report_version.currentData())))
        # Which state the report is of: the working draft, or an approved version as approved.
        version_label = QLabel(_("Report &of:"))
        self.report_version = QComboBox()
        self.report_version.setObjectName("summary_report_version")
        self.report_version.setAccessibleName(_("Report of"))
        version_label.setBuddy(self.report_version)
        self._version_label = version_label
        edition_label = QLabel(_("E&dition:"))
        self.report_edition = QComboBox()
        self.report_edition.setObjectName("summary_report_edition")
        self.report_edition.setAccessibleName(_("Report edition"))
        for code, label, tip in (
            ("filing", _("Filing report"), _("What a DPO files and a regulator reads: summary, method, the processing, findings, risks, actions, sign-off.")),
            ("full", _("Full record"), _("The filing report with every answer by id, how each risk was rated, and the change log.")),
            ("public", _("Public summary"), _("Two or three pages to publish: what is processed, why, how to refuse and whom to contact.")),
        ):
            self.report_edition.addItem(label, code)
            self.report_edition.setItemData(self.report_edition.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)
        edition_label.setBuddy(self.report_edition)
        export_row.addWidget(language_label)
        export_row.addWidget(self.report_language)
        export_row.addWidget(edition_label)
        export_row.addWidget(self.report_edition)
        export_row.addWidget(version_label)
        export_row.addWidget(self.report_version)
        export_row.addStretch(1)
        layout.addLayout(export_row)
        # The button on a line of its own with PDF/UA, so the page fits a 1024-pixel-wide window.
        button_row = QHBoxLayout()
        button_row.addWidget(self.pdf_ua)
        button_row.addStretch(1)
        button_row.addWidget(self.export_button)
        layout.addLayout(button_row)

        progress_row = QHBoxLayout()
        self.export_progress = QProgressBar()
        self.export_progress.setObjectName("summary_export_progress")
        self.export_progress.setAccessibleName(_("Export progress"))
        self.export_progress.setRange(0, 0)  # busy: the number of pages is not known in advance
        self.export_status = QLabel()
        self.export_status.setObjectName("summary_export_status")
        self.export_status.setWordWrap(True)
        self.cancel_button = QPushButton(_("&Cancel export"))
        self.cancel_button.setObjectName("summary_export_cancel")
        self.cancel_button.setAccessibleName(_("Cancel export"))
        self.cancel_button.clicked.connect(self.cancel_requested.emit)
        self.open_report_button = QPushButton(_("&Open report"))
        self.open_report_button.setObjectName("summary_open_report")
        self.open_report_button.setAccessibleName(_("Open report"))
        self.open_report_button.clicked.connect(lambda: self.open_report_requested.emit(self.finished_report))
        progress_row.addWidget(self.export_progress)
        progress_row.addWidget(self.export_status, 1)
        progress_row.addWidget(self.cancel_button)
        progress_row.addWidget(self.open_report_button)
        layout.addLayout(progress_row)
        self.finished_report: Path | None = None
        self.show_export_idle()
        follow_evaluations(self, session, self.show_evaluation)
        self.show_evaluation(session.evaluation)

    def _list_versions(self) -> None:
        """The working draft and each approved version, the latest first; hidden without versions."""
        versions = self.session.assessment.approved_versions
        chosen = self.report_version.currentData()
        self.report_version.blockSignals(True)
        self.report_version.clear()
        self.report_version.addItem(_("The working draft"), None)
        for version in reversed(versions):
            self.report_version.addItem(_("Approved version %(number)s (%(date)s)") % {"number": version.number, "date": version.approved_on},
                                        version.number)
        self.report_version.setCurrentIndex(max(self.report_version.findData(chosen), 0))
        self.report_version.blockSignals(False)
        self.report_version.setVisible(bool(versions))
        self._version_label.setVisible(bool(versions))

    def show_evaluation(self, evaluation: Evaluation) -> None:
        self._list_versions()
        language = current()
        pack = self.session.pack
        outcome = evaluation.verdict.outcome
        text = outcome_label(outcome, language)
        if evaluation.verdict.provisional and outcome != "incomplete":
            # A blocking finding already decides it; the unanswered questions could only add to it.
            text += "  " + _("(provisional)")
        self.verdict.setText(text)
        self.verdict.setStyleSheet(f"font-size: 20pt; font-weight: bold; color: white; background: {VERDICT_COLOURS[outcome]}; padding: 8px; border-radius: 4px;")
        counts = evaluation.severity_counts()
        parts = []
        if evaluation.verdict.provisional:
            unanswered = len(evaluation.missing_required) + len(evaluation.answer_problems)
            parts.append(paragraph(unanswered_text(outcome, unanswered, language)))
            # Each open question is a link to it, not a number to hunt for.
            parts.append(linked_items((f"question:{q}", question_label(pack, q, language), "")
                                      for q in evaluation.missing_required))
        headings = verdict_headings(outcome, language)
        steps = first_step_texts(evaluation, pack, language)
        if steps:
            # Stop and delete come before anything else a deployment that must not proceed owes.
            parts.append(heading(headings["first_steps"]) + numbered(steps))
        citations = {f.rule_id: list_separator(language).join(c.text.get(language) for c in f.citations) for f in evaluation.findings}
        for title, reasons in ((headings["reasons"], evaluation.verdict.reasons), (headings["conditions"], evaluation.verdict.conditions)):
            if not reasons:
                continue
            entries = []
            for reason in reasons:
                items = reason_items(reason, evaluation, language)
                if not items:
                    entries.append((reason_text(reason, evaluation, pack, language), ""))
                    continue
                # Each finding or risk by its title, a link to its details; the law it rests on and
                # its id as small secondary text for those who cite it.
                entries.append((reason_headline(reason, evaluation, pack, language), linked_items(
                    (f"{item.kind}:{item.id}", item.title,
                     f"{citations[item.id]} · {item.id}" if item.kind == "finding" else item.id)
                    for item in items)))
            parts.append(heading(title) + nested_bullets(entries))
        parts.append(heading(_("Findings")) + paragraph(_("%(blocking)d blocking, %(high)d high, %(advisory)d advisory") % counts))
        # Each filing duty links to the question that dates it, where the filing is recorded.
        starts = {duty.id: duty.start_question for duty in pack.filing_duties}
        parts.append(heading(_("Filing")) + linked_items(
            (f"question:{starts[f.duty_id]}", filing_text(f, language, evaluation.evaluated_on, pack), "") for f in evaluation.filing))
        review = evaluation.review
        parts.append(heading(_("Next review")) + paragraph(review.next_review.isoformat()))
        if review.reassess_now:
            parts.append(bullets(_("Reassess now: ") + reassessment_text(t, pack, language) for t in review.reassess_now))
        if evaluation.signoff_problems:
            parts.append(heading(_("Sign-off")) + bullets(reason_text(p, evaluation, pack, language) for p in evaluation.signoff_problems))
        # What the small signs after some citations mean, said once (the report's method note says the same).
        notes = findings_source_notes(evaluation, self.session.loaded.catalog, language)
        if notes:
            parts.append(heading(_("Notes on the legal sources")) + bullets(notes))
        self.details.setHtml("".join(parts))

    def _link_clicked(self, url: QUrl) -> None:
        kind, _sep, target = url.toString().partition(":")
        if kind == "finding":
            self.finding_requested.emit(target)
        elif kind == "question" and target in self.session.pack.questions:
            self.question_requested.emit(target)
        elif kind == "risk":
            self.risk_requested.emit(target)

    # --- export state, driven by the window's export job -----------------------------------------

    def show_export_idle(self, message: str = "") -> None:
        self.export_button.setEnabled(True)
        self.export_progress.hide()
        self.cancel_button.hide()
        self.open_report_button.setVisible(self.finished_report is not None and not message)
        self.export_status.setText(message)

    def show_export_running(self, message: str) -> None:
        self.export_button.setEnabled(False)
        self.export_progress.show()
        self.cancel_button.show()
        self.open_report_button.hide()
        self.export_status.setText(message)

    def show_export_done(self, path: Path, warning: str = "") -> None:
        self.finished_report = path
        self.show_export_idle()
        # The warning (a library that makes exports slow) is in English: it names what to install.
        self.export_status.setText(_("Report saved: %(path)s") % {"path": path} + (f"\n{warning}" if warning else ""))
        self.open_report_button.show()
        self.open_report_button.setFocus()
