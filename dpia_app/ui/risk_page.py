"""The wizard's risk page: the GB/T 39335 matrix as a picture, the risk register, its derivation and overrides.

The page only shows what core.evaluate() computed and records reviewer overrides through the
session; every level, adjustment and treatment comes from the Evaluation, never from here.
"""

from __future__ import annotations

import datetime as dt
import html
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from PySide6.QtCore import QEvent, QLineF, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPalette, QPen, QPolygonF
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ..core.assessment import RiskOverride
from ..core.evaluation import Evaluation
from ..core.formpack import RiskLabels, RiskMethod
from ..core.levels import DIMENSIONS, IMPACT_LEVELS, LIKELIHOOD_LEVELS, RISK_LEVELS, RISK_SOURCE_AREAS
from ..core.risk import RiskResult
from ..core.text import Language
from ..presentation import adjustment_text, colon, overall_risk_text
from .follow import follow_evaluations
from .rich_text import heading, paragraph
from .language import _, current
from .session import AssessmentSession

# The justification rule of core.assessment.RiskOverride, checked here only to enable the OK button.
MIN_JUSTIFICATION = 10

OverrideTarget = Literal["impact", "likelihood", "residual_impact", "residual_likelihood"]
OVERRIDE_TARGETS: tuple[OverrideTarget, ...] = ("impact", "likelihood", "residual_impact", "residual_likelihood")

# Cell colours per risk level: the usual traffic-light ramp, darker in a dark palette so the
# cells do not glare; text on them is black or white, whichever contrasts more.
_LIGHT_CELLS = {"low": "#8fd19e", "medium": "#ffe066", "high": "#ffa94d", "serious": "#e03131"}
_DARK_CELLS = {"low": "#2b7a3b", "medium": "#a88a00", "high": "#c2560c", "serious": "#a61e1e"}

MarkerKind = Literal["inherent", "residual", "both"]


