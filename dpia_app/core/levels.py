"""The GB/T 39335 scales: impact on rights, likelihood, risk level, dimensions and risk-source areas."""

from __future__ import annotations

from typing import Literal, TypeVar

ImpactLevel = Literal["low", "medium", "high", "serious"]
LikelihoodLevel = Literal["low", "medium", "high", "very_high"]
RiskLevel = Literal["low", "medium", "high", "serious"]

IMPACT_LEVELS: tuple[ImpactLevel, ...] = ("low", "medium", "high", "serious")
LIKELIHOOD_LEVELS: tuple[LikelihoodLevel, ...] = ("low", "medium", "high", "very_high")
RISK_LEVELS: tuple[RiskLevel, ...] = ("low", "medium", "high", "serious")

# GB/T 39335 impact-on-rights dimensions (GBT39335-06).
Dimension = Literal["autonomy", "discrimination", "reputation", "property"]
DIMENSIONS: tuple[Dimension, ...] = ("autonomy", "discrimination", "reputation", "property")

# GB/T 39335 risk-source areas for likelihood (GBT39335-07 a-d).
RiskSourceArea = Literal["network_technology", "processing_procedures", "people_third_parties", "business_scale"]
RISK_SOURCE_AREAS: tuple[RiskSourceArea, ...] = (
    "network_technology",
    "processing_procedures",
    "people_third_parties",
    "business_scale",
)

# How the organisation treats each risk level (GBT39335-09); the acceptance policy maps levels to these.
Treatment = Literal["accept", "weigh_cost_and_impact", "fix_within_deadline", "unacceptable"]
TREATMENTS: tuple[Treatment, ...] = ("accept", "weigh_cost_and_impact", "fix_within_deadline", "unacceptable")

Severity = Literal["blocking", "high", "advisory"]
SEVERITIES: tuple[Severity, ...] = ("blocking", "high", "advisory")

_L = TypeVar("_L", bound=str)
# Position of each level on its scale; the four scales share the same words at the same ranks
# except the top ("serious" / "very_high"), so one table serves all of them.
_RANK = {level: i for scale in (IMPACT_LEVELS, LIKELIHOOD_LEVELS) for i, level in enumerate(scale)}


def shift(scale: tuple[_L, ...], level: _L, steps: int) -> _L:
    """Move a level up or down the scale, stopping at its ends (GB/T 39335 adjustments never leave it)."""
    index = _RANK[level] + steps
    return scale[0 if index < 0 else len(scale) - 1 if index >= len(scale) else index]


def highest(scale: tuple[_L, ...], levels: list[_L] | tuple[_L, ...]) -> _L:
    return scale[max(_RANK[level] for level in levels)]
