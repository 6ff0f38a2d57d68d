"""The PDF impact-assessment report: content from the evaluation, Jinja2 HTML, WeasyPrint PDF/A-3b.

Qt-free, so the command line, a background export process and the tests all use it the same way:

    pdf = make_report(loaded, assessment, draft_bytes, "bilingual", today, edition="filing")

`draft_bytes` is the saved draft (.dpia); the PDF carries it as an attachment so the PDF alone
restores the assessment (core.draft_in_pdf reads it back).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..core.assessment import ApprovedVersion, Assessment
from ..core.draft_in_pdf import ATTACHMENT_NAME
from ..core.evaluation import evaluate
from ..core.packs import LoadedPack
from .content import Report, build_report
from .html import render_html
from .libraries import MissingReportLibrary, report_libraries
from .pdf import Progress, RenderOptions, render_pdf
from .words import EDITIONS, REPORT_LANGUAGES, Edition, ReportLanguage

__all__ = ["EDITIONS", "Edition", "MissingReportLibrary", "REPORT_LANGUAGES", "ReportLanguage", "MadeReport", "make_report", "report_libraries"]


@dataclass(frozen=True)
class MadeReport:
    pdf: bytes
    report: Report
    # Addresses the renderer was asked for and refused (none for a report made from our templates).
    refused: tuple[str, ...]


def make_report(
    loaded: LoadedPack,
    assessment: Assessment,
    draft_bytes: bytes,
    language: ReportLanguage,
    today: dt.date,
    *,
    edition: Edition = "filing",
    pdf_ua: bool = False,
    progress: Progress | None = None,
    approved: ApprovedVersion | None = None,
) -> MadeReport:
    """The PDF; with `approved`, the report of that approved version (as approved, on its day)."""
    if approved is not None:
        assessment, today = approved.assessment, approved.approved_on
    if progress:
        progress("content")
    evaluation = evaluate(loaded, assessment, today)
    report = build_report(loaded, assessment, evaluation, draft_bytes, language, today, edition, approved)
    html = render_html(report)
    options = RenderOptions(
        attachment=None if edition == "public" else draft_bytes,
        attachment_name=ATTACHMENT_NAME,
        page_label=report.labels["page_of"].main,
        # The public summary is published for anyone to read, screen-reader users included.
        tagged=edition == "public",
        pdf_ua=pdf_ua,
    )
    pdf = render_pdf(html, options, progress)
    return MadeReport(pdf, report, tuple(options.refused))
