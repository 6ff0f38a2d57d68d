"""The GB/T 39335 risk method: impact per dimension x likelihood -> risk level, every step explained.

For each risk scenario of the pack that applies to the answers:
1. impact per dimension starts from the scenario's rating for one individual and moves by the sum of
   every matching adjustment (scale, vulnerable groups, de-identification), clamped to the scale;
2. likelihood per risk-source area starts from the scenario's rating, is raised to any matching
   floor (e.g. more than 1 or 10 million people for the business-scale area) and then moved by any
   matching change (e.g. proven targeted controls); the risk's likelihood is the worst area, then
   any adjustment that names no area;
3. reviewer overrides replace a computed level, each with its justification;
4. the risk level is the matrix cell; the risk's level is its worst dimension;
5. residual risk repeats 3-4 after the planned actions linked to the risk, each lowering the level
   it claims to lower by one.
Every adjustment is recorded with its reason, so the report can print the whole derivation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from .assessment import Action, RiskOverride
from .conditions import AnswerSource, evaluate
from .formpack import FormPack, ImpactAdjustment, LikelihoodAdjustment, RiskScenario
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
    Treatment,
    highest,
    shift,
)
from .text import LocalizedText

AdjustmentKind = Literal["rule", "override", "action"]


@dataclass(frozen=True, slots=True)
class AppliedAdjustment:
    """One recorded step: what moved, from which level to which, and why."""

    id: str
    kind: AdjustmentKind
    target: str  # "impact:<dimension>[,<dimension>...]", "likelihood:<area>", "likelihood"
    before: str  # "" where one adjustment moves several dimensions at once
    after: str
    change: str  # "+1", "-1", "at_least:<level>", "set:<level>"
    reason: LocalizedText
    refs: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RiskPosition:
    """Impact per dimension and likelihood, and the matrix levels they give."""

    impact: dict[Dimension, ImpactLevel]
    likelihood: LikelihoodLevel
    level_by_dimension: dict[Dimension, RiskLevel]
    level: RiskLevel

    @property
    def worst_impact(self) -> ImpactLevel:
        return highest(IMPACT_LEVELS, list(self.impact.values()))


@dataclass(frozen=True, slots=True)
class RiskResult:
    risk_id: str
    title: LocalizedText
    description: LocalizedText
    refs: tuple[str, ...]
    base_impact: dict[Dimension, ImpactLevel]
    base_likelihood: dict[RiskSourceArea, LikelihoodLevel]
    area_likelihood: dict[RiskSourceArea, LikelihoodLevel]
    inherent: RiskPosition
    residual: RiskPosition
    inherent_steps: tuple[AppliedAdjustment, ...]
    residual_steps: tuple[AppliedAdjustment, ...]
    treatment: Treatment
    action_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class OverallRisk:
    """The assessment's risk: the worst scenario, with the legal floor of the catalog's section 9.5."""

    inherent: RiskLevel | None
    residual: RiskLevel | None
    # Open HIGH findings set a floor of High; open BLOCKING findings make the processing unlawful
    # whatever the matrix says.
    floor: RiskLevel | None = None
    # The one overall level stated to the reader: the worst residual risk, raised to the floor.
    level: RiskLevel | None = None
    unlawful: bool = False
    treatment: Treatment | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def raised_by_findings(self) -> bool:
        """Whether open findings, not the matrix, set the level (the scenarios alone give less, or none)."""
        return self.level is not None and self.level == self.floor and (
            self.residual is None or RISK_LEVELS.index(self.residual) < RISK_LEVELS.index(self.level))


def _text(text: str) -> LocalizedText:
    return LocalizedText(en=text, **{"zh-Hans": text})


class RiskCalculator:
    """Computes the risk register from one assessment's answers, overrides and actions."""

    def __init__(self, pack: FormPack, source: AnswerSource, overrides: Sequence[RiskOverride], actions: Sequence[Action], acceptance: dict[RiskLevel, Treatment]):
        self.pack = pack
        self.method = pack.risk_method
        self.source = source
        self.overrides = overrides
        self.actions = actions
        self.acceptance = acceptance
        self._truth: dict[int, bool] = {}

    def _holds(self, adjustment: ImpactAdjustment | LikelihoodAdjustment) -> bool:
        # Method-wide adjustments are tested once per assessment, not once per risk.
        key = id(adjustment)
        if key not in self._truth:
            self._truth[key] = evaluate(adjustment.when, self.source) is True
        return self._truth[key]

    def applicable_risks(self) -> list[RiskScenario]:
        return [r for r in self.pack.risks if r.applies_when is None or evaluate(r.applies_when, self.source) is True]

    def compute(self, scenario: RiskScenario) -> RiskResult:
        steps: list[AppliedAdjustment] = []
        impact = self._impact(scenario, steps)
        areas = self._area_likelihood(scenario, steps)
        likelihood = self._overall_likelihood(scenario, areas, steps)
        impact, likelihood = self._apply_overrides(scenario.id, impact, likelihood, steps, residual=False)
        inherent = self._position(impact, likelihood)

        residual_steps: list[AppliedAdjustment] = []
        linked = [a for a in self.actions if scenario.id in a.risk_ids and a.status != "cancelled"]
        r_impact, r_likelihood = self._apply_actions(linked, impact, likelihood, residual_steps)
        r_impact, r_likelihood = self._apply_overrides(scenario.id, r_impact, r_likelihood, residual_steps, residual=True)
        residual = self._position(r_impact, r_likelihood)

        wording = next((w for w in scenario.wordings if evaluate(w.when, self.source) is True), scenario)
        return RiskResult(
            risk_id=scenario.id,
            title=wording.title,
            description=wording.description,
            refs=tuple(scenario.refs),
            base_impact=dict(scenario.impact),
            base_likelihood=dict(scenario.likelihood),
            area_likelihood=areas,
            inherent=inherent,
            residual=residual,
            inherent_steps=tuple(steps),
            residual_steps=tuple(residual_steps),
            treatment=self.acceptance[residual.level],
            action_ids=tuple(a.id for a in linked),
        )

    def _impact(self, scenario: RiskScenario, steps: list[AppliedAdjustment]) -> dict[Dimension, ImpactLevel]:
        net = dict.fromkeys(DIMENSIONS, 0)
        for adjustment in [*scenario.impact_adjustments, *self.method.impact_adjustments]:
            if not self._holds(adjustment):
                continue
            for dimension in adjustment.dimensions or DIMENSIONS:
                net[dimension] += adjustment.change
            # Recorded against the base level; the net result is clamped once below, so the order
            # in which a pack lists its adjustments never changes the outcome.
            targets = adjustment.dimensions or DIMENSIONS
            steps.append(AppliedAdjustment(
                id=adjustment.id, kind="rule", target="impact:" + ",".join(targets),
                before="", after="", change=f"{adjustment.change:+d}", reason=adjustment.reason, refs=tuple(adjustment.refs),
            ))
        return {d: shift(IMPACT_LEVELS, scenario.impact[d], net[d]) for d in DIMENSIONS}

    def _area_likelihood(self, scenario: RiskScenario, steps: list[AppliedAdjustment]) -> dict[RiskSourceArea, LikelihoodLevel]:
        areas: dict[RiskSourceArea, LikelihoodLevel] = {}
        everything = [*scenario.likelihood_adjustments, *self.method.likelihood_adjustments]
        for area in RISK_SOURCE_AREAS:
            relevant = [a for a in everything if a.area == area and self._holds(a)]
            areas[area] = self._adjust_likelihood(scenario.likelihood[area], relevant, f"likelihood:{area}", steps)
        return areas

    def _overall_likelihood(self, scenario: RiskScenario, areas: dict[RiskSourceArea, LikelihoodLevel], steps: list[AppliedAdjustment]) -> LikelihoodLevel:
        worst = highest(LIKELIHOOD_LEVELS, list(areas.values()))
        relevant = [a for a in [*scenario.likelihood_adjustments, *self.method.likelihood_adjustments] if a.area is None and self._holds(a)]
        return self._adjust_likelihood(worst, relevant, "likelihood", steps)

    @staticmethod
    def _adjust_likelihood(level: LikelihoodLevel, adjustments: list[LikelihoodAdjustment], target: str, steps: list[AppliedAdjustment]) -> LikelihoodLevel:
        # Floors first, then changes: GB/T 39335 D.2 lowers a scale-driven level by one where
        # targeted controls and handling experience are proven.
        for adjustment in sorted(adjustments, key=lambda a: a.at_least is None):
            before = level
            if adjustment.at_least is not None:
                level = highest(LIKELIHOOD_LEVELS, [level, adjustment.at_least])
                change = f"at_least:{adjustment.at_least}"
            else:
                assert adjustment.change is not None
                level = shift(LIKELIHOOD_LEVELS, level, adjustment.change)
                change = f"{adjustment.change:+d}"
            steps.append(AppliedAdjustment(adjustment.id, "rule", target, before, level, change, adjustment.reason, tuple(adjustment.refs)))
        return level

    def _apply_overrides(self, risk_id: str, impact: dict[Dimension, ImpactLevel], likelihood: LikelihoodLevel, steps: list[AppliedAdjustment], *, residual: bool) -> tuple[dict[Dimension, ImpactLevel], LikelihoodLevel]:
        impact = dict(impact)
        wanted = ("residual_impact", "residual_likelihood") if residual else ("impact", "likelihood")
        for override in self.overrides:
            if override.risk_id != risk_id or override.target not in wanted:
                continue
            who = f" ({override.by})" if override.by else ""
            reason = _text(override.justification + who)
            if override.target in ("impact", "residual_impact"):
                assert override.dimension is not None
                before = impact[override.dimension]
                impact[override.dimension] = override.level  # type: ignore[assignment]
                steps.append(AppliedAdjustment("override", "override", f"impact:{override.dimension}", before, override.level, f"set:{override.level}", reason))
            else:
                before_likelihood = likelihood
                likelihood = override.level  # type: ignore[assignment]
                steps.append(AppliedAdjustment("override", "override", "likelihood", before_likelihood, likelihood, f"set:{likelihood}", reason))
        return impact, likelihood

    @staticmethod
    def _apply_actions(actions: list[Action], impact: dict[Dimension, ImpactLevel], likelihood: LikelihoodLevel, steps: list[AppliedAdjustment]) -> tuple[dict[Dimension, ImpactLevel], LikelihoodLevel]:
        impact = dict(impact)
        for action in actions:
            if action.effect == "lowers_likelihood":
                before = likelihood
                likelihood = shift(LIKELIHOOD_LEVELS, likelihood, -1)
                steps.append(AppliedAdjustment(action.id, "action", "likelihood", before, likelihood, "-1", _text(action.measure)))
            elif action.effect == "lowers_impact":
                for dimension in DIMENSIONS:
                    before_impact = impact[dimension]
                    impact[dimension] = shift(IMPACT_LEVELS, before_impact, -1)
                steps.append(AppliedAdjustment(action.id, "action", "impact:" + ",".join(DIMENSIONS), "", "", "-1", _text(action.measure)))
        return impact, likelihood

    def _position(self, impact: dict[Dimension, ImpactLevel], likelihood: LikelihoodLevel) -> RiskPosition:
        by_dimension = {d: self.method.risk_level(impact[d], likelihood) for d in DIMENSIONS}
        return RiskPosition(impact, likelihood, by_dimension, highest(RISK_LEVELS, list(by_dimension.values())))


def overall_risk(results: Sequence[RiskResult], acceptance: dict[RiskLevel, Treatment], *, open_blocking: bool, open_high: bool) -> OverallRisk:
    if not results:
        inherent = residual = None
    else:
        inherent = highest(RISK_LEVELS, [r.inherent.level for r in results])
        residual = highest(RISK_LEVELS, [r.residual.level for r in results])
    floor: RiskLevel | None = "high" if open_high or open_blocking else None
    if floor is not None and residual is not None and RISK_LEVELS.index(residual) < RISK_LEVELS.index(floor):
        effective: RiskLevel | None = floor
    else:
        effective = residual if residual is not None else floor
    return OverallRisk(
        inherent=inherent,
        residual=residual,
        floor=floor,
        level=effective,
        unlawful=open_blocking,
        treatment="unacceptable" if open_blocking else (acceptance[effective] if effective else None),
    )