def _plain(text: str) -> str:
    """Strip the mnemonic ampersand for accessible names."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def target_label(target: str) -> str:
    return {
        "impact": _("Impact"),
        "likelihood": _("Likelihood"),
        "residual_impact": _("Residual impact"),
        "residual_likelihood": _("Residual likelihood"),
    }[target]


def level_colour(level: str, dark: bool) -> QColor:
    return QColor((_DARK_CELLS if dark else _LIGHT_CELLS)[level])


def _luminance(colour: QColor) -> float:
    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.03928 else ((channel + 0.055) / 1.055) ** 2.4
    return 0.2126 * linear(colour.redF()) + 0.7152 * linear(colour.greenF()) + 0.0722 * linear(colour.blueF())


def contrast_ink(background: QColor) -> QColor:
    """Black or white, whichever has the higher WCAG contrast against `background`."""
    # Black and white give equal contrast at a relative luminance of about 0.179.
    return QColor("#111111") if _luminance(background) > 0.179 else QColor("#ffffff")


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


# --- the matrix picture -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Marker:
    risk_id: str
    number: int
    kind: MarkerKind
    centre: QPointF
    radius: float
    cell_level: str


@dataclass(frozen=True, slots=True)
class _Geometry:
    grid: QRectF
    row_labels: QRectF  # left of the grid
    column_labels: QRectF  # below the grid
    impact_title: QRectF  # rotated text, left of the row labels
    likelihood_title: QRectF
    legend_top: float
    provenance: QRectF

    def cell(self, impact_index: int, likelihood_index: int) -> QRectF:
        width = self.grid.width() / len(LIKELIHOOD_LEVELS)
        height = self.grid.height() / len(IMPACT_LEVELS)
        # Serious impact at the top, as in GB/T 39335 Appendix D.
        top = self.grid.top() + (len(IMPACT_LEVELS) - 1 - impact_index) * height
        return QRectF(self.grid.left() + likelihood_index * width, top, width, height)


class RiskMatrixView(QWidget):
    """The 4×4 impact × likelihood matrix with each risk's inherent and residual position.

    Painted in logical coordinates with QPainter, so it scales with the widget and stays sharp at
    any devicePixelRatio; texts and lines outside the cells use the palette for dark mode.
    """

    risk_activated = Signal(str)  # a marker was clicked

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setMouseTracking(True)  # marker tooltips follow the pointer
        self.setObjectName("risk_matrix")
        self.setMinimumSize(300, 280)
        self._method: RiskMethod | None = None
        self._risks: tuple[RiskResult, ...] = ()
        self._language: Language = "en"
        self._selected: str | None = None
        self._markers: list[Marker] = []
        self.setAccessibleName(_("Risk matrix"))

    def sizeHint(self) -> QSize:
        return QSize(520, 520)

    def minimumSizeHint(self) -> QSize:
        return QSize(300, 280)

    def set_data(self, method: RiskMethod, risks: tuple[RiskResult, ...], language: Language) -> None:
        self._method = method
        self._risks = tuple(risks)
        self._language = language
        self.setAccessibleName(_("Risk matrix"))
        self.setAccessibleDescription(self.describe())
        self.update()

    def set_selected(self, risk_id: str | None) -> None:
        if risk_id != self._selected:
            self._selected = risk_id
            self.update()

    def markers(self) -> list[Marker]:
        """Where each risk is drawn now (also used for clicks, tooltips and the tests)."""
        if self._method is None:
            return []
        return self._layout_markers(self._geometry())

    def describe(self) -> str:
        """The picture in words, for screen readers."""
        if self._method is None or not self._risks:
            return _("No risk scenario applies to the answers so far.")
        return "\n".join(self._risk_summary(number, risk) for number, risk in enumerate(self._risks, 1))

    def _risk_summary(self, number: int, risk: RiskResult) -> str:
        labels = self._method.labels  # type: ignore[union-attr]
        return _("%(n)d. %(title)s: inherent %(inherent)s (impact %(i_impact)s, likelihood %(i_likelihood)s); residual %(residual)s (impact %(r_impact)s, likelihood %(r_likelihood)s)") % {
            "n": number, "title": risk.title.get(self._language),
            "inherent": labels.risk_levels[risk.inherent.level].get(self._language),
            "i_impact": labels.impact_levels[risk.inherent.worst_impact].get(self._language),
            "i_likelihood": labels.likelihood_levels[risk.inherent.likelihood].get(self._language),
            "residual": labels.risk_levels[risk.residual.level].get(self._language),
            "r_impact": labels.impact_levels[risk.residual.worst_impact].get(self._language),
            "r_likelihood": labels.likelihood_levels[risk.residual.likelihood].get(self._language),
        }

    # --- geometry ---------------------------------------------------------------------------

    def _small_font(self) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(max(6.0, font.pointSizeF() * 0.85))
        return font

    def _geometry(self) -> _Geometry:
        fm = QFontMetricsF(self.font())
        pad = fm.height() * 0.5
        width, height = float(self.width()), float(self.height())
        provenance_height = self._provenance_height(width - 2 * pad)
        legend_height = self._legend_height(width - 2 * pad)
        bottom = height - pad - provenance_height - pad * 0.5 - legend_height - pad
        label_width = max((fm.horizontalAdvance(t) for t in self._row_label_texts()), default=0.0) + pad
        title_width = fm.height() + pad * 0.5
        left = pad + title_width + label_width
        # Chinese glyphs come from a fallback font taller than the primary font's metrics say.
        line = fm.height() * 1.4
        grid_bottom = bottom - 2 * line
        grid = QRectF(left, pad, max(10.0, width - left - pad), max(10.0, grid_bottom - pad))
        return _Geometry(
            grid=grid,
            row_labels=QRectF(pad + title_width, grid.top(), label_width - pad * 0.5, grid.height()),
            column_labels=QRectF(grid.left(), grid.bottom(), grid.width(), line),
            impact_title=QRectF(pad, grid.top(), title_width, grid.height()),
            likelihood_title=QRectF(grid.left(), grid.bottom() + line, grid.width(), line),
            legend_top=bottom + pad,
            provenance=QRectF(pad, height - pad - provenance_height, width - 2 * pad, provenance_height),
        )

    def _row_label_texts(self) -> list[str]:
        if self._method is None:
            return []
        return [self._method.labels.impact_levels[level].get(self._language) for level in IMPACT_LEVELS]

    def _provenance_text(self) -> str:
        return self._method.provenance.get(self._language) if self._method is not None else ""

    def _provenance_height(self, width: float) -> float:
        fm = QFontMetricsF(self._small_font())
        rect = fm.boundingRect(QRectF(0, 0, max(width, 10.0), 10_000), int(Qt.TextFlag.TextWordWrap), self._provenance_text())
        return rect.height()

    def _legend_items(self) -> list[tuple[MarkerKind | Literal["arrow"], str]]:
        return [
            ("inherent", _("inherent (before actions)")),
            ("residual", _("residual (after actions)")),
            ("both", _("unchanged")),
            ("arrow", _("effect of actions and overrides")),
        ]

    def _legend_rows(self, width: float) -> list[list[tuple[MarkerKind | Literal["arrow"], str, float]]]:
        """Legend entries flowed into as many lines as the width needs."""
        fm = QFontMetricsF(self._small_font())
        icon = fm.height() * 1.6
        rows: list[list[tuple[MarkerKind | Literal["arrow"], str, float]]] = [[]]
        used = 0.0
        for kind, text in self._legend_items():
            item_width = icon + fm.horizontalAdvance(text) + fm.height()
            if rows[-1] and used + item_width > width:
                rows.append([])
                used = 0.0
            rows[-1].append((kind, text, item_width))
            used += item_width
        return rows

    def _legend_height(self, width: float) -> float:
        return len(self._legend_rows(width)) * QFontMetricsF(self._small_font()).height() * 1.3

    # --- markers ------------------------------------------------------------------------------

    def _positions(self) -> dict[tuple[int, int], list[tuple[int, RiskResult, MarkerKind, tuple[int, int] | None]]]:
        """Which markers go into which cell, in risk order, with the cell of the marker's partner."""
        cells: dict[tuple[int, int], list[tuple[int, RiskResult, MarkerKind, tuple[int, int] | None]]] = {}
        for number, risk in enumerate(self._risks, 1):
            inherent = (IMPACT_LEVELS.index(risk.inherent.worst_impact), LIKELIHOOD_LEVELS.index(risk.inherent.likelihood))
            residual = (IMPACT_LEVELS.index(risk.residual.worst_impact), LIKELIHOOD_LEVELS.index(risk.residual.likelihood))
            if inherent == residual:
                cells.setdefault(inherent, []).append((number, risk, "both", None))
            else:
                cells.setdefault(inherent, []).append((number, risk, "inherent", residual))
                cells.setdefault(residual, []).append((number, risk, "residual", inherent))
        return cells

    def _layout_markers(self, geometry: _Geometry) -> list[Marker]:
        fm = QFontMetricsF(self._small_font())
        markers: list[Marker] = []
        for (impact, likelihood), entries in self._positions().items():
            cell = geometry.cell(impact, likelihood)
            # The top of each cell holds its level name; markers share the rest.
            area = cell.adjusted(4, fm.height() + 4, -4, -4)
            level = self._method.risk_level(IMPACT_LEVELS[impact], LIKELIHOOD_LEVELS[likelihood])  # type: ignore[union-attr]
            slots = _slots(area, len(entries), fm.height() * 1.0)
            for (number, risk, kind, _partner), (centre, radius) in _assign_slots(entries, slots, (impact, likelihood), area.center()):
                markers.append(Marker(risk.risk_id, number, kind, centre, radius, level))
        return markers

    # --- painting -----------------------------------------------------------------------------

    def paintEvent(self, _event) -> None:  # noqa: N802 (Qt naming)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        if self._method is None:
            painter.end()
            return
        geometry = self._geometry()
        self._markers = self._layout_markers(geometry)
        self._paint_cells(painter, geometry)
        self._paint_axes(painter, geometry)
        self._paint_arrows(painter)
        for marker in self._markers:
            self._paint_marker(painter, marker)
        self._paint_legend(painter, geometry)
        self._paint_provenance(painter, geometry)
        painter.end()

    def _paint_cells(self, painter: QPainter, geometry: _Geometry) -> None:
        dark = is_dark(self.palette())
        painter.setFont(self._small_font())
        fm = QFontMetricsF(self._small_font())
        for i, impact in enumerate(IMPACT_LEVELS):
            for j, likelihood in enumerate(LIKELIHOOD_LEVELS):
                level = self._method.risk_level(impact, likelihood)  # type: ignore[union-attr]
                colour = level_colour(level, dark)
                # The inset lets the window colour show through as the grid lines.
                cell = geometry.cell(i, j).adjusted(1, 1, -1, -1)
                painter.fillRect(cell, colour)
                painter.setPen(contrast_ink(colour))
                name = self._method.labels.risk_levels[level].get(self._language)  # type: ignore[union-attr]
                text_rect = cell.adjusted(4, 2, -4, 0)
                painter.drawText(text_rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop),
                                 fm.elidedText(name, Qt.TextElideMode.ElideRight, text_rect.width()))
        painter.setPen(QPen(self.palette().color(QPalette.ColorRole.WindowText), 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(geometry.grid)

    def _paint_axes(self, painter: QPainter, geometry: _Geometry) -> None:
        labels = self._method.labels  # type: ignore[union-attr]
        painter.setFont(self.font())
        fm = QFontMetricsF(self.font())
        painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
        row_height = geometry.grid.height() / len(IMPACT_LEVELS)
        for i, level in enumerate(IMPACT_LEVELS):
            top = geometry.grid.top() + (len(IMPACT_LEVELS) - 1 - i) * row_height
            rect = QRectF(geometry.row_labels.left(), top, geometry.row_labels.width(), row_height)
            painter.drawText(rect, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), labels.impact_levels[level].get(self._language))
        column_width = geometry.grid.width() / len(LIKELIHOOD_LEVELS)
        for j, level in enumerate(LIKELIHOOD_LEVELS):
            rect = QRectF(geometry.grid.left() + j * column_width, geometry.column_labels.top(), column_width, geometry.column_labels.height())
            text = fm.elidedText(labels.likelihood_levels[level].get(self._language), Qt.TextElideMode.ElideRight, column_width - 4)
            painter.drawText(rect, int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter), text)
        self._paint_axis_titles(painter, geometry, fm)

    def _paint_axis_titles(self, painter: QPainter, geometry: _Geometry, fm: QFontMetricsF) -> None:
        bold = QFont(self.font())
        bold.setBold(True)
        painter.setFont(bold)
        bold_metrics = QFontMetricsF(bold)
        likelihood = bold_metrics.elidedText(_("Likelihood →"), Qt.TextElideMode.ElideRight, geometry.likelihood_title.width())
        painter.drawText(geometry.likelihood_title, int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter), likelihood)
        # The impact title runs upwards along the left edge, as on a printed matrix.
        title = geometry.impact_title
        painter.save()
        painter.translate(title.left(), title.bottom())
        painter.rotate(-90)
        rotated = QRectF(0, 0, title.height(), title.width())
        impact = bold_metrics.elidedText(_("Impact on rights →"), Qt.TextElideMode.ElideRight, rotated.width())
        painter.drawText(rotated, int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter), impact)
        painter.restore()

    def _ink_at(self, level: str) -> tuple[QColor, QColor]:
        """Marker ink and the cell colour under it."""
        background = level_colour(level, is_dark(self.palette()))
        return contrast_ink(background), background

    def _paint_arrows(self, painter: QPainter) -> None:
        by_risk: dict[str, dict[str, Marker]] = {}
        for marker in self._markers:
            by_risk.setdefault(marker.risk_id, {})[marker.kind] = marker
        for pair in by_risk.values():
            if "inherent" in pair and "residual" in pair:
                self._paint_arrow(painter, pair["inherent"], pair["residual"])

    def _paint_arrow(self, painter: QPainter, start: Marker, end: Marker) -> None:
        line = QLineF(start.centre, end.centre)
        if line.length() <= start.radius + end.radius + 2:
            return
        unit = line.unitVector()
        dx, dy = unit.dx(), unit.dy()
        a = QPointF(start.centre.x() + dx * start.radius, start.centre.y() + dy * start.radius)
        b = QPointF(end.centre.x() - dx * (end.radius + 1), end.centre.y() - dy * (end.radius + 1))
        ink, background = self._ink_at(end.cell_level)
        halo = contrast_ink(ink)  # the opposite of the ink keeps the arrow visible over any cell
        head = max(6.0, end.radius * 0.7)
        for colour, width in ((halo, 4.0), (ink, 1.6)):
            painter.setPen(QPen(colour, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))
            painter.setBrush(colour)
            tip_base = QPointF(b.x() - dx * head, b.y() - dy * head)
            painter.drawLine(QLineF(a, tip_base))
            painter.drawPolygon(_arrow_head(b, dx, dy, head))

    def _paint_marker(self, painter: QPainter, marker: Marker) -> None:
        ink, background = self._ink_at(marker.cell_level)
        r = marker.radius
        pen_width = max(1.5, r * 0.16)
        if marker.kind == "both":
            # An outer ring for "inherent" around the filled residual disc.
            painter.setPen(QPen(ink, pen_width))
            painter.setBrush(background)
            painter.drawEllipse(marker.centre, r, r)
            r *= 0.82
        painter.setPen(QPen(ink, pen_width))
        painter.setBrush(background if marker.kind == "inherent" else ink)
        painter.drawEllipse(marker.centre, r, r)
        if marker.risk_id == self._selected:
            self._paint_selection(painter, marker, ink)
        self._paint_number(painter, marker, marker.radius,
                           background if marker.kind != "inherent" else ink)

    def _paint_selection(self, painter: QPainter, marker: Marker, ink: QColor) -> None:
        pen = QPen(ink, max(1.5, marker.radius * 0.14), Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        ring = marker.radius + max(3.0, marker.radius * 0.3)
        painter.drawEllipse(marker.centre, ring, ring)

    def _paint_number(self, painter: QPainter, marker: Marker, radius: float, colour: QColor) -> None:
        font = QFont(self.font())
        font.setBold(True)
        text = str(marker.number)
        # Two-digit numbers get a slightly smaller font so they stay inside the disc.
        font.setPixelSize(max(6, int(radius * (1.05 if len(text) < 2 else 0.85))))
        painter.setFont(font)
        painter.setPen(colour)
        box = QRectF(marker.centre.x() - radius, marker.centre.y() - radius, 2 * radius, 2 * radius)
        painter.drawText(box, int(Qt.AlignmentFlag.AlignCenter), text)

    def _paint_legend(self, painter: QPainter, geometry: _Geometry) -> None:
        font = self._small_font()
        fm = QFontMetricsF(font)
        text_colour = self.palette().color(QPalette.ColorRole.WindowText)
        background = self.palette().color(QPalette.ColorRole.Window)
        line_height = fm.height() * 1.3
        y = geometry.legend_top
        for row in self._legend_rows(geometry.provenance.width()):
            x = geometry.provenance.left()
            for kind, text, item_width in row:
                self._paint_legend_icon(painter, kind, QPointF(x + fm.height() * 0.7, y + line_height / 2), fm.height() * 0.45, text_colour, background)
                painter.setFont(font)
                painter.setPen(text_colour)
                painter.drawText(QRectF(x + fm.height() * 1.6, y, item_width, line_height), int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), text)
                x += item_width
            y += line_height

    def _paint_legend_icon(self, painter: QPainter, kind: str, centre: QPointF, r: float, ink: QColor, background: QColor) -> None:
        painter.setPen(QPen(ink, 1.4))
        if kind == "arrow":
            painter.setBrush(ink)
            start, tip = QPointF(centre.x() - 1.6 * r, centre.y()), QPointF(centre.x() + 1.6 * r, centre.y())
            painter.drawLine(QLineF(start, QPointF(tip.x() - r, tip.y())))
            painter.drawPolygon(_arrow_head(tip, 1.0, 0.0, r))
            return
        painter.setBrush(background if kind in ("inherent", "both") else ink)
        painter.drawEllipse(centre, r, r)
        if kind == "both":
            painter.setBrush(ink)
            painter.drawEllipse(centre, r * 0.55, r * 0.55)

    def _paint_provenance(self, painter: QPainter, geometry: _Geometry) -> None:
        painter.setFont(self._small_font())
        painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
        painter.drawText(geometry.provenance, int(Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap), self._provenance_text())

    # --- interaction ----------------------------------------------------------------------------

    def marker_at(self, point: QPointF) -> Marker | None:
        for marker in self.markers():
            if QLineF(marker.centre, point).length() <= marker.radius + 2:
                return marker
        return None

    def mousePressEvent(self, event) -> None:  # noqa: N802
        marker = self.marker_at(event.position())
        if marker is not None and event.button() == Qt.MouseButton.LeftButton:
            self.risk_activated.emit(marker.risk_id)
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:  # noqa: N802 - Qt's name
        # The tooltip follows the marker under the pointer. Overriding event() for ToolTip events
        # instead crashed PySide when Qt delivered events to a page being destroyed.
        marker = self.marker_at(QPointF(event.position()))
        tooltip = self._marker_tooltip(marker) if marker is not None else ""
        if tooltip != self.toolTip():
            self.setToolTip(tooltip)
        super().mouseMoveEvent(event)

    def _marker_tooltip(self, marker: Marker) -> str:
        risk = next(r for r in self._risks if r.risk_id == marker.risk_id)
        return self._risk_summary(marker.number, risk)


