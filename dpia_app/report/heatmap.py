"""The GB/T 39335 heat map as vector SVG: each risk's inherent position, residual position, and the arrow between.

Rows are impact on rights (serious at the top), columns likelihood; a risk sits at its worst
dimension's impact and its likelihood, which is the cell that gives its level because the matrix
never goes down. Hollow numbered circles are inherent positions, filled ones residual positions.
"""

from __future__ import annotations

import math
from collections import defaultdict
from xml.sax.saxutils import escape, quoteattr

from ..core.formpack import RiskMethod
from ..core.levels import IMPACT_LEVELS, LIKELIHOOD_LEVELS
from ..core.risk import RiskResult
from .words import Said, Voice, _

# Print-safe fills that keep black text readable; the same hues as the wizard's matrix.
LEVEL_FILL = {"low": "#a9dcb2", "medium": "#fbe7a1", "high": "#f6b26b", "serious": "#e06666"}
CELL = 92
LEFT = 118
TOP = 16
MARKER = 10


def _label(said: Said) -> str:
    return said.main if said.second is None else f"{said.main} {said.second}"


def _arrow(x1: float, y1: float, x2: float, y2: float) -> str:
    """A line from the inherent to the residual marker with a drawn arrowhead touching the latter."""
    length = math.hypot(x2 - x1, y2 - y1) or 1.0
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    tip_x, tip_y = x2 - ux * MARKER, y2 - uy * MARKER
    base_x, base_y = tip_x - ux * 7, tip_y - uy * 7
    left = (base_x - uy * 3.5, base_y + ux * 3.5)
    right = (base_x + uy * 3.5, base_y - ux * 3.5)
    return (f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{base_x:.1f}" y2="{base_y:.1f}" stroke="#222222" stroke-width="1.4"/>'
            f'<polygon points="{tip_x:.1f},{tip_y:.1f} {left[0]:.1f},{left[1]:.1f} {right[0]:.1f},{right[1]:.1f}" fill="#222222"/>')


