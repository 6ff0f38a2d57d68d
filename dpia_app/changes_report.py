"""What changed (core/changes.py) in words: for `dpia diff`, the wizard's changes pane and the report.

Every id becomes what the compliance officer reads elsewhere: the question, the answer as it is
shown in the wizard, the finding's and the risk's title, the verdict and the filing duty; the ids
stay in the JSON for scripts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .core.answers import read_answer
from .core.changes import Changes, State
from .core.conditions import MISSING
from .core.formpack import FormPack
from .core.text import Language
from .i18n import gettext_for, ngettext_for
from .presentation import answer_value_text, outcome_label, severity_label


def answer_text(pack: FormPack, question_id: str, raw: Any, language: Language) -> str:
    """A saved answer as the wizard shows it; a table as its number of rows."""
    _ = gettext_for(language)
    if raw is None:
        return _("Not answered")
    if question_id not in pack.questions:
        return _plain(raw)
    question = pack.question(question_id)
    if question.type == "group":
        rows = len(raw) if isinstance(raw, list) else 0
        return ngettext_for(language)("%(n)d row", "%(n)d rows", rows) % {"n": rows}
    typed = read_answer(question, raw)
    if typed.value is MISSING:
        return _plain(raw)
    return answer_value_text(question, typed.value, language)


def _plain(raw: Any) -> str:
    return raw if isinstance(raw, str) else json.dumps(raw, ensure_ascii=False)


def question_text(pack: FormPack, question_id: str, language: Language) -> str:
    """The fact a question records, in the few words of its label ("Number of devices: 6 → 40"),
    or the whole question where the pack gives no label."""
    if question_id not in pack.questions:
        return question_id
    question = pack.question(question_id)
    return (question.label or question.text).get(language)


def state_label(state: State, language: Language) -> str:
    _ = gettext_for(language)
    if state.kind == "approved":
        return _("approved version %(number)s (%(date)s)") % {"number": state.number, "date": state.approved_on}
    if state.kind == "file":
        return state.name
    return _("the working draft")


def filing_state_label(state: str | None, language: Language) -> str:
    _ = gettext_for(language)
    return {
        None: _("not assessed"), "not_required": _("not required"), "undetermined": _("cannot be determined yet"),
        "expected": _("expected"), "required": _("required"), "done": _("filed"),
    }.get(state, str(state))


@dataclass(frozen=True)
class ChangeLine:
    """One change as the reader sees it; `question_id` links an answer change to its question."""

    kind: str  # answer, note, finding_opened, finding_closed, risk, verdict, overall_risk, filing
    text: str
    question_id: str | None = None


def change_lines(changes: Changes, pack: FormPack, language: Language) -> list[ChangeLine]:
    _ = gettext_for(language)
    rules = {rule.id: rule for rule in pack.rules}
    risks = {risk.id: risk for risk in pack.risks}
    duties = {duty.id: duty for duty in pack.filing_duties}
    level = pack.risk_method.labels.risk_levels

    def level_text(value: str | None) -> str:
        return level[value].get(language) if value in level else _("does not apply")  # type: ignore[index]

    lines: list[ChangeLine] = []
    if changes.verdict:
        before, after = changes.verdict
        lines.append(ChangeLine("verdict", _("Verdict: %(before)s → %(after)s") % {
            "before": outcome_label(before, language), "after": outcome_label(after, language)}))  # type: ignore[arg-type]
    if changes.overall_risk:
        before, after = changes.overall_risk
        lines.append(ChangeLine("overall_risk", _("Overall risk: %(before)s → %(after)s") % {"before": level_text(before), "after": level_text(after)}))
    for finding in changes.findings:
        title = rules[finding.rule_id].title.get(language) if finding.rule_id in rules else finding.rule_id
        words = _("Finding raised (%(severity)s): %(title)s") if finding.opened else _("Finding closed (%(severity)s): %(title)s")
        lines.append(ChangeLine("finding_opened" if finding.opened else "finding_closed",
                                words % {"severity": severity_label(finding.severity, language), "title": title}))
    for risk in changes.risks:
        title = risks[risk.risk_id].title.get(language) if risk.risk_id in risks else risk.risk_id
        lines.append(ChangeLine("risk", _("Risk “%(title)s”: inherent %(inherent_before)s → %(inherent_after)s, residual %(residual_before)s → %(residual_after)s") % {
            "title": title, "inherent_before": level_text(risk.inherent[0]), "inherent_after": level_text(risk.inherent[1]),
            "residual_before": level_text(risk.residual[0]), "residual_after": level_text(risk.residual[1])}))
    for filing in changes.filing:
        title = duties[filing.duty_id].title.get(language) if filing.duty_id in duties else filing.duty_id
        lines.append(ChangeLine("filing", _("%(title)s: %(before)s → %(after)s") % {
            "title": title, "before": filing_state_label(filing.before, language), "after": filing_state_label(filing.after, language)}))
    for answer in changes.answers:
        lines.append(ChangeLine("answer", _("%(question)s: %(before)s → %(after)s") % {
            "question": question_text(pack, answer.question_id, language),
            "before": answer_text(pack, answer.question_id, answer.before, language),
            "after": answer_text(pack, answer.question_id, answer.after, language)}, answer.question_id))
    for question_id in changes.notes:
        lines.append(ChangeLine("note", _("Note or evidence changed: %(question)s") % {"question": question_text(pack, question_id, language)}, question_id))
    return lines


def grouped_lines(changes: Changes, pack: FormPack, language: Language) -> list[tuple[str, list[ChangeLine]]]:
    """The change lines under their headings (conclusions, findings, risks, answers), empty groups left out."""
    _ = gettext_for(language)
    groups = (
        (_("Conclusions"), ("verdict", "overall_risk", "filing")),
        (_("Findings"), ("finding_opened", "finding_closed")),
        (_("Risks"), ("risk",)),
        (_("Answers"), ("answer", "note")),
    )
    lines = change_lines(changes, pack, language)
    grouped = [(title, [line for line in lines if line.kind in kinds]) for title, kinds in groups]
    return [(title, chosen) for title, chosen in grouped if chosen]


def as_text(changes: Changes, pack: FormPack, language: Language) -> str:
    _ = gettext_for(language)
    heading = _("Changes from %(before)s to %(after)s") % {"before": state_label(changes.before, language), "after": state_label(changes.after, language)}
    if changes.before.pack_version != changes.after.pack_version:
        heading += "\n" + _("Form pack %(before)s → %(after)s: findings may also change because the pack did.") % {
            "before": changes.before.pack_version, "after": changes.after.pack_version}
    if changes.nothing:
        return heading + "\n" + _("Nothing changed.") + "\n"
    out = [heading]
    for title, chosen in grouped_lines(changes, pack, language):
        out.append("")
        out.append(_("%(title)s (%(count)d)") % {"title": title, "count": len(chosen)})
        out.extend(f"  • {line.text}" for line in chosen)
    return "\n".join(out) + "\n"


def as_json(changes: Changes, pack: FormPack, language: Language) -> dict[str, Any]:
    lines = change_lines(changes, pack, language)
    return {
        "before": _side(changes.before, language),
        "after": _side(changes.after, language),
        "nothing_changed": changes.nothing,
        "verdict": list(changes.verdict) if changes.verdict else None,
        "overall_risk": list(changes.overall_risk) if changes.overall_risk else None,
        "findings_opened": [{"rule_id": f.rule_id, "severity": f.severity} for f in changes.opened],
        "findings_closed": [{"rule_id": f.rule_id, "severity": f.severity} for f in changes.closed],
        "risks": [{"risk_id": r.risk_id, "inherent": list(r.inherent), "residual": list(r.residual)} for r in changes.risks],
        "filing": [{"duty_id": f.duty_id, "before": f.before, "after": f.after} for f in changes.filing],
        "answers": [{"question_id": a.question_id, "before": a.before, "after": a.after} for a in changes.answers],
        "notes": list(changes.notes),
        "text": [line.text for line in lines],
    }


def _side(state: State, language: Language) -> dict[str, Any]:
    return {"label": state_label(state, language), "kind": state.kind, "approved_version": state.number,
            "pack_version": state.pack_version, "verdict": state.summary.verdict}
