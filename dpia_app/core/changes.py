"""What changed between two states of an assessment: answers, findings, risks, verdict and filing.

A state is an assessment with what its evaluation concluded (an EvaluationSummary). For an approved
version that is the summary frozen at approval; for the working draft, or any file compared now, it
is the evaluation of today. The wizard, `dpia diff` and the report all print this one comparison.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from .assessment import ApprovedVersion, Assessment, EvaluationSummary
from .levels import SEVERITIES


@dataclass(frozen=True, slots=True)
class State:
    """One side of a comparison: the answers and what was concluded from them."""

    assessment: Assessment
    summary: EvaluationSummary
    pack_version: str
    # What the reader is told this side is: an approved version, the working draft, or a file.
    kind: Literal["approved", "draft", "file"] = "draft"
    number: int | None = None  # of the approved version
    approved_on: dt.date | None = None
    name: str = ""  # the file, for kind "file"


@dataclass(frozen=True, slots=True)
class AnswerChange:
    question_id: str
    before: Any  # the saved value, None when it was not answered
    after: Any


@dataclass(frozen=True, slots=True)
class FindingChange:
    rule_id: str
    severity: str  # on the side where the finding is open
    opened: bool  # True: raised now and not before; False: closed since


@dataclass(frozen=True, slots=True)
class RiskChange:
    risk_id: str
    inherent: tuple[str | None, str | None]  # before, after; None where the risk did not apply
    residual: tuple[str | None, str | None]


@dataclass(frozen=True, slots=True)
class FilingChange:
    duty_id: str
    before: str | None
    after: str | None


@dataclass(frozen=True, slots=True)
class Changes:
    before: State
    after: State
    answers: tuple[AnswerChange, ...]
    findings: tuple[FindingChange, ...]
    risks: tuple[RiskChange, ...]
    verdict: tuple[str, str] | None  # (before, after) when it changed
    overall_risk: tuple[str | None, str | None] | None
    filing: tuple[FilingChange, ...]
    notes: tuple[str, ...]  # question ids whose note or evidence changed

    @property
    def nothing(self) -> bool:
        return not (self.answers or self.findings or self.risks or self.verdict or self.overall_risk or self.filing or self.notes)

    @property
    def opened(self) -> tuple[FindingChange, ...]:
        return tuple(f for f in self.findings if f.opened)

    @property
    def closed(self) -> tuple[FindingChange, ...]:
        return tuple(f for f in self.findings if not f.opened)


def approved_state(version: ApprovedVersion) -> State:
    return State(version.assessment, version.summary, version.assessment.pack.version, "approved", version.number, version.approved_on)


def compare(before: State, after: State, question_order: list[str] | None = None) -> Changes:
    """The differences from `before` to `after`. Answers are listed in `question_order` (the pack's
    order, so the reader meets them as in the wizard), then any others by id."""
    old, new = before.assessment, after.assessment
    order = {question_id: index for index, question_id in enumerate(question_order or [])}
    changed = [q for q in set(old.answers) | set(new.answers) if old.answers.get(q) != new.answers.get(q)]
    changed.sort(key=lambda q: (order.get(q, len(order)), q))
    answers = tuple(AnswerChange(q, old.answers.get(q), new.answers.get(q)) for q in changed)

    findings = []
    old_findings = _by_rule(before.summary)
    new_findings = _by_rule(after.summary)
    for rule_id, severity in new_findings.items():
        if rule_id not in old_findings:
            findings.append(FindingChange(rule_id, severity, opened=True))
    for rule_id, severity in old_findings.items():
        if rule_id not in new_findings:
            findings.append(FindingChange(rule_id, severity, opened=False))
    findings.sort(key=lambda f: (not f.opened, SEVERITIES.index(f.severity) if f.severity in SEVERITIES else len(SEVERITIES), f.rule_id))

    risks = []
    for risk_id in sorted(set(before.summary.risks) | set(after.summary.risks)):
        was, now = before.summary.risks.get(risk_id), after.summary.risks.get(risk_id)
        inherent = (was.inherent if was else None, now.inherent if now else None)
        residual = (was.residual if was else None, now.residual if now else None)
        if inherent[0] != inherent[1] or residual[0] != residual[1]:
            risks.append(RiskChange(risk_id, inherent, residual))

    filing = tuple(
        FilingChange(duty, before.summary.filing.get(duty), after.summary.filing.get(duty))
        for duty in sorted(set(before.summary.filing) | set(after.summary.filing))
        if before.summary.filing.get(duty) != after.summary.filing.get(duty)
    )
    verdict = (before.summary.verdict, after.summary.verdict) if before.summary.verdict != after.summary.verdict else None
    overall = (before.summary.overall_risk, after.summary.overall_risk) if before.summary.overall_risk != after.summary.overall_risk else None
    notes = tuple(sorted((q for q in set(old.notes) | set(new.notes) if old.notes.get(q, "") != new.notes.get(q, "")),
                         key=lambda q: (order.get(q, len(order)), q)))
    return Changes(before, after, answers, tuple(findings), tuple(risks), verdict, overall, filing, notes)


def _by_rule(summary: EvaluationSummary) -> dict[str, str]:
    return {rule_id: severity for severity, rule_ids in summary.findings.items() for rule_id in rule_ids}
