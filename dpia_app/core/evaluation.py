"""evaluate(pack, assessment): the one source of truth the wizard, `dpia check` and the report read.

A pure function of the pack, the assessment and today's date: no Qt, no I/O, no clock. It decides
which questions are visible, what is missing, which rules fire, the risk register, the filing duties,
the next review and the verdict. Structured codes (not sentences) describe the verdict's reasons so
each front end words them in its own language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, Literal

from .answers import AnswerProblem, TypedAnswer, read_answer
from .assessment import Assessment
from .catalog import Citation
from .conditions import MISSING, Condition, witnesses
from .conditions import evaluate as evaluate_condition
from .filing import FilingStatus, filing_status
from .levels import RiskLevel, Severity, Treatment
from .packs import LoadedPack
from .review import ReviewStatus, review_status
from .risk import OverallRisk, RiskCalculator, RiskResult, overall_risk
from .substantial_change import substantial_changes
from .text import LocalizedText

# "incomplete": required questions are unanswered or unusable and nothing found so far blocks. No
# "may proceed" (or "with conditions") is given for what has not been asked: an empty draft is not
# a lawful deployment. A blocking finding still makes it "must not proceed", complete or not.
Outcome = Literal["incomplete", "may_proceed", "proceed_with_conditions", "must_not_proceed"]
OUTCOMES: tuple[Outcome, ...] = ("incomplete", "may_proceed", "proceed_with_conditions", "must_not_proceed")


@dataclass(frozen=True, slots=True)
class Finding:
    rule_id: str
    severity: Severity
    kind: Literal["finding", "legal_question"]
    title: LocalizedText
    finding: LocalizedText
    why: LocalizedText
    recommendation: LocalizedText
    refs: tuple[str, ...]
    citations: tuple[Citation, ...]
    # The questions whose answers made the rule fire, for "jump to the cause" and the report.
    caused_by: tuple[str, ...]
    action_ids: tuple[str, ...]
    has_dated_action: bool


@dataclass(frozen=True, slots=True)
class SectionProgress:
    section_id: str
    title: LocalizedText
    visible: bool
    visible_questions: tuple[str, ...]
    answered: int
    missing_required: tuple[str, ...]
    problems: int

    @property
    def complete(self) -> bool:
        return self.visible and not self.missing_required and not self.problems


@dataclass(frozen=True, slots=True)
class PackDrift:
    """How the draft's answers relate to the pack it is evaluated against now."""

    saved_version: str
    current_version: str
    content_changed: bool
    orphaned: tuple[str, ...]  # answers kept in the draft for questions this pack does not have


@dataclass(frozen=True, slots=True)
class Reason:
    """One reason behind the verdict, as a code and the ids it concerns (findings, risks, duties)."""

    code: str
    ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Verdict:
    outcome: Outcome
    # True while required questions are unanswered or answers are unusable: the verdict can change.
    provisional: bool
    reasons: tuple[Reason, ...]  # why it must not proceed
    # What must happen for it to proceed; under "must not proceed", what else stays outstanding.
    conditions: tuple[Reason, ...]
    # Under "must not proceed": the pack's first steps (stop, delete, notify) that apply, in order.
    first_steps: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Evaluation:
    pack_id: str
    pack_version: str
    evaluated_on: dt.date
    visible_sections: tuple[str, ...]
    visible_questions: frozenset[str]
    sections: tuple[SectionProgress, ...]
    missing_required: tuple[str, ...]
    answer_problems: tuple[AnswerProblem, ...]
    findings: tuple[Finding, ...]
    risks: tuple[RiskResult, ...]
    overall_risk: OverallRisk
    acceptance_policy: dict[RiskLevel, Treatment]
    filing: tuple[FilingStatus, ...]
    review: ReviewStatus
    signoff_problems: tuple[Reason, ...]
    pack_drift: PackDrift
    verdict: Verdict

    def findings_with(self, severity: Severity) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == severity)

    def severity_counts(self) -> dict[Severity, int]:
        return {s: len(self.findings_with(s)) for s in ("blocking", "high", "advisory")}


class _VisibleAnswers:
    """Typed answers of the questions shown so far; everything else reads as MISSING."""

    __slots__ = ("values", "definitions")

    def __init__(self, definitions: Mapping[str, Condition]):
        self.values: dict[str, Any] = {}
        self.definitions = definitions

    def value(self, question_id: str) -> Any:
        return self.values.get(question_id, MISSING)

    def definition(self, name: str) -> Condition:
        return self.definitions[name]


