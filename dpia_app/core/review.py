"""When the assessment must be reviewed again: the regular interval, or now after a trigger."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from .assessment import Assessment
from .conditions import AnswerSource, evaluate
from .formpack import ReviewPolicy, SubstantialChange
from .text import LocalizedText
from .times import later_by


@dataclass(frozen=True, slots=True)
class ReassessmentReason:
    trigger_id: str
    reason: LocalizedText
    refs: tuple[str, ...]
    questions: tuple[str, ...] = ()  # the facts that changed, when the evaluation found the change itself


SUBSTANTIAL_CHANGE_TRIGGER = "SUBSTANTIAL-CHANGE"


@dataclass(frozen=True, slots=True)
class ReviewStatus:
    next_review: dt.date
    # What the interval counts from: the assessment date, the approval, or today for a draft
    # that has neither yet (then the date moves until the assessment is dated).
    counted_from: Literal["assessment_date", "approval", "today"]
    interval_months: int
    reason: LocalizedText
    refs: tuple[str, ...]
    reassess_now: tuple[ReassessmentReason, ...]
    overdue: bool


def review_status(policy: ReviewPolicy, assessment: Assessment, source: AnswerSource, today: dt.date,
                  change: SubstantialChange | None = None, changed_facts: tuple[str, ...] = ()) -> ReviewStatus:
    approvals = [s.signed_on for s in assessment.signoffs if s.role == "approver"]
    if assessment.metadata.assessment_date is not None:
        base, counted_from = assessment.metadata.assessment_date, "assessment_date"
    elif approvals:
        base, counted_from = max(approvals), "approval"
    else:
        base, counted_from = today, "today"
    next_review = later_by(base, months=policy.interval_months)
    triggers = tuple(
        ReassessmentReason(t.id, t.reason, tuple(t.refs))
        for t in policy.reassess_now_when
        if evaluate(t.when, source) is True
    )
    if change is not None and changed_facts:
        triggers += (ReassessmentReason(SUBSTANTIAL_CHANGE_TRIGGER, change.reason, tuple(change.refs), changed_facts),)
    return ReviewStatus(
        next_review=next_review,
        counted_from=counted_from,  # type: ignore[arg-type]
        interval_months=policy.interval_months,
        reason=policy.reason,
        refs=tuple(policy.refs),
        reassess_now=triggers,
        overdue=today > next_review,
    )
