"""Approved versions: freezing the assessment when it is approved, and reading the versions back.

The Measures and the PIPL expect an impact assessment to be kept for three years and redone when the
processing changes. So approving does not end the draft: it freezes a copy of it (answers, actions,
sign-offs, the pack it was answered against, and what the evaluation concluded) inside the same
file, and work goes on in the draft. The next reassessment is compared with the last approved
version (core/changes.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from .assessment import ApprovedVersion, Assessment, EvaluationSummary, RiskLevels
from .evaluation import Evaluation
from .times import later_by


class CannotApprove(Exception):
    """Approving is refused; `code` says why (the front end words it), `details` lists what is missing."""

    def __init__(self, code: str, details: tuple[str, ...] = ()):
        super().__init__(code if not details else f"{code}: {', '.join(details)}")
        self.code = code
        self.details = details


def content_hash(assessment: Assessment) -> str:
    """SHA-256 of the assessment's canonical JSON (sorted keys, no spacing): the same content
    always gives the same hash, whatever order or layout a file stores it in."""
    return _hash(assessment.model_dump(mode="json"))


def _hash(document: object) -> str:
    canonical = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _substance(assessment: Assessment) -> str:
    """What approving again would freeze, without the time of the last save (every save sets it)."""
    return _hash(assessment.model_dump(mode="json", exclude={"metadata": {"modified_at"}, "changelog": True, "approved_versions": True}))


def summarise(evaluation: Evaluation) -> EvaluationSummary:
    findings: dict[str, list[str]] = {}
    for finding in evaluation.findings:
        findings.setdefault(finding.severity, []).append(finding.rule_id)
    return EvaluationSummary(
        evaluated_on=evaluation.evaluated_on,
        verdict=evaluation.verdict.outcome,
        findings=findings,  # type: ignore[arg-type]
        risks={r.risk_id: RiskLevels(inherent=r.inherent.level, residual=r.residual.level) for r in evaluation.risks},
        overall_risk=evaluation.overall_risk.level,
        filing={status.duty_id: status.state for status in evaluation.filing},
        next_review=evaluation.review.next_review,
    )


def _frozen_copy(assessment: Assessment) -> Assessment:
    # The change log stays with the draft: it records edits, not what was approved.
    return assessment.model_copy(update={"approved_versions": [], "changelog": []}, deep=True)


def approval_blocker(assessment: Assessment, evaluation: Evaluation) -> CannotApprove | None:
    """Why the assessment cannot be approved now, or None: required questions unanswered or
    unusable, no approver's sign-off, or nothing changed since the last approved version."""
    if evaluation.missing_required or evaluation.answer_problems:
        return CannotApprove("incomplete", tuple(evaluation.missing_required) + tuple(p.question_id for p in evaluation.answer_problems))
    if not any(s.role == "approver" for s in assessment.signoffs):
        return CannotApprove("no_approver")
    last = last_approved(assessment)
    if last is not None and _substance(last.assessment) == _substance(_frozen_copy(assessment)):
        return CannotApprove("unchanged", (str(last.number),))
    return None


def approve(assessment: Assessment, evaluation: Evaluation, now: dt.datetime) -> Assessment:
    """The assessment with its current state frozen as the next approved version; raises the
    approval_blocker if there is one. The approver is the latest approver sign-off: the approved
    copy is what that sign-off was given on."""
    blocker = approval_blocker(assessment, evaluation)
    if blocker is not None:
        raise blocker
    approver = max((s for s in assessment.signoffs if s.role == "approver"), key=lambda s: s.signed_on)
    frozen = _frozen_copy(assessment)
    version = ApprovedVersion(
        number=len(assessment.approved_versions) + 1,
        approved_on=evaluation.evaluated_on,
        approved_by=approver.name,
        decision=approver.decision,
        approved_at=now.astimezone(dt.timezone.utc).replace(microsecond=0),
        assessment=frozen,
        summary=summarise(evaluation),
        content_sha256=content_hash(frozen),
    )
    return assessment.model_copy(update={"approved_versions": [*assessment.approved_versions, version]})


def last_approved(assessment: Assessment) -> ApprovedVersion | None:
    return assessment.approved_versions[-1] if assessment.approved_versions else None


def is_intact(version: ApprovedVersion) -> bool:
    """False when the frozen copy no longer matches the hash taken at approval (edited by hand)."""
    return content_hash(version.assessment) == version.content_sha256


@dataclass(frozen=True)
class RetentionEnd:
    number: int
    keep_until: dt.date


def retention_ends(assessment: Assessment, years: int) -> tuple[RetentionEnd, ...]:
    """Until when each approved version must be kept (PIPL Art. 56, FRT Measures: three years)."""
    return tuple(RetentionEnd(v.number, later_by(v.approved_on, years=years)) for v in assessment.approved_versions)