def _slots(area: QRectF, count: int, max_radius: float) -> list[tuple[QPointF, float]]:
    """Centres and radius of a grid of at least `count` slots that fills `area` as well as it can.

    The whole grid is returned (4 slots for 3 markers) so that markers can take the side of the
    cell that faces their arrow.
    """
    if count == 0 or area.width() <= 0 or area.height() <= 0:
        return [(area.center(), 1.0)] * count
    best_columns, best_radius = 1, 0.0
    for columns in range(1, count + 1):
        rows = math.ceil(count / columns)
        radius = min(area.width() / columns, area.height() / rows) / 2
        if radius > best_radius:
            best_columns, best_radius = columns, radius
    # A gap between neighbours so that no marker hides another.
    radius = min(best_radius * 0.8, max_radius)
    columns = best_columns
    rows = math.ceil(count / columns)
    step = 2 * best_radius
    left = area.center().x() - (columns - 1) * step / 2
    top = area.center().y() - (rows - 1) * step / 2
    return [(QPointF(left + (i % columns) * step, top + (i // columns) * step), radius) for i in range(columns * rows)]


def _assign_slots(entries: list, slots: list[tuple[QPointF, float]], cell: tuple[int, int], centre: QPointF) -> list[tuple[tuple, tuple[QPointF, float]]]:
    """Put each moving marker on the side of its cell that faces the other end of its arrow.

    Then an arrow runs only across the gap between its two markers and never through another
    risk's marker in the same cells; markers that do not move fill the remaining slots.
    """
    free = list(range(len(slots)))
    placed: list[tuple[tuple, tuple[QPointF, float]]] = []
    moving = [e for e in entries if e[3] is not None]
    for entry in [*moving, *(e for e in entries if e[3] is None)]:
        partner = entry[3]
        # Rows are drawn top-down from the highest impact, so a higher impact points upwards.
        dx, dy = (partner[1] - cell[1], cell[0] - partner[0]) if partner is not None else (0, 0)
        def facing(index: int) -> tuple[float, int]:
            point = slots[index][0]
            return ((point.x() - centre.x()) * dx + (point.y() - centre.y()) * dy, -index)
        chosen = max(free, key=facing)
        free.remove(chosen)
        placed.append((entry, slots[chosen]))
    return placed


def _arrow_head(tip: QPointF, dx: float, dy: float, size: float) -> QPolygonF:
    back = QPointF(tip.x() - dx * size, tip.y() - dy * size)
    # Perpendicular to the direction, half the head's length each side.
    px, py = -dy * size * 0.5, dx * size * 0.5
    return QPolygonF([tip, QPointF(back.x() + px, back.y() + py), QPointF(back.x() - px, back.y() - py)])


# --- the override dialog ----------------------------------------------------------------------


class OverrideDialog(QDialog):
    """Asks for a reviewer's level for one risk, with a justification of at least 10 characters."""

    def __init__(self, risk: RiskResult, number: int, labels: RiskLabels, today: dt.date,
                 submit: Callable[[RiskOverride], bool], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("override_dialog")
        self.risk = risk
        self.labels = labels
        self.language = current()
        self.today = today
        self._submit = submit
        self.setWindowTitle(_("Override risk level"))
        self.setMinimumWidth(460)
        self._build(number)
        self._target_changed()
        self._justification_changed()

    def _build(self, number: int) -> None:
        layout = QVBoxLayout(self)
        heading = QLabel(_("Risk %(n)d: %(title)s") % {"n": number, "title": self.risk.title.get(self.language)})
        heading.setTextFormat(Qt.TextFormat.PlainText)
        heading.setWordWrap(True)
        layout.addWidget(heading)
        form = QFormLayout()
        self.target = self._combo("override_target", _("Override target"), [(t, target_label(t)) for t in OVERRIDE_TARGETS])
        self.dimension = self._combo("override_dimension", _("Impact dimension"), [(d, self.labels.dimensions[d].get(self.language)) for d in DIMENSIONS])
        self.level = self._combo("override_level", _("New level"), [])
        self.computed = QLabel()
        self.computed.setObjectName("override_computed")
        self.justification = QPlainTextEdit()
        self.justification.setObjectName("override_justification")
        self.justification.setAccessibleName(_("Justification"))
        self.justification.setTabChangesFocus(True)  # keyboard users must be able to leave the field
        self.justification.setMinimumHeight(90)
        self.hint = QLabel()
        self.hint.setObjectName("override_hint")
        self.hint.setWordWrap(True)
        self.by = QLineEdit()
        self.by.setObjectName("override_by")
        self.by.setAccessibleName(_("Reviewer"))
        self.by.setMaxLength(200)
        for text, field in ((_("&Target:"), self.target), (_("&Dimension:"), self.dimension), (_("&Level:"), self.level)):
            form.addRow(self._buddy(text, field), field)
        form.addRow(_("Computed level:"), self.computed)
        form.addRow(self._buddy(_("&Justification:"), self.justification), self.justification)
        form.addRow("", self.hint)
        form.addRow(self._buddy(_("&Reviewer:"), self.by), self.by)
        layout.addLayout(form)
        self._build_buttons(layout)
        self.target.currentIndexChanged.connect(self._target_changed)
        self.dimension.currentIndexChanged.connect(self._show_computed)
        self.justification.textChanged.connect(self._justification_changed)
        for first, second in ((self.target, self.dimension), (self.dimension, self.level), (self.level, self.justification),
                              (self.justification, self.by), (self.by, self.buttons)):
            QWidget.setTabOrder(first, second)

    def _build_buttons(self, layout: QVBoxLayout) -> None:
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.setObjectName("override_buttons")
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setObjectName("override_ok")
        self.ok_button.setAccessibleName(_("Record override"))
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setObjectName("override_cancel")
        cancel.setAccessibleName(_("Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def _combo(self, name: str, accessible: str, items: list[tuple[str, str]]) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        combo.setAccessibleName(accessible)
        for key, text in items:
            combo.addItem(text, key)
        return combo

    @staticmethod
    def _buddy(text: str, field: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(field)
        return label

    # --- state --------------------------------------------------------------------------------

    def chosen_target(self) -> OverrideTarget:
        return self.target.currentData()

    def _is_impact(self) -> bool:
        return self.chosen_target() in ("impact", "residual_impact")

    def _current_level(self) -> str:
        position = self.risk.residual if self.chosen_target().startswith("residual") else self.risk.inherent
        if self._is_impact():
            return position.impact[self.dimension.currentData()]
        return position.likelihood

    def _target_changed(self, *_args) -> None:
        impact = self._is_impact()
        # A likelihood override applies to the whole risk (core.assessment.RiskOverride).
        self.dimension.setEnabled(impact)
        scale = self.labels.impact_levels if impact else self.labels.likelihood_levels
        levels = IMPACT_LEVELS if impact else LIKELIHOOD_LEVELS
        self.level.blockSignals(True)
        self.level.clear()
        for level in levels:
            self.level.addItem(scale[level].get(self.language), level)
        self.level.blockSignals(False)
        self._show_computed()

    def _show_computed(self, *_args) -> None:
        level = self._current_level()
        scale = self.labels.impact_levels if self._is_impact() else self.labels.likelihood_levels
        self.computed.setText(scale[level].get(self.language))  # type: ignore[index]
        self.level.setCurrentIndex(max(0, self.level.findData(level)))

    def justification_ok(self) -> bool:
        text = self.justification.toPlainText()
        return sum(1 for ch in text if not ch.isspace()) >= MIN_JUSTIFICATION

    def _justification_changed(self) -> None:
        text = self.justification.toPlainText()
        missing = MIN_JUSTIFICATION - sum(1 for ch in text if not ch.isspace())
        self.ok_button.setEnabled(missing <= 0)
        if missing > 0:
            self.hint.setText(_("Say why the computed level is wrong: at least %(min)d characters (%(missing)d more needed).") % {
                "min": MIN_JUSTIFICATION, "missing": missing})
        else:
            self.hint.setText(_("The override and its justification are printed in the report."))

    def override(self) -> RiskOverride:
        """The override as entered; raises ValueError if the model rejects it."""
        return RiskOverride(
            risk_id=self.risk.risk_id,
            target=self.chosen_target(),
            dimension=self.dimension.currentData() if self._is_impact() else None,
            level=self.level.currentData(),
            justification=self.justification.toPlainText(),
            by=self.by.text().strip(),
            on=self.today,
        )

    def accept(self) -> None:
        # The dialog stays open when the session refuses the override, so nothing typed is lost.
        if not self.justification_ok():
            return
        if self._submit(self._override_or_none()):
            super().accept()

    def _override_or_none(self) -> RiskOverride | None:
        try:
            return self.override()
        except ValueError:
            return None


# --- the page -----------------------------------------------------------------------------------


class RiskPage(QWidget):
    """Risk matrix, risk register, derivation of the selected risk, overrides and risk criteria."""

    COLUMNS = 5  # number, title, inherent, residual, treatment

    def __init__(self, session: AssessmentSession, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("risk_page")
        self.session = session
        self.override_dialog: OverrideDialog | None = None
        self.error_box: QMessageBox | None = None
        self._build()
        self._retranslate()
        follow_evaluations(self, session, self.refresh)
        self.refresh(session.evaluation)

    # --- building -------------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        self.overall = self._text_label("risk_overall")
        layout.addWidget(self.overall)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("risk_splitter")
        splitter.setChildrenCollapsible(False)
        self.matrix = RiskMatrixView()
        self.matrix.risk_activated.connect(self.select_risk)
        splitter.addWidget(self.matrix)
        splitter.addWidget(self._build_register())
        splitter.setStretchFactor(0, 5)
        splitter.setStretchFactor(1, 6)
        splitter.setSizes([500, 600])
        layout.addWidget(splitter, 1)
        self.acceptance_title = QLabel()
        bold = self.acceptance_title.font()
        bold.setBold(True)
        self.acceptance_title.setFont(bold)
        self.acceptance = self._text_label("risk_acceptance")
        layout.addWidget(self.acceptance_title)
        layout.addWidget(self.acceptance)
        QWidget.setTabOrder(self.table, self.override_button)
        QWidget.setTabOrder(self.override_button, self.remove_button)
        QWidget.setTabOrder(self.remove_button, self.override_list)
        QWidget.setTabOrder(self.override_list, self.details)

    def _build_register(self) -> QWidget:
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 0, 0)
        self.table = self._build_table()
        layout.addWidget(self.table, 3)
        buttons = QHBoxLayout()
        self.override_button = QPushButton()
        self.override_button.setObjectName("risk_override")
        self.override_button.clicked.connect(self.open_override_dialog)
        self.remove_button = QPushButton()
        self.remove_button.setObjectName("risk_remove_override")
        self.remove_button.clicked.connect(self.remove_selected_override)
        buttons.addWidget(self.override_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.override_list_label = QLabel()
        self.override_list = QListWidget()
        self.override_list.setObjectName("risk_override_list")
        self.override_list.setMaximumHeight(90)
        self.override_list_label.setBuddy(self.override_list)
        layout.addWidget(self.override_list_label)
        layout.addWidget(self.override_list)
        self.details = QTextBrowser()
        self.details.setObjectName("risk_details")
        # Pack and user text is shown, never followed: no links are opened from here.
        self.details.setOpenLinks(False)
        self.details.setOpenExternalLinks(False)
        layout.addWidget(self.details, 4)
        return panel

    def _build_table(self) -> QTableWidget:
        table = QTableWidget(0, self.COLUMNS)
        table.setObjectName("risk_table")
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().setVisible(False)
        # Risk names and treatments wrap rather than being cut short in a narrow window; rows grow to fit.
        table.setWordWrap(True)
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # Title and treatment share the width; full texts are in the tooltips and the details.
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        table.itemSelectionChanged.connect(self._selection_changed)
        return table

    @staticmethod
    def _text_label(name: str) -> QLabel:
        label = QLabel()
        label.setObjectName(name)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)  # pack text is never rendered as HTML
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def _retranslate(self) -> None:
        self.override_button.setText(_("&Override…"))
        self.override_button.setAccessibleName(_plain(_("&Override…")))
        self.override_button.setToolTip(_("Replace a computed level of the selected risk, with a written justification"))
        self.remove_button.setText(_("Re&move override"))
        self.remove_button.setAccessibleName(_plain(_("Re&move override")))
        self.remove_button.setToolTip(_("Remove the override chosen in the list below"))
        self.override_list_label.setText(_("Overrides of this risk:"))
        self.override_list.setAccessibleName(_("Overrides of the selected risk"))
        self.table.setAccessibleName(_("Risks"))
        self.table.setHorizontalHeaderLabels(["#", _("Risk"), _("Inherent"), _("Residual"), _("Treatment")])
        self.details.setAccessibleName(_("Details of the selected risk"))
        self.matrix.setAccessibleName(_("Risk matrix"))
        self.acceptance_title.setText(_("Risk criteria (acceptance policy)"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        # language.apply() installs Qt's translator, which sends LanguageChange to every widget.
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
            self.refresh(self.session.evaluation)
        super().changeEvent(event)

    # --- reading the evaluation -------------------------------------------------------------------

    @property
    def labels(self) -> RiskLabels:
        return self.session.pack.risk_method.labels

    def risks(self) -> tuple[RiskResult, ...]:
        return self.session.evaluation.risks

    def refresh(self, evaluation: Evaluation) -> None:
        """Show a new evaluation, keeping the selected risk if it still applies."""
        language = current()
        selected = self.selected_risk_id()
        self.matrix.set_data(self.session.pack.risk_method, evaluation.risks, language)
        self._fill_table(evaluation.risks, language)
        self.overall.setText(self._overall_text(evaluation, language))
        self.acceptance.setText(self._acceptance_text(evaluation, language))
        ids = [r.risk_id for r in evaluation.risks]
        self.select_risk(selected if selected in ids else (ids[0] if ids else None))
        self._selection_changed()

    def _fill_table(self, risks: tuple[RiskResult, ...], language: Language) -> None:
        self.table.blockSignals(True)
        self.table.clearSelection()
        self.table.setRowCount(len(risks))
        for row, risk in enumerate(risks):
            values = [
                str(row + 1),
                risk.title.get(language),
                self.labels.risk_levels[risk.inherent.level].get(language),
                self.labels.risk_levels[risk.residual.level].get(language),
                self.labels.treatments[risk.treatment].get(language),
            ]
            for column, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, risk.risk_id)
                item.setToolTip(text)
                self.table.setItem(row, column, item)
        self.table.blockSignals(False)

    def _overall_text(self, evaluation: Evaluation, language: Language) -> str:
        return overall_risk_text(evaluation.overall_risk, self.labels, language)

    def _acceptance_text(self, evaluation: Evaluation, language: Language) -> str:
        policy = evaluation.acceptance_policy
        lines = [f"{self.labels.risk_levels[level].get(language)} → {self.labels.treatments[policy[level]].get(language)}"
                 for level in reversed(RISK_LEVELS) if level in policy]
        if policy == self.session.pack.risk_method.default_acceptance:
            source = _("The form pack's default criteria (GB/T 39335).")
        else:
            source = _("Criteria set for this assessment.")
        return "\n".join([*lines, source])

    # --- selection ----------------------------------------------------------------------------------

    def selected_risk_id(self) -> str | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return None
        item = self.table.item(rows[0].row(), 0)
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def selected_risk(self) -> tuple[int, RiskResult] | None:
        risk_id = self.selected_risk_id()
        for number, risk in enumerate(self.risks(), 1):
            if risk.risk_id == risk_id:
                return number, risk
        return None

    def select_risk(self, risk_id: str | None) -> None:
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == risk_id:
                self.table.selectRow(row)
                return
        self.table.clearSelection()

    def _selection_changed(self) -> None:
        chosen = self.selected_risk()
        self.matrix.set_selected(chosen[1].risk_id if chosen else None)
        self.override_button.setEnabled(chosen is not None)
        self._fill_override_list(chosen[1].risk_id if chosen else None)
        if chosen is None:
            self.details.setHtml(paragraph(_("Select a risk to see how its level was derived.")))
        else:
            self.details.setHtml(self._details_html(*chosen))

    def _overrides_of(self, risk_id: str | None) -> list[tuple[int, RiskOverride]]:
        """Overrides of one risk with their index in the assessment's list."""
        return [(i, o) for i, o in enumerate(self.session.assessment.risk_overrides) if o.risk_id == risk_id]

    def _fill_override_list(self, risk_id: str | None) -> None:
        self.override_list.clear()
        for index, override in self._overrides_of(risk_id):
            item = QListWidgetItem(self._override_text(override))
            item.setData(Qt.ItemDataRole.UserRole, index)
            item.setToolTip(override.justification)
            self.override_list.addItem(item)
        has_overrides = self.override_list.count() > 0
        if has_overrides:
            self.override_list.setCurrentRow(0)
        self.override_list.setVisible(has_overrides)
        self.override_list_label.setVisible(has_overrides)
        self.remove_button.setEnabled(has_overrides)

    def _override_text(self, override: RiskOverride) -> str:
        language = current()
        impact = override.target in ("impact", "residual_impact")
        scale = self.labels.impact_levels if impact else self.labels.likelihood_levels
        subject = target_label(override.target)
        if override.dimension is not None:
            subject += f" ({self.labels.dimensions[override.dimension].get(language)})"
        level = scale[override.level].get(language)  # type: ignore[index]
        who = ", ".join(part for part in (override.by, override.on.isoformat() if override.on else "") if part)
        return f"{subject} → {level}{colon(language)}{override.justification}" + (f" ({who})" if who else "")

    # --- details --------------------------------------------------------------------------------------

    def _details_html(self, number: int, risk: RiskResult) -> str:
        language = current()
        parts = [
            f"<h3>{number}. {html.escape(risk.title.get(language))}</h3>",
            f"<p>{html.escape(risk.description.get(language))}</p>",
            self._levels_html(risk, language),
            self._impact_html(risk, language),
            self._likelihood_html(risk, language),
            self._steps_html(_("How the inherent risk was derived"), risk.inherent_steps, language),
            self._steps_html(_("How the residual risk was derived"), risk.residual_steps, language),
            self._actions_html(risk),
        ]
        if risk.refs:
            parts.append(paragraph(_("References:") + " " + ", ".join(risk.refs)))
        return "\n".join(parts)

    def _levels_html(self, risk: RiskResult, language: Language) -> str:
        labels = self.labels
        inherent = _("Inherent risk: %(level)s") % {"level": labels.risk_levels[risk.inherent.level].get(language)}
        residual = _("Residual risk: %(level)s") % {"level": labels.risk_levels[risk.residual.level].get(language)}
        treatment = _("Treatment: %(treatment)s") % {"treatment": labels.treatments[risk.treatment].get(language)}
        return f"<p><b>{html.escape(inherent)}</b><br><b>{html.escape(residual)}</b><br>{html.escape(treatment)}</p>"

    def _impact_html(self, risk: RiskResult, language: Language) -> str:
        scale = self.labels.impact_levels
        rows = [
            [self.labels.dimensions[d].get(language), scale[risk.base_impact[d]].get(language),
             scale[risk.inherent.impact[d]].get(language), scale[risk.residual.impact[d]].get(language)]
            for d in DIMENSIONS
        ]
        header = [_("Dimension"), _("Rated"), _("Inherent"), _("Residual")]
        return heading(_("Impact per dimension"), 4) + _html_table(header, rows)

    def _likelihood_html(self, risk: RiskResult, language: Language) -> str:
        scale = self.labels.likelihood_levels
        rows = [
            [self.labels.areas[a].get(language), scale[risk.base_likelihood[a]].get(language), scale[risk.area_likelihood[a]].get(language)]
            for a in RISK_SOURCE_AREAS
        ]
        header = [_("Risk-source area"), _("Rated"), _("After adjustments")]
        overall = _("Likelihood of the risk: inherent %(inherent)s, residual %(residual)s") % {
            "inherent": scale[risk.inherent.likelihood].get(language), "residual": scale[risk.residual.likelihood].get(language)}
        return (heading(_("Likelihood per risk-source area"), 4) + _html_table(header, rows)
                + f"<p>{html.escape(overall)}</p>")

    def _steps_html(self, title: str, steps, language: Language) -> str:
        if not steps:
            body = paragraph(_("No adjustment."))
        else:
            body = "<ol>" + "".join(f"<li>{html.escape(adjustment_text(step, self.labels, language))}</li>" for step in steps) + "</ol>"
        return f"<h4>{html.escape(title)}</h4>{body}"

    def _actions_html(self, risk: RiskResult) -> str:
        title = heading(_("Linked actions"), 4)
        if not risk.action_ids:
            return title + paragraph(_("No action is linked to this risk."))
        measures = {a.id: a.measure for a in self.session.assessment.actions}
        items = "".join(f"<li><b>{html.escape(i)}</b>{html.escape(colon(current()) + measures[i] if i in measures else '')}</li>"
                        for i in risk.action_ids)
        return f"{title}<ul>{items}</ul>"

    # --- overrides -----------------------------------------------------------------------------------

    def open_override_dialog(self) -> OverrideDialog | None:
        """Open (not exec) the override dialog for the selected risk and return it."""
        chosen = self.selected_risk()
        if chosen is None:
            return None
        if self.override_dialog is not None:
            self.override_dialog.close()
        number, risk = chosen
        dialog = OverrideDialog(risk, number, self.labels, self.session.evaluation.evaluated_on, self._apply_override, self)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.finished.connect(lambda _result, d=dialog: self._dialog_finished(d))
        self.override_dialog = dialog
        dialog.open()
        dialog.target.setFocus()
        return dialog

    def _dialog_finished(self, dialog: OverrideDialog) -> None:
        if self.override_dialog is dialog:
            self.override_dialog = None
        dialog.deleteLater()

    def _apply_override(self, override: RiskOverride | None) -> bool:
        if override is None:
            self._show_error(_("The override is not valid."))
            return False
        # A new override replaces an older one of the same risk, target and dimension: otherwise the
        # older one would stay in the file, outvoted but with its justification still printed.
        def same(o: RiskOverride) -> bool:
            return (o.risk_id, o.target, o.dimension) == (override.risk_id, override.target, override.dimension)
        kept = [o for o in self.session.assessment.risk_overrides if not same(o)]
        return self._set_overrides([*kept, override])

    def remove_selected_override(self) -> None:
        item = self.override_list.currentItem() or self.override_list.item(0)
        if item is None:
            return
        index = item.data(Qt.ItemDataRole.UserRole)
        overrides = [o for i, o in enumerate(self.session.assessment.risk_overrides) if i != index]
        self._set_overrides(overrides)

    def _set_overrides(self, overrides: list[RiskOverride]) -> bool:
        try:
            self.session.set_risk_overrides(overrides)
        except ValueError as error:
            self._show_error(str(error))
            return False
        return True

    def _show_error(self, detail: str) -> None:
        parent = self.override_dialog or self
        box = QMessageBox(QMessageBox.Icon.Warning, _("Override not recorded"),
                          _("The override could not be recorded."), QMessageBox.StandardButton.Ok, parent)
        box.setObjectName("risk_override_error")
        box.setDetailedText(detail)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.error_box = box
        box.open()


def _html_table(header: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th align='left'>{html.escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table cellspacing='0' cellpadding='3' border='1'><tr>{head}</tr>{body}</table>"
