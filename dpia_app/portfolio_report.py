"""The portfolio (core/portfolio.py) in words and as an Excel workbook.

`dpia portfolio DIR` prints one line per assessment and the processors' totals; `--json` gives the
rows for scripts; `--xlsx` writes a workbook with the portfolio and every action across the
assessments (openpyxl: a maintained library that writes real .xlsx files, with a frozen header,
filters and dates as dates).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import asdict
from pathlib import Path
from typing import Any

from .core.drafts import write_atomically
from .core.portfolio import (
    FILING_THRESHOLD,
    OFFICER_THRESHOLD,
    PortfolioRow,
    ProcessorTotal,
)
from .core.text import Language
from .i18n import gettext_for
from .presentation import action_status_labels, outcome_label


def filing_label(state: str | None, language: Language) -> str:
    from .changes_report import filing_state_label

    return filing_state_label(state, language)


def verdict_text(row: PortfolioRow, language: Language) -> str:
    return outcome_label(row.verdict, language) if row.verdict else ""  # type: ignore[arg-type]


def crossing_text(total: ProcessorTotal, language: Language) -> list[str]:
    _ = gettext_for(language)
    out = []
    if "filing" in total.crosses and total.stored_exact:
        out.append(_("Across its %(count)d assessments %(organisation)s stores %(sum)s people's faces, counted site by site with nobody "
                     "counted twice: at or above %(threshold)s, which no single site reaches. The processor must file with the "
                     "provincial cyberspace office.") % {
            "count": total.assessments, "organisation": total.organisation, "sum": f"{total.stored_sum:,}", "threshold": f"{FILING_THRESHOLD:,}"})
    elif "filing" in total.crosses:
        out.append(_("Across its %(count)d assessments %(organisation)s stores up to %(sum)s people's faces, counted site by site: "
                     "at or above %(threshold)s, which no single site reaches. Count the distinct people across all sites; "
                     "if they reach %(threshold)s, the processor must file with the provincial cyberspace office.") % {
            "count": total.assessments, "organisation": total.organisation, "sum": f"{total.stored_sum:,}", "threshold": f"{FILING_THRESHOLD:,}"})
    if "officer" in total.crosses:
        out.append(_("Across its assessments %(organisation)s processes the personal information of up to %(sum)s people, counted site by site: "
                     "at or above %(threshold)s, which no single site reaches. If the distinct people reach %(threshold)s, the personal "
                     "information protection officer's details must be reported.") % {
            "organisation": total.organisation, "sum": f"{total.pi_sum:,}", "threshold": f"{OFFICER_THRESHOLD:,}"})
    return out


def as_text(rows: list[PortfolioRow], totals: list[ProcessorTotal], language: Language) -> str:
    _ = gettext_for(language)
    if not rows:
        return _("No drafts (.dpia) found in this folder or below it.") + "\n"
    out = []
    for row in rows:
        if not row.readable:
            out.append(f"{row.path}\n  " + _("Cannot be read: %(problem)s") % {"problem": row.problem})
            continue
        approved = (_("approved version %(number)s (%(date)s)") % {"number": row.last_approved, "date": row.last_approved_on}
                    if row.last_approved else _("not approved yet"))
        out.append(f"{row.title} — {row.organisation or _('(no organisation given)')}{' · ' + row.site if row.site else ''}")
        out.append("  " + _("%(verdict)s · open findings: %(blocking)d blocking, %(high)d high · overdue actions: %(overdue)d") % {
            "verdict": verdict_text(row, language), "blocking": row.open_blocking, "high": row.open_high, "overdue": row.overdue_actions})
        filing = filing_label(row.filing_state, language) + (f" ({row.filing_deadline})" if row.filing_deadline else "")
        out.append("  " + _("filing: %(filing)s · next review: %(review)s · %(approved)s") % {
            "filing": filing, "review": row.next_review, "approved": approved})
        out.append(f"  {row.path}")
    if totals:
        out.append("")
        out.append(_("Processors"))
        for total in totals:
            out.append("  " + _("%(organisation)s: %(count)d assessments; faces stored: up to %(sum)s (largest site %(largest)s); "
                                "%(separately)d counted only their own site") % {
                "organisation": total.organisation, "count": total.assessments, "sum": f"{total.stored_sum:,}",
                "largest": f"{total.stored_largest_site:,}", "separately": total.counted_separately})
            out.extend("    ! " + line for line in crossing_text(total, language))
    return "\n".join(out) + "\n"


def as_json(rows: list[PortfolioRow], totals: list[ProcessorTotal], language: Language) -> dict[str, Any]:
    return {
        "assessments": [row.as_dict() for row in rows],
        "processors": [asdict(total) | {"warnings": crossing_text(total, language)} for total in totals],
    }


# --- Excel ---------------------------------------------------------------------------------------


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def write_xlsx(path: Path, rows: list[PortfolioRow], totals: list[ProcessorTotal], language: Language) -> None:
    """The portfolio, every action and the processors, as sheets with a frozen header and filters."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    _ = gettext_for(language)
    statuses = action_status_labels(language)
    book = Workbook()

    def sheet(title: str, headers: list[str], lines: list[list[Any]], widths: list[int], first: bool = False):
        ws = book.active if first else book.create_sheet()
        ws.title = title
        ws.append(headers)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for line in lines:
            ws.append(line)
        for column, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(column)].width = width
            for (cell,) in ws.iter_rows(min_row=2, min_col=column, max_col=column):
                if isinstance(cell.value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = ws.dimensions
        return ws

    portfolio_headers = [_("Assessment"), _("Organisation"), _("Site"), _("Verdict"), _("Overall risk"), _("Open blocking findings"),
                         _("Open high findings"), _("Overdue actions"), _("Next review"), _("Filing"), _("Filing deadline"),
                         _("Last approved version"), _("Approved on"), _("Faces stored"), _("File"), _("Problem")]
    sheet(_("Portfolio"), portfolio_headers, [
        [r.title, r.organisation, r.site, verdict_text(r, language), r.overall_risk, r.open_blocking, r.open_high, r.overdue_actions,
         _date(r.next_review), filing_label(r.filing_state, language) if r.readable else "", _date(r.filing_deadline), r.last_approved,
         _date(r.last_approved_on), r.stored_individuals, r.path, r.problem]
        for r in rows
    ], [40, 30, 20, 22, 12, 12, 12, 12, 13, 18, 13, 12, 13, 12, 50, 40], first=True)
    # The action sheet is read back (import of status changes): its first columns identify each action.
    sheet(_("Actions"), [_("File"), _("Action id"), _("Assessment"), _("Measure"), _("Owner"), _("Due"), _("Status"), _("Linked findings and risks")], [
        [r.path, a["id"], r.title, a["measure"], a["owner"], _date(a["due"]), statuses.get(a["status"], a["status"]),
         ", ".join([*a["findings"], *a["risks"]])]
        for r in rows for a in r.actions
    ], [50, 12, 36, 60, 20, 13, 14, 40])
    sheet(_("Processors"), [_("Organisation"), _("Assessments"), _("Faces stored, sites added up"), _("Largest site"),
                            _("Counted only their own site"), _("Warnings")], [
        [t.organisation, t.assessments, t.stored_sum, t.stored_largest_site, t.counted_separately, "\n".join(crossing_text(t, language))]
        for t in totals
    ], [36, 12, 20, 14, 18, 80])
    buffer = io.BytesIO()
    book.save(buffer)
    write_atomically(path, buffer.getvalue(), keep_backup=False)
