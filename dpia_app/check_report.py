"""The output of `dpia check`: the evaluation as readable text or as JSON, in English or Chinese."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from .core.drafts import OpenedDraft
from .core.evaluation import Evaluation, Reason
from .core.packs import LoadedPack
from .core.risk import RiskResult
from .core.text import Language
from .i18n import gettext_for, ngettext_for
from .presentation import (
    acceptance_text,
    adjustment_text,
    answer_problem_text,
    colon,
    filing_text,
    findings_source_notes,
    first_step_texts,
    item_separator,
    list_separator,
    outcome_label,
    overall_risk_text,
    question_label,
    reason_headline,
    reason_items,
    reason_text,
    reassessment_text,
    severity_label,
    unanswered_text,
    verdict_headings,
)


def as_json(path: Path, opened: OpenedDraft, loaded: LoadedPack, evaluation: Evaluation, language: Language) -> dict[str, Any]:
    pack = loaded.pack
    data = TypeAdapter(Evaluation).dump_python(evaluation, mode="json", by_alias=True)
    data["visible_questions"] = sorted(evaluation.visible_questions)
    return {
        "file": str(path),
        "kind": opened.kind,
        "title": opened.assessment.metadata.title,
        "organisation": opened.assessment.metadata.organisation,
        "pack": {"id": loaded.id, "version": loaded.version, "sha256": loaded.sha256},
        "renamed_answers": opened.renamed,
        "replaced_characters": opened.replaced_characters,
        "language": language,
        "summary": {
            "verdict": evaluation.verdict.outcome,
            "verdict_text": outcome_label(evaluation.verdict.outcome, language),
            "provisional": evaluation.verdict.provisional,
            "first_steps": first_step_texts(evaluation, pack, language),
            "reasons": [reason_text(r, evaluation, pack, language) for r in evaluation.verdict.reasons],
            "conditions": [reason_text(r, evaluation, pack, language) for r in evaluation.verdict.conditions],
            "findings_by_severity": evaluation.severity_counts(),
            "missing_required": len(evaluation.missing_required),
            "filing": [filing_text(f, language, evaluation.evaluated_on, pack) for f in evaluation.filing],
            "next_review": evaluation.review.next_review.isoformat(),
        },
        "evaluation": data,
    }


def as_text(path: Path, opened: OpenedDraft, loaded: LoadedPack, evaluation: Evaluation, language: Language, width: int = 100) -> str:
    return "\n".join(text_lines(path, opened, loaded, evaluation, language, width))


def text_lines(path: Path, opened: OpenedDraft, loaded: LoadedPack, evaluation: Evaluation, language: Language, width: int = 100) -> list[str]:
    """The lines of `as_text`; printed one by one, a draft of 100,000 actions is not held twice."""
    _ = gettext_for(language)
    n_ = ngettext_for(language)
    pack = loaded.pack
    labels = pack.risk_method.labels
    meta = opened.assessment.metadata
    out: list[str] = []

    def heading(text: str) -> None:
        out.append("")
        out.append(text)
        out.append("─" * min(width, 60))

    title = meta.title or _("(untitled assessment)")
    organisation = f" — {meta.organisation}" if meta.organisation else ""
    out.append(f"{title}{organisation}")
    out.append(_("File: %(file)s · form pack %(pack)s %(version)s · evaluated %(date)s") % {
        "file": path, "pack": loaded.id, "version": loaded.version, "date": evaluation.evaluated_on})
    if opened.kind == "template":
        out.append(_("This is a template: identity, sign-offs and dates are left out."))

    # Verdict first: it is what the reader came for.
    verdict = evaluation.verdict
    heading(_("Verdict: %(verdict)s") % {"verdict": outcome_label(verdict.outcome, language).upper()})
    if verdict.provisional:
        out.append(wrap(unanswered_text(verdict.outcome, len(evaluation.missing_required) + len(evaluation.answer_problems), language), width, ""))
    headings = verdict_headings(verdict.outcome, language)
    steps = first_step_texts(evaluation, pack, language)
    if steps:
        out.append(headings["first_steps"] + colon(language).rstrip())
        out += [wrap(f"{number}. {step}", width, "   ") for number, step in enumerate(steps, 1)]
    if verdict.reasons and steps:
        out.append(headings["reasons"] + colon(language).rstrip())
    def reason_lines(mark: str, reason: Reason) -> None:
        items = reason_items(reason, evaluation, language)
        if not items:
            out.append(wrap(f"{mark} " + reason_text(reason, evaluation, pack, language), width, "  "))
            return
        # Each finding or risk by its title; the id trails in brackets for those who cite it.
        out.append(wrap(f"{mark} " + reason_headline(reason, evaluation, pack, language) + colon(language).rstrip(), width, "  "))
        out.extend(wrap(f"    - {item.title} [{item.id}]", width, "      ") for item in items)

    for reason in verdict.reasons:
        reason_lines("✗", reason)
    if verdict.conditions and verdict.reasons:
        out.append(headings["conditions"] + colon(language).rstrip())
    for condition in verdict.conditions:
        reason_lines("•", condition)

    heading(_("Completeness"))
    answered = sum(s.answered for s in evaluation.sections)
    out.append(_("%(answered)d of %(visible)d questions that apply are answered.") % {
        "answered": answered, "visible": len(evaluation.visible_questions)})
    if evaluation.missing_required:
        out.append(n_("%(n)d required question is unanswered:", "%(n)d required questions are unanswered:", len(evaluation.missing_required)) % {"n": len(evaluation.missing_required)})
        for question_id in evaluation.missing_required:
            out.append(wrap(f"- {question_label(pack, question_id, language)} [{question_id}]", width, "  "))
    for problem in evaluation.answer_problems:
        out.append(wrap("! " + answer_problem_text(problem, pack, language), width, "  "))
    drift = evaluation.pack_drift
    if drift.saved_version != drift.current_version:
        out.append(_("Answered with form pack version %(old)s; checked against version %(new)s.") % {"old": drift.saved_version, "new": drift.current_version})
    elif drift.content_changed:
        out.append(_("The form pack has changed since this draft was saved (same version number, different content)."))
    for old, new in opened.renamed.items():
        out.append(_("Answer moved from renamed question %(old)s to %(new)s.") % {"old": old, "new": new})
    if opened.replaced_characters:
        out.append(n_("%(n)d character no file can hold (broken Unicode text) was read as \ufffd; the file itself is unchanged.",
                      "%(n)d characters no file can hold (broken Unicode text) were read as \ufffd; the file itself is unchanged.",
                      opened.replaced_characters) % {"n": opened.replaced_characters})
    if drift.orphaned:
        out.append(wrap(_("Kept, but not used: answers to questions this form pack no longer has: %(ids)s") % {"ids": ", ".join(drift.orphaned)}, width, ""))

    separator = list_separator(language)
    counts = evaluation.severity_counts()
    heading(_("Findings: %(blocking)d blocking, %(high)d high, %(advisory)d advisory") % counts)
    if not evaluation.findings:
        out.append(_("No findings."))
    for finding in evaluation.findings:
        kind = _("legal question") if finding.kind == "legal_question" else ""
        tag = severity_label(finding.severity, language).upper() + (f", {kind}" if kind else "")
        out.append("")
        out.append(wrap(f"[{tag}] {finding.title.get(language)} [{finding.rule_id}]", width, ""))
        out.append(wrap(finding.finding.get(language), width, "    "))
        out.append(wrap(_("Why it matters: ") + finding.why.get(language), width, "    "))
        out.append(wrap(_("Recommendation: ") + finding.recommendation.get(language), width, "    "))
        out.append(wrap(_("Legal basis: ") + separator.join(c.text.get(language) for c in finding.citations), width, "    "))
        if finding.caused_by:
            out.append(wrap(_("Caused by: ") + separator.join(question_label(pack, q, language) for q in finding.caused_by), width, "    "))
        if finding.action_ids:
            out.append(wrap(_("Actions: ") + ", ".join(finding.action_ids), width, "    "))

    heading(_("Risks (%(provenance)s)") % {"provenance": pack.risk_method.provenance.get(language)})
    for risk in evaluation.risks:
        out += _risk_lines(risk, evaluation, loaded, language, width)
    if evaluation.overall_risk.level is not None:
        out.append("")
        out.append(wrap(overall_risk_text(evaluation.overall_risk, labels, language), width, ""))
    out.append(wrap(_("Risk criteria: ") + acceptance_text(evaluation, labels, language), width, ""))

    heading(_("Filing"))
    for status in evaluation.filing:
        out.append(wrap(filing_text(status, language, evaluation.evaluated_on, pack), width, ""))

    heading(_("Review"))
    review = evaluation.review
    counted = {"assessment_date": _("the assessment date"), "approval": _("the approval"), "today": _("today, as the assessment is not dated yet")}[review.counted_from]
    out.append(_("Next review: %(date)s (%(months)d months from %(from)s)") % {"date": review.next_review, "months": review.interval_months, "from": counted})
    for trigger in review.reassess_now:
        out.append(wrap(_("Reassess now: ") + reassessment_text(trigger, loaded.pack, language), width, "  "))

    if evaluation.signoff_problems:
        heading(_("Sign-off"))
        for problem in evaluation.signoff_problems:
            out.append(wrap("! " + reason_text(problem, evaluation, pack, language), width, "  "))

    # What the small signs after some citations mean (†, ‡), as on the summary step and in the report.
    notes = findings_source_notes(evaluation, loaded.catalog, language)
    if notes:
        heading(_("Notes on the legal sources"))
        out.extend(wrap(note, width, "  ") for note in notes)
    return out


def _risk_lines(risk: RiskResult, evaluation: Evaluation, loaded: LoadedPack, language: Language, width: int) -> list[str]:
    _ = gettext_for(language)
    labels = loaded.pack.risk_method.labels
    lines = [""]
    treatment = labels.treatments[risk.treatment].get(language)
    lines.append(wrap(f"{risk.title.get(language)} [{risk.risk_id}]{colon(language)}" + _("inherent %(inherent)s → residual %(residual)s; %(treatment)s") % {
        "inherent": labels.risk_levels[risk.inherent.level].get(language),
        "residual": labels.risk_levels[risk.residual.level].get(language),
        "treatment": treatment}, width, ""))
    impact = item_separator(language).join(f"{labels.dimensions[d].get(language)} {labels.impact_levels[level].get(language)}" for d, level in risk.inherent.impact.items())
    lines.append(wrap(_("Impact: ") + impact + " · " + _("likelihood: ") + labels.likelihood_levels[risk.inherent.likelihood].get(language), width, "    "))
    for step in risk.inherent_steps + risk.residual_steps:
        lines.append(wrap("· " + adjustment_text(step, labels, language), width, "    ", "      "))
    return lines


def wrap(text: str, width: int, indent: str, subsequent: str | None = None) -> str:
    """Wrap English by words. Chinese is only indented: it has no spaces to break at, and cutting by
    characters would split citations and terms like "GB/T 39335"; terminals wrap long lines anyway."""
    if any("\u4e00" <= ch <= "\u9fff" for ch in text):
        return indent + " ".join(text.split())
    return textwrap.fill(" ".join(text.split()), width=width, initial_indent=indent,
                         subsequent_indent=indent if subsequent is None else subsequent, break_on_hyphens=False)