def evaluate(loaded: LoadedPack, assessment: Assessment, today: dt.date) -> Evaluation:
    pack = loaded.pack
    answers = assessment.answers
    if assessment.pack.id != pack.id:
        raise ValueError(f"the assessment was answered against form pack {assessment.pack.id!r}, not {pack.id!r}")
    source = _VisibleAnswers(pack.definitions)
    problems: list[AnswerProblem] = []
    missing: list[str] = []
    visible: list[str] = []
    sections: list[SectionProgress] = []
    visible_sections: list[str] = []

    for section in pack.sections:
        section_visible = section.show_if is None or evaluate_condition(section.show_if, source) is True
        shown: list[str] = []
        section_missing: list[str] = []
        answered = 0
        section_problems = 0
        for question in section.questions:
            if not section_visible:
                continue
            if question.show_if is not None and evaluate_condition(question.show_if, source) is not True:
                continue
            shown.append(question.id)
            raw = answers.get(question.id)
            typed = read_answer(question, raw) if raw is not None else TypedAnswer(MISSING)
            problems += typed.problems
            section_problems += len(typed.problems)
            if typed.value is not MISSING:
                source.values[question.id] = typed.value
                answered += 1
            elif question.required:
                section_missing.append(question.id)
        if section_visible:
            visible_sections.append(section.id)
        visible += shown
        missing += section_missing
        sections.append(SectionProgress(section.id, section.title, section_visible, tuple(shown), answered, tuple(section_missing), section_problems))

    findings = tuple(_findings(loaded, assessment, source))
    open_blocking = any(f.severity == "blocking" for f in findings)
    open_high = any(f.severity == "high" for f in findings)

    acceptance = dict(assessment.acceptance_policy or pack.risk_method.default_acceptance)
    calculator = RiskCalculator(pack, source, assessment.risk_overrides, assessment.actions, acceptance)
    risks = tuple(calculator.compute(scenario) for scenario in calculator.applicable_risks())
    overall = overall_risk(risks, acceptance, open_blocking=open_blocking, open_high=open_high)

    shown = frozenset(visible)
    changed_facts = substantial_changes(pack, assessment)
    change_duty = pack.substantial_change.change_duty if pack.substantial_change is not None and changed_facts else None
    filing = tuple(filing_status(duty, source, today, shown, pack.definitions, arises=duty.id == change_duty)
                   for duty in pack.filing_duties)
    review = review_status(pack.review, assessment, source, today, pack.substantial_change, changed_facts)

    orphaned = tuple(sorted(q for q in answers if q not in pack.questions))
    drift = PackDrift(
        saved_version=assessment.pack.version,
        current_version=pack.version,
        content_changed=assessment.pack.sha256 != loaded.sha256,
        orphaned=orphaned,
    )
    verdict = _verdict(findings, risks, filing, review, provisional=bool(missing or problems))
    if verdict.outcome == "must_not_proceed":
        steps = tuple(step.id for step in pack.first_steps
                      if step.when is None or evaluate_condition(step.when, source) is True)
        verdict = replace(verdict, first_steps=steps)
    return Evaluation(
        pack_id=pack.id,
        pack_version=pack.version,
        evaluated_on=today,
        visible_sections=tuple(visible_sections),
        visible_questions=shown,
        sections=tuple(sections),
        missing_required=tuple(missing),
        answer_problems=tuple(problems),
        findings=findings,
        risks=risks,
        overall_risk=overall,
        acceptance_policy=acceptance,
        filing=filing,
        review=review,
        signoff_problems=_signoff_problems(assessment, verdict, missing),
        pack_drift=drift,
        verdict=verdict,
    )


_SEVERITY_ORDER = {"blocking": 0, "high": 1, "advisory": 2}


def _findings(loaded: LoadedPack, assessment: Assessment, source: _VisibleAnswers) -> list[Finding]:
    found: list[Finding] = []
    # Unanswered scope questions leave an instrument in: only an answer can take it out.
    out_of_scope = {name for name, applies in loaded.pack.instrument_scope.items()
                    if evaluate_condition(applies, source) is False}
    for rule in loaded.pack.rules:
        if evaluate_condition(rule.when, source) is not True:
            continue
        refs = _refs_in_scope(loaded, rule.refs, rule.severity, out_of_scope)
        actions = [a for a in assessment.actions if rule.id in a.finding_ids and a.status != "cancelled"]
        found.append(Finding(
            rule_id=rule.id,
            severity=rule.severity,
            kind=rule.kind,
            title=rule.title,
            finding=rule.finding,
            why=rule.why,
            recommendation=rule.recommendation,
            refs=refs,
            citations=_distinct_citations(loaded, refs),
            caused_by=_most_relevant_first(loaded, rule.refs, witnesses(rule.when, source)),
            action_ids=tuple(a.id for a in actions),
            has_dated_action=any(a.due is not None for a in actions),
        ))
    # Stable order: most severe first, then the pack's own order.
    return sorted(found, key=lambda f: _SEVERITY_ORDER[f.severity])


_SEVERITY_RANK = {"advisory": 0, "high": 1, "blocking": 2}


def _refs_in_scope(loaded: LoadedPack, refs: list[str], severity: Severity, out_of_scope: set[str]) -> tuple[str, ...]:
    """The rule's references without those of instruments that do not apply to this deployment.

    All are kept where dropping them would leave no binding requirement of the finding's severity:
    a finding must never stand on less law than its severity claims.
    """
    if not out_of_scope:
        return tuple(refs)
    catalog = loaded.catalog
    kept = tuple(ref for ref in refs if catalog.get(ref).instrument not in out_of_scope)

    def carries(ref: str) -> bool:
        requirement = catalog.get(ref)
        return (catalog.instruments[requirement.instrument].citable_as_law and requirement.severity is not None
                and _SEVERITY_RANK[requirement.severity] >= _SEVERITY_RANK[severity])

    return kept if any(carries(ref) for ref in kept) else tuple(refs)