def heat_map_svg(risks: tuple[RiskResult, ...], method: RiskMethod, voice: Voice) -> str:
    labels = method.labels
    width = LEFT + CELL * len(LIKELIHOOD_LEVELS) + 12
    grid_bottom = TOP + CELL * len(IMPACT_LEVELS)
    height = grid_bottom + 86
    out: list[str] = []
    add = out.append
    title = voice.ui(_("Risk heat map: impact on rights by likelihood; hollow circles are inherent positions, filled circles residual positions after the planned actions."))
    add(f'<svg xmlns="http://www.w3.org/2000/svg" class="heat-map" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label={quoteattr(_label(title))}>')
    add(f"<title>{escape(_label(title))}</title>")

    def cell_origin(impact: str, likelihood: str) -> tuple[float, float]:
        row = len(IMPACT_LEVELS) - 1 - IMPACT_LEVELS.index(impact)  # type: ignore[arg-type]
        return LEFT + LIKELIHOOD_LEVELS.index(likelihood) * CELL, TOP + row * CELL  # type: ignore[arg-type]

    for impact in IMPACT_LEVELS:
        for column, likelihood in enumerate(LIKELIHOOD_LEVELS):
            level = method.matrix[impact][column]
            x, y = cell_origin(impact, likelihood)
            add(f'<rect x="{x}" y="{y}" width="{CELL}" height="{CELL}" fill="{LEVEL_FILL[level]}" stroke="#ffffff" stroke-width="2"/>')
            add(f'<text x="{x + 5}" y="{y + 13}" font-size="8" fill="#444444" font-family="Report Sans">{escape(_label(voice.text(labels.risk_levels[level])))}</text>')  # type: ignore[arg-type]
        _x, y = cell_origin(impact, "low")
        add(f'<text x="{LEFT - 6}" y="{y + CELL / 2 + 4}" text-anchor="end" font-size="9" fill="#1a1a1a" font-family="Report Sans">{escape(voice.text(labels.impact_levels[impact]).main)}</text>')  # type: ignore[union-attr]
    for likelihood in LIKELIHOOD_LEVELS:
        x, _y = cell_origin("low", likelihood)
        add(f'<text x="{x + CELL / 2}" y="{grid_bottom + 15}" text-anchor="middle" font-size="9" fill="#1a1a1a" font-family="Report Sans">{escape(voice.text(labels.likelihood_levels[likelihood]).main)}</text>')  # type: ignore[union-attr]
    likelihood_title = _label(voice.ui(_("Likelihood")))
    impact_title = _label(voice.ui(_("Impact on rights")))
    add(f'<text x="{LEFT + CELL * 2}" y="{grid_bottom + 33}" text-anchor="middle" font-size="10" font-weight="bold" fill="#1a1a1a" font-family="Report Sans">{escape(likelihood_title)} →</text>')
    add(f'<text transform="translate(14 {TOP + CELL * 2}) rotate(-90)" text-anchor="middle" font-size="10" font-weight="bold" fill="#1a1a1a" font-family="Report Sans">{escape(impact_title)} →</text>')

    # Where each marker goes: markers sharing a cell are spread over a 3 x 3 arrangement.
    slots: dict[tuple[str, str], int] = defaultdict(int)

    def place(impact: str, likelihood: str) -> tuple[float, float]:
        x, y = cell_origin(impact, likelihood)
        index = slots[(impact, likelihood)]
        slots[(impact, likelihood)] += 1
        column, row = index % 3, (index // 3) % 3
        return x + 20 + column * 26, y + 32 + row * 24

    positions = []
    for number, risk in enumerate(risks, start=1):
        inherent = place(risk.inherent.worst_impact, risk.inherent.likelihood)
        moved = (risk.residual.worst_impact, risk.residual.likelihood) != (risk.inherent.worst_impact, risk.inherent.likelihood)
        residual = place(risk.residual.worst_impact, risk.residual.likelihood) if moved else inherent
        positions.append((number, risk, inherent, residual, moved))
    for number, _risk, (x1, y1), (x2, y2), moved in positions:
        if moved:
            add(_arrow(x1, y1, x2, y2))
    for number, risk, (x1, y1), (x2, y2), moved in positions:
        if moved:
            add(f'<circle cx="{x1}" cy="{y1}" r="{MARKER}" fill="#ffffff" stroke="#222" stroke-width="1.4" class="inherent"/>')
            add(f'<text x="{x1}" y="{y1 + 3.5}" text-anchor="middle" font-size="9" font-weight="bold" fill="#111111" font-family="Report Sans">{number}</text>')
        add(f'<circle cx="{x2}" cy="{y2}" r="{MARKER}" fill="#222" stroke="#222" stroke-width="1.4" class="residual" data-risk={quoteattr(risk.risk_id)}/>')
        add(f'<text x="{x2}" y="{y2 + 3.5}" text-anchor="middle" font-size="9" font-weight="bold" fill="#ffffff" font-family="Report Sans">{number}</text>')

    # Messages are looked up outside the f-strings: the catalog extractor cannot see into them.
    inherent_legend = _label(voice.ui(_("Inherent risk")))
    residual_legend = _label(voice.ui(_("Residual risk, after the planned actions")))
    legend_y = grid_bottom + 56
    add(f'<circle cx="{LEFT + 8}" cy="{legend_y}" r="7" fill="#ffffff" stroke="#222" stroke-width="1.2"/>')
    add(f'<text x="{LEFT + 20}" y="{legend_y + 4}" font-size="9" fill="#1a1a1a" font-family="Report Sans">{escape(inherent_legend)}</text>')
    add(f'<circle cx="{LEFT + 8}" cy="{legend_y + 20}" r="7" fill="#222"/>')
    add(f'<text x="{LEFT + 20}" y="{legend_y + 24}" font-size="9" fill="#1a1a1a" font-family="Report Sans">{escape(residual_legend)}</text>')
    add("</svg>")
    return "".join(out)
