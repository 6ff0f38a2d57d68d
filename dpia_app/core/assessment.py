"""An assessment in progress: metadata, answers, risk overrides, actions, sign-offs and change log.

Answers are kept as plain JSON values keyed by question id, exactly as saved. They are interpreted
against the form pack only at evaluation time, so an answer that a newer pack no longer understands
is reported, never dropped.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue, StringConstraints, model_validator

from .levels import IMPACT_LEVELS, LIKELIHOOD_LEVELS, Dimension, RiskLevel, Treatment

NonBlank = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
# Generous limits: they stop a pasted log file from turning a draft into hundreds of megabytes,
# not a careful assessor writing at length.
LongText = Annotated[str, StringConstraints(max_length=100_000)]
ShortText = Annotated[str, StringConstraints(max_length=1_000)]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class PackReference(_Model):
    """The form pack the answers were given against, so a later pack change can be detected."""

    id: str
    version: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


class Metadata(_Model):
    assessment_id: str = Field(default_factory=lambda: str(uuid.uuid4()))
    title: ShortText = ""
    organisation: ShortText = ""
    system: ShortText = ""
    site: ShortText = ""
    assessors: list[ShortText] = Field(default_factory=list)
    dpo: ShortText = ""
    # The date the assessment speaks for; the next review is counted from here.
    assessment_date: dt.date | None = None
    status: Literal["draft", "final"] = "draft"
    created_at: dt.datetime = Field(default_factory=_now)
    modified_at: dt.datetime = Field(default_factory=_now)
    # Set when this assessment was created from a template or an earlier draft.
    derived_from: ShortText = ""


class RiskOverride(_Model):
    """A reviewer's departure from the computed level; never without a written justification."""

    risk_id: str
    target: Literal["impact", "likelihood", "residual_impact", "residual_likelihood"]
    dimension: Dimension | None = None
    level: str
    justification: Annotated[str, StringConstraints(strip_whitespace=True, min_length=10, max_length=10_000)]
    by: ShortText = ""
    on: dt.date | None = None

    @model_validator(mode="after")
    def _level_fits_target(self) -> "RiskOverride":
        impact_target = self.target in ("impact", "residual_impact")
        scale = IMPACT_LEVELS if impact_target else LIKELIHOOD_LEVELS
        if self.level not in scale:
            raise ValueError(f"level {self.level!r} is not one of {', '.join(scale)}")
        if impact_target and self.dimension is None:
            raise ValueError("an impact override names the dimension it changes")
        if not impact_target and self.dimension is not None:
            raise ValueError("a likelihood override applies to the whole risk, not to a dimension")
        return self


ActionStatus = Literal["planned", "in_progress", "done", "cancelled"]
ActionEffect = Literal["none", "lowers_likelihood", "lowers_impact"]


class Action(_Model):
    """A measure in the action plan, linked to the findings and risks it treats."""

    id: str = Field(default_factory=lambda: "A-" + uuid.uuid4().hex[:8])
    measure: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=10_000)]
    owner: ShortText = ""
    due: dt.date | None = None
    status: ActionStatus = "planned"
    finding_ids: list[str] = Field(default_factory=list)
    risk_ids: list[str] = Field(default_factory=list)
    # What the measure does to the risks it is linked to when computing residual risk.
    effect: ActionEffect = "none"
    notes: LongText = ""


SignOffRole = Literal["assessor", "dpo", "approver"]
Decision = Literal["proceed", "proceed_with_conditions", "do_not_proceed"]


class SignOff(_Model):
    role: SignOffRole
    name: NonBlank
    position: ShortText = ""
    signed_on: dt.date
    # The DPO's advice, or the approver's decision.
    decision: Decision
    opinion: LongText = ""
    conditions: LongText = ""
    # An approver who decides against the DPO's advice must say why (PIPIA records must show it).
    overrules_dpo: bool = False
    overrule_reason: LongText = ""

    @model_validator(mode="after")
    def _overrule_needs_reason(self) -> "SignOff":
        if self.overrules_dpo and not self.overrule_reason.strip():
            raise ValueError("the reason for overruling the DPO's advice is required")
        if self.overrules_dpo and self.role != "approver":
            raise ValueError("only an approver can overrule the DPO's advice")
        return self


class ChangeLogEntry(_Model):
    at: dt.datetime
    by: ShortText = ""
    summary: LongText


AnswerValue = JsonValue


class RiskLevels(_Model):
    inherent: RiskLevel
    residual: RiskLevel


class EvaluationSummary(_Model):
    """What an approved version concluded, kept with it: read back later, it is what was approved,
    not what a newer form pack or a later date would conclude from the same answers."""

    evaluated_on: dt.date
    verdict: Literal["incomplete", "may_proceed", "proceed_with_conditions", "must_not_proceed"]
    findings: dict[Literal["blocking", "high", "advisory"], list[str]] = Field(default_factory=dict)  # rule ids
    risks: dict[str, RiskLevels] = Field(default_factory=dict)  # by risk id
    overall_risk: RiskLevel | None = None
    filing: dict[str, Literal["not_required", "undetermined", "expected", "required", "done"]] = Field(default_factory=dict)
    next_review: dt.date | None = None


class ApprovedVersion(_Model):
    """An approved version, frozen inside the draft file: a regulator may ask for any of them for
    three years, and the next reassessment is compared against the last one."""

    number: int = Field(ge=1)
    approved_on: dt.date
    approved_by: NonBlank
    decision: Decision
    approved_at: dt.datetime
    # The assessment as approved (its own approved_versions empty), the pack it was answered
    # against and what the evaluation concluded then.
    assessment: "Assessment"
    summary: EvaluationSummary
    # SHA-256 of the approved assessment's canonical JSON: a version edited by hand afterwards no
    # longer matches, and the app says so instead of presenting it as approved.
    content_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")

    @model_validator(mode="after")
    def _flat(self) -> "ApprovedVersion":
        if self.assessment.approved_versions:
            raise ValueError("an approved version cannot itself hold approved versions")
        return self


class Assessment(_Model):
    metadata: Metadata = Field(default_factory=Metadata)
    pack: PackReference
    answers: dict[str, AnswerValue] = Field(default_factory=dict)
    # Evidence and remarks per question ("photo of the sign at gate 3 in folder X").
    notes: dict[str, LongText] = Field(default_factory=dict)
    acceptance_policy: dict[RiskLevel, Treatment] | None = None
    risk_overrides: list[RiskOverride] = Field(default_factory=list)
    actions: list[Action] = Field(default_factory=list)
    signoffs: list[SignOff] = Field(default_factory=list)
    changelog: list[ChangeLogEntry] = Field(default_factory=list)
    # Frozen approved versions, oldest first; the fields above are the working draft.
    approved_versions: list[ApprovedVersion] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_action_ids(self) -> "Assessment":
        # Counted once (a draft may hold thousands of actions; list.count per action is quadratic).
        duplicates = sorted(i for i, times in Counter(action.id for action in self.actions).items() if times > 1)
        if duplicates:
            raise ValueError(f"action id used twice: {', '.join(duplicates)}")
        return self

    @model_validator(mode="after")
    def _versions_numbered_in_order(self) -> "Assessment":
        numbers = [version.number for version in self.approved_versions]
        if numbers != list(range(1, len(numbers) + 1)):
            raise ValueError(f"approved versions must be numbered 1, 2, 3… in order; found {numbers}")
        return self


ApprovedVersion.model_rebuild()