def _distinct_citations(loaded: LoadedPack, refs: list[str]) -> tuple[Citation, ...]:
    """Each printed citation once: two requirements of one article (FRT-15a and FRT-15b are both
    Art. 15, whose paragraphs are not printed) would otherwise read "Art. 15; Art. 15"."""
    seen: set[str] = set()
    citations: list[Citation] = []
    for ref in refs:
        citation = loaded.catalog.citation(ref)
        if citation.text.en not in seen:
            seen.add(citation.text.en)
            citations.append(citation)
    return tuple(citations)


def _most_relevant_first(loaded: LoadedPack, rule_refs: list[str], causes: list[str]) -> tuple[str, ...]:
    """Causes ordered so that the question asking about the rule's own requirements comes first.

    A rule's condition often starts with context (the kind of venue) before the answer that is
    the problem (no alternative to the face); "jump to the cause" should land on the problem.
    """
    wanted = set(rule_refs)
    shared = {q: len(wanted & set(loaded.pack.question(q).refs)) for q in causes}
    return tuple(sorted(causes, key=lambda q: -shared[q]))


def _verdict(findings: tuple[Finding, ...], risks: tuple[RiskResult, ...], filing: tuple[FilingStatus, ...], review: ReviewStatus, *, provisional: bool) -> Verdict:
    reasons: list[Reason] = []
    conditions: list[Reason] = []

    def add(target: list[Reason], code: str, ids: list[str]) -> None:
        if ids:
            target.append(Reason(code, tuple(ids)))

    # Any open blocking finding means unlawful processing, whatever the risk matrix says (9.5.4).
    add(reasons, "blocking_findings", [f.rule_id for f in findings if f.severity == "blocking"])
    add(reasons, "unacceptable_residual_risks", [r.risk_id for r in risks if r.treatment == "unacceptable"])

    high = [f for f in findings if f.severity == "high"]
    # A HIGH item may only continue with a dated remediation plan; a legal question also needs counsel.
    add(conditions, "high_findings_without_dated_action", [f.rule_id for f in high if not f.has_dated_action])
    add(conditions, "high_findings_planned", [f.rule_id for f in high if f.has_dated_action])
    add(conditions, "legal_questions", [f.rule_id for f in high if f.kind == "legal_question"])
    add(conditions, "risks_to_fix_within_deadline", [r.risk_id for r in risks if r.treatment == "fix_within_deadline"])
    add(conditions, "filing_overdue", [f.duty_id for f in filing if f.state == "required" and f.overdue])
    add(conditions, "filing_required", [f.duty_id for f in filing if f.state == "required" and not f.overdue])
    add(conditions, "reassessment_required", [t.trigger_id for t in review.reassess_now])

    outcome: Outcome
    if reasons:
        outcome = "must_not_proceed"
    elif provisional:
        outcome = "incomplete"
    else:
        outcome = "proceed_with_conditions" if conditions else "may_proceed"
    return Verdict(outcome, provisional, tuple(reasons), tuple(conditions))


_DECISION_RANK = {"do_not_proceed": 0, "proceed_with_conditions": 1, "proceed": 2}
# An approval to proceed while the assessment is incomplete is as questionable as one against "must not proceed".
_OUTCOME_RANK = {"must_not_proceed": 0, "incomplete": 0, "proceed_with_conditions": 1, "may_proceed": 2}


def _signoff_problems(assessment: Assessment, verdict: Verdict, missing: list[str]) -> tuple[Reason, ...]:
    """Sign-offs a regulator would question: approvals against the DPO or against the verdict."""
    problems: list[Reason] = []
    dpo = [s for s in assessment.signoffs if s.role == "dpo"]
    approvers = [s for s in assessment.signoffs if s.role == "approver"]
    latest_dpo = max(dpo, key=lambda s: s.signed_on) if dpo else None
    for index, approval in enumerate(assessment.signoffs):
        if approval.role != "approver":
            continue
        ident = f"{index + 1}:{approval.name}"
        if latest_dpo is not None and _DECISION_RANK[approval.decision] > _DECISION_RANK[latest_dpo.decision] and not approval.overrules_dpo:
            problems.append(Reason("approval_departs_from_dpo_without_reason", (ident,)))
        if _DECISION_RANK[approval.decision] > _OUTCOME_RANK[verdict.outcome]:
            problems.append(Reason("approval_more_permissive_than_verdict", (ident,)))
    if assessment.metadata.status == "final":
        if not approvers:
            problems.append(Reason("final_without_approval"))
        if missing:
            problems.append(Reason("final_while_incomplete", tuple(missing)))
    return tuple(problems)
