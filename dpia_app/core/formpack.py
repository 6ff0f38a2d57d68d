"""The form pack: questionnaire, rules, risk scenarios and risk method of one kind of assessment.

A pack is reviewed legal content, written in YAML (see forms/) and validated by these models. The
loader passes a validation context (the pack's question shapes, named definitions and the catalog)
so that a condition naming a missing question, a rule citing a requirement the catalog lacks or a
choice compared with an option that does not exist is an error with a line number, not a silent
rule that never fires.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from .conditions import Condition
from .levels import (
    DIMENSIONS,
    IMPACT_LEVELS,
    LIKELIHOOD_LEVELS,
    RISK_LEVELS,
    RISK_SOURCE_AREAS,
    Dimension,
    ImpactLevel,
    LikelihoodLevel,
    RiskLevel,
    RiskSourceArea,
    Severity,
    Treatment,
)
from .text import LocalizedText

QuestionType = Literal[
    "yes_no", "single_choice", "multi_choice", "short_text", "long_text", "integer", "date", "group"
]
FieldType = Literal["yes_no", "single_choice", "multi_choice", "short_text", "long_text", "integer", "date"]

QUESTION_ID = r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$"
LOCAL_ID = r"^[a-z][a-z0-9_]*$"


def _check_refs(refs: list[str], info: ValidationInfo) -> list[str]:
    catalog = (info.context or {}).get("catalog")
    if catalog is not None:
        unknown = [ref for ref in refs if ref not in catalog]
        if unknown:
            raise ValueError(f"not in the requirements catalog: {', '.join(unknown)}")
    if len(set(refs)) != len(refs):
        raise ValueError("a reference is listed twice")
    return refs


Refs = Annotated[list[str], AfterValidator(_check_refs)]


def _listed_twice(ids: Iterable[str]) -> list[str]:
    """The ids that occur more than once, sorted (linear: a list may hold thousands)."""
    return sorted(identifier for identifier, count in Counter(ids).items() if count > 1)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Option(_Strict):
    id: str = Field(pattern=LOCAL_ID)
    label: LocalizedText
    help: LocalizedText | None = None


class _Typed(_Strict):
    """What questions and table fields share: a type and its type-specific settings."""

    options: list[Option] | None = None
    min: int | None = None
    max: int | None = None
    unit: LocalizedText | None = None
    max_length: int | None = Field(default=None, gt=0)

    def _check_type_settings(self, kind: str) -> None:
        choice = kind in ("single_choice", "multi_choice")
        if choice and not self.options:
            raise ValueError(f"a {kind} question needs `options`")
        if not choice and self.options is not None:
            raise ValueError(f"`options` only belong to choice questions, not {kind}")
        if self.options is not None:
            duplicates = _listed_twice(option.id for option in self.options)
            if duplicates:
                raise ValueError(f"option id listed twice: {', '.join(duplicates)}")
        if kind != "integer" and (self.min is not None or self.max is not None or self.unit is not None):
            raise ValueError("`min`, `max` and `unit` only belong to integer questions")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"`min` ({self.min}) is above `max` ({self.max})")
        if self.max_length is not None and kind not in ("short_text", "long_text"):
            raise ValueError("`max_length` only belongs to text questions")

    def option_ids(self) -> list[str]:
        return [option.id for option in self.options or []]

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options or [] if o.id == option_id), None)


class TableField(_Typed):
    """One column of a repeating table (e.g. a device location and its room type)."""

    id: str = Field(pattern=LOCAL_ID)
    type: FieldType
    label: LocalizedText
    help: LocalizedText | None = None
    required: bool = False

    @model_validator(mode="after")
    def _settings_fit_type(self) -> "TableField":
        self._check_type_settings(self.type)
        return self


class TableColumn(_Strict):
    """A column of a table question, e.g. the number of devices at each location."""

    question: str = Field(pattern=QUESTION_ID)
    field: str = Field(pattern=LOCAL_ID)


class Question(_Typed):
    id: str = Field(pattern=QUESTION_ID)
    type: QuestionType
    text: LocalizedText
    # The fact the answer records, named in a few words ("Purpose", "Signs at every entrance"), for
    # the filing report's account of the processing, which reads as a fact sheet; the full record
    # and the wizard ask the whole question. A yes/no label reads right before "Yes" and "No".
    label: LocalizedText | None = None
    help: LocalizedText
    required: bool = False
    refs: Refs = Field(default_factory=list)
    show_if: Condition | None = None
    fields: list[TableField] | None = None
    # Answers that identify one organisation or site (names, contacts, addresses) are dropped when
    # the assessment is saved as a reusable template.
    identifying: bool = False
    # The assessment detail this question asks again; each fills the other (core/shared_facts.py).
    same_as: Literal["title", "organisation", "system", "site", "dpo"] | None = None
    # A fact a table already records, gathered from one of its columns: a whole number is the
    # column's total (devices over all locations), choices are the options used in it (where the
    # activities store faces). The answer follows the table until the user writes something else.
    from_table: TableColumn | None = None

    @model_validator(mode="after")
    def _settings_fit_type(self) -> "Question":
        self._check_type_settings(self.type)
        if self.same_as is not None and self.type != "short_text":
            raise ValueError("`same_as` only belongs to short text questions (the details are short texts)")
        if self.from_table is not None and self.type not in ("integer", "multi_choice"):
            raise ValueError("`from_table` only belongs to whole-number questions (a column's total) and multiple choices (the options a column uses)")
        if self.type == "group":
            if not self.fields:
                raise ValueError("a table question (group) needs `fields`")
            duplicates = _listed_twice(f.id for f in self.fields)
            if duplicates:
                raise ValueError(f"field id listed twice: {', '.join(duplicates)}")
        elif self.fields is not None:
            raise ValueError("`fields` only belong to table questions (group)")
        return self

    def field(self, field_id: str) -> TableField | None:
        return next((f for f in self.fields or [] if f.id == field_id), None)


class Section(_Strict):
    id: str = Field(pattern=LOCAL_ID)
    title: LocalizedText
    intro: LocalizedText | None = None
    refs: Refs = Field(default_factory=list)
    show_if: Condition | None = None
    questions: list[Question] = Field(min_length=1)


class Rule(_Strict):
    """A legal test on the answers; when its condition is true it raises a finding."""

    id: str = Field(pattern=r"^R-[A-Z0-9]+(-[A-Z0-9]+)*$")
    refs: Refs = Field(min_length=1)
    severity: Severity
    # A legal-interpretation question is not a breach but must not pass automatically: a lawyer
    # decides (e.g. whether an on-premises server counts as storage "in the device", FRT-08a).
    kind: Literal["finding", "legal_question"] = "finding"
    when: Condition
    title: LocalizedText
    finding: LocalizedText
    why: LocalizedText
    recommendation: LocalizedText


class ImpactAdjustment(_Strict):
    """GB/T 39335 D.1 adjustment of impact, e.g. +1 level for minors or a large population."""

    id: str = Field(pattern=r"^[A-Z][A-Z0-9-]*$")
    when: Condition
    change: Literal[-1, 1]
    dimensions: list[Dimension] | None = None  # None: every dimension
    reason: LocalizedText
    refs: Refs = Field(default_factory=list)


class LikelihoodAdjustment(_Strict):
    """GB/T 39335 D.2 adjustment: raise a risk-source area to at least a level, or move it by one."""

    id: str = Field(pattern=r"^[A-Z][A-Z0-9-]*$")
    when: Condition
    area: RiskSourceArea | None = None  # None: the overall likelihood after the worst-area rule
    at_least: LikelihoodLevel | None = None
    change: Literal[-1, 1] | None = None
    reason: LocalizedText
    refs: Refs = Field(default_factory=list)

    @model_validator(mode="after")
    def _one_effect(self) -> "LikelihoodAdjustment":
        if (self.at_least is None) == (self.change is None):
            raise ValueError("a likelihood adjustment has exactly one of `at_least` or `change`")
        return self


def _complete(mapping: dict, keys: tuple[str, ...], what: str) -> dict:
    missing = [key for key in keys if key not in mapping]
    if missing:
        raise ValueError(f"{what} missing for: {', '.join(missing)}")
    return mapping


class RiskWording(_Strict):
    """How a risk reads for one kind of deployment: covert tracking of passers-by is not the risk of
    employees who enrolled at their own turnstile, though the method scores both the same way."""

    when: Condition
    title: LocalizedText
    description: LocalizedText


class RiskScenario(_Strict):
    """Something that can go wrong for the people whose faces are processed."""

    id: str = Field(pattern=r"^RISK-[A-Z0-9-]+$")
    title: LocalizedText
    description: LocalizedText
    # The first wording whose condition holds replaces the title and description.
    wordings: list[RiskWording] = Field(default_factory=list)
    refs: Refs = Field(default_factory=list)
    applies_when: Condition | None = None
    impact: dict[Dimension, ImpactLevel]
    likelihood: dict[RiskSourceArea, LikelihoodLevel]
    impact_adjustments: list[ImpactAdjustment] = Field(default_factory=list)
    likelihood_adjustments: list[LikelihoodAdjustment] = Field(default_factory=list)

    @field_validator("impact")
    @classmethod
    def _all_dimensions(cls, impact: dict) -> dict:
        return _complete(impact, DIMENSIONS, "impact")

    @field_validator("likelihood")
    @classmethod
    def _all_areas(cls, likelihood: dict) -> dict:
        return _complete(likelihood, RISK_SOURCE_AREAS, "likelihood")


class RiskLabels(_Strict):
    impact_levels: dict[ImpactLevel, LocalizedText]
    likelihood_levels: dict[LikelihoodLevel, LocalizedText]
    risk_levels: dict[RiskLevel, LocalizedText]
    dimensions: dict[Dimension, LocalizedText]
    areas: dict[RiskSourceArea, LocalizedText]
    treatments: dict[Treatment, LocalizedText]

    @model_validator(mode="after")
    def _complete_labels(self) -> "RiskLabels":
        _complete(self.impact_levels, IMPACT_LEVELS, "impact level label")
        _complete(self.likelihood_levels, LIKELIHOOD_LEVELS, "likelihood level label")
        _complete(self.risk_levels, RISK_LEVELS, "risk level label")
        _complete(self.dimensions, DIMENSIONS, "dimension label")
        _complete(self.areas, RISK_SOURCE_AREAS, "risk-source area label")
        return self


class RiskMethod(_Strict):
    provenance: LocalizedText
    refs: Refs = Field(default_factory=list)
    labels: RiskLabels
    # Rows: impact level; columns: likelihood low, medium, high, very_high.
    matrix: dict[ImpactLevel, list[RiskLevel]]
    default_acceptance: dict[RiskLevel, Treatment]
    impact_adjustments: list[ImpactAdjustment] = Field(default_factory=list)
    likelihood_adjustments: list[LikelihoodAdjustment] = Field(default_factory=list)

    @field_validator("matrix")
    @classmethod
    def _matrix_is_complete_and_monotone(cls, matrix: dict[str, list[str]]) -> dict:
        _complete(matrix, IMPACT_LEVELS, "matrix row")
        for impact, row in matrix.items():
            if len(row) != len(LIKELIHOOD_LEVELS):
                raise ValueError(f"matrix row {impact!r} needs {len(LIKELIHOOD_LEVELS)} levels (low to very_high)")
        # A higher impact or likelihood must never give a lower risk; anything else is a typo.
        for i, impact in enumerate(IMPACT_LEVELS):
            row = [RISK_LEVELS.index(level) for level in matrix[impact]]
            if row != sorted(row):
                raise ValueError(f"matrix row {impact!r} goes down as likelihood rises")
            if i:
                below = [RISK_LEVELS.index(level) for level in matrix[IMPACT_LEVELS[i - 1]]]
                if any(b > r for b, r in zip(below, row)):
                    raise ValueError(f"matrix row {impact!r} is lower than the row below it")
        return matrix

    @field_validator("default_acceptance")
    @classmethod
    def _every_level_treated(cls, acceptance: dict) -> dict:
        return _complete(acceptance, RISK_LEVELS, "acceptance treatment")

    def risk_level(self, impact: ImpactLevel, likelihood: LikelihoodLevel) -> RiskLevel:
        return self.matrix[impact][LIKELIHOOD_LEVELS.index(likelihood)]


class FilingTransition(_Strict):
    """A fixed deadline for those who crossed the threshold before the rule took effect (FRT-15d)."""

    reached_before: dt.date
    deadline: dt.date
    refs: Refs = Field(default_factory=list)
    note: LocalizedText


class FilingDuty(_Strict):
    """A filing with a regulator due a number of PRC working days after a dated event."""

    id: str = Field(pattern=LOCAL_ID)
    title: LocalizedText
    authority: LocalizedText
    refs: Refs = Field(min_length=1)
    applies_when: Condition
    expected_when: Condition | None = None
    start_question: str
    start_label: LocalizedText
    working_days: int = Field(gt=0, le=365)
    done_when: Condition | None = None
    transition: FilingTransition | None = None
    explanation: LocalizedText


class ReassessmentTrigger(_Strict):
    id: str = Field(pattern=r"^[A-Z][A-Z0-9-]*$")
    when: Condition
    reason: LocalizedText
    refs: Refs = Field(default_factory=list)


class ReviewPolicy(_Strict):
    interval_months: int = Field(gt=0, le=60)
    reason: LocalizedText
    refs: Refs = Field(default_factory=list)
    reassess_now_when: list[ReassessmentTrigger] = Field(default_factory=list)


class FirstStep(_Strict):
    """What to do first when the assessment says "must not proceed": stop, delete, notify.

    The steps are legal content (which remedies apply to which deployment), so they live in the pack;
    the engine lists those whose condition holds, before the reasons and before any other duty.
    """

    id: str = Field(pattern=r"^[A-Z][A-Z0-9-]*$")
    when: Condition | None = None
    text: LocalizedText
    refs: Refs = Field(default_factory=list)


class GlossaryTerm(_Strict):
    """A term the report uses, explained for a reader who is not a privacy lawyer."""

    term: LocalizedText
    definition: LocalizedText
    refs: Refs = Field(default_factory=list)


class CountBands(_Strict):
    """A number whose change of band is substantive (a stored headcount crossing 1,000,000), not
    every change of the number itself."""

    q: str
    bands: list[int] = Field(min_length=1)

    @model_validator(mode="after")
    def _ascending(self) -> "CountBands":
        if self.bands != sorted(set(self.bands)):
            raise ValueError("bands must be distinct and in ascending order")
        return self

    def band(self, value: int) -> int:
        return sum(1 for limit in self.bands if value >= limit)


class SubstantialChange(_Strict):
    """The filed facts whose change since the last filed approved version is a substantive change:
    the change must be filed (change_duty) and the assessment redone now."""

    refs: Refs = Field(min_length=1)
    # An approved version counts as filed when this duty was done when it was approved.
    filed_duty: str
    change_duty: str
    facts: list[str] = Field(min_length=1)
    counts: list[CountBands] = Field(default_factory=list)
    reason: LocalizedText


class PublicSummaryPart(_Strict):
    heading: LocalizedText
    questions: list[str] = Field(min_length=1)


class PublicSummary(_Strict):
    """The short account of the processing a processor publishes for the people whose faces it
    processes (GB/T 39335's public summary): which answers it prints, under which headings. Only
    the questions listed here are printed, so that security details stay out of it."""

    intro: LocalizedText
    parts: list[PublicSummaryPart] = Field(min_length=1)
    refs: Refs = Field(default_factory=list)


class FormPack(_Strict):
    format: Literal["dpia-form-pack"]
    format_version: Literal[1]
    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    version: str = Field(pattern=r"^[0-9]+\.[0-9]+\.[0-9]+$")
    title: LocalizedText
    description: LocalizedText
    catalog: str = Field(pattern=r"^[A-Za-z0-9_.-]+\.yaml$")
    definitions: dict[str, Condition] = Field(default_factory=dict)
    # Where an instrument applies: a finding cites its requirements only where the condition is not
    # false (the FRT Measures govern recognising identity, so face analysis without names is cited to
    # the PIPL and the SPC), unless nothing binding of the rule's severity would be left.
    instrument_scope: dict[str, Condition] = Field(default_factory=dict)
    sections: list[Section] = Field(min_length=1)
    rules: list[Rule] = Field(default_factory=list)
    risk_method: RiskMethod
    risks: list[RiskScenario] = Field(default_factory=list)
    filing_duties: list[FilingDuty] = Field(default_factory=list)
    review: ReviewPolicy
    # Listed first, in this order, when the verdict is "must not proceed".
    first_steps: list[FirstStep] = Field(default_factory=list)
    glossary: list[GlossaryTerm] = Field(default_factory=list)
    public_summary: PublicSummary | None = None
    substantial_change: SubstantialChange | None = None
    # Question ids renamed in this version: old id -> new id, so older drafts keep their answers.
    renamed_questions: dict[str, str] = Field(default_factory=dict)

    @field_validator("instrument_scope")
    @classmethod
    def _scoped_instruments_exist(cls, scope: dict[str, Condition], info: ValidationInfo) -> dict[str, Condition]:
        catalog = (info.context or {}).get("catalog")
        if catalog is not None:
            unknown = sorted(name for name in scope if name not in catalog.instruments)
            if unknown:
                raise ValueError(f"not an instrument of the requirements catalog: {', '.join(unknown)}")
        return scope

    def model_post_init(self, _context: object) -> None:
        questions: dict[str, Question] = {}
        section_of: dict[str, Section] = {}
        for section in self.sections:
            for question in section.questions:
                questions[question.id] = question
                section_of[question.id] = section
        object.__setattr__(self, "_questions", questions)
        object.__setattr__(self, "_section_of", section_of)
        object.__setattr__(self, "_rules", {rule.id: rule for rule in self.rules})
        object.__setattr__(self, "_risks", {risk.id: risk for risk in self.risks})

    @property
    def questions(self) -> dict[str, Question]:
        return self._questions  # type: ignore[attr-defined]

    def question(self, question_id: str) -> Question:
        return self._questions[question_id]  # type: ignore[attr-defined]

    def section_of(self, question_id: str) -> Section:
        return self._section_of[question_id]  # type: ignore[attr-defined]

    def rule(self, rule_id: str) -> Rule:
        return self._rules[rule_id]  # type: ignore[attr-defined]

    def risk(self, risk_id: str) -> RiskScenario:
        return self._risks[risk_id]  # type: ignore[attr-defined]

    def has_rule(self, rule_id: str) -> bool:
        return rule_id in self._rules  # type: ignore[attr-defined]

    def has_risk(self, risk_id: str) -> bool:
        return risk_id in self._risks  # type: ignore[attr-defined]
