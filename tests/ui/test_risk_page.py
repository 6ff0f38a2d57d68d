"""The risk page shows the evaluation's risks and records reviewer overrides through the session."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from dpia_app.core.drafts import read_draft
from dpia_app.core.packs import load_builtin_pack
from dpia_app.presentation import adjustment_text
from dpia_app.ui.risk_page import OverrideDialog, RiskMatrixView, RiskPage
from dpia_app.ui.session import AssessmentSession

EXAMPLE = Path(__file__).parents[2] / "examples" / "s2-mall-vip-recognition.dpia"


@pytest.fixture(scope="module")
def loaded():
    return load_builtin_pack("cn-frt-2025")


@pytest.fixture
def session(loaded):
    opened = read_draft(EXAMPLE, loaded)
    return AssessmentSession(loaded, opened.assessment, path=None, today=lambda: dt.date(2026, 11, 20))


@pytest.fixture
def page(qtbot, session):
    page = RiskPage(session)
    qtbot.addWidget(page)
    page.resize(1100, 800)
    page.show()
    qtbot.waitExposed(page)
    return page


def click_row(qtbot, page: RiskPage, row: int) -> None:
    table = page.table
    rect = table.visualRect(table.model().index(row, 1))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def row_of(page: RiskPage, risk_id: str) -> int:
    return next(i for i, r in enumerate(page.session.evaluation.risks) if r.risk_id == risk_id)


def cell_text(page: RiskPage, risk_id: str, column: int) -> str:
    return page.table.item(row_of(page, risk_id), column).text()


def write_justification(qtbot, dialog: OverrideDialog, text: str) -> None:
    dialog.justification.setFocus()
    qtbot.keyClicks(dialog.justification, text)


def choose(combo: QComboBox, key: str) -> None:
    combo.setCurrentIndex(combo.findData(key))


def test_matrix_and_table_show_every_risk(page, session):
    risks = session.evaluation.risks
    assert len(risks) >= 2
    assert page.table.rowCount() == len(risks)
    labels = session.pack.risk_method.labels
    for row, risk in enumerate(risks):
        assert page.table.item(row, 0).text() == str(row + 1)
        assert page.table.item(row, 1).text() == risk.title.en
        assert page.table.item(row, 2).text() == labels.risk_levels[risk.inherent.level].en
        assert page.table.item(row, 3).text() == labels.risk_levels[risk.residual.level].en
        assert page.table.item(row, 4).text() == labels.treatments[risk.treatment].en
    markers = page.matrix.markers()
    assert {m.risk_id for m in markers} == {r.risk_id for r in risks}
    for number, risk in enumerate(risks, 1):
        kinds = {m.kind for m in markers if m.risk_id == risk.risk_id}
        assert {m.number for m in markers if m.risk_id == risk.risk_id} == {number}
        moved = (risk.inherent.worst_impact, risk.inherent.likelihood) != (risk.residual.worst_impact, risk.residual.likelihood)
        assert kinds == ({"inherent", "residual"} if moved else {"both"})


def test_markers_in_one_cell_do_not_overlap(page):
    markers = page.matrix.markers()
    for i, a in enumerate(markers):
        for b in markers[i + 1:]:
            distance = ((a.centre.x() - b.centre.x()) ** 2 + (a.centre.y() - b.centre.y()) ** 2) ** 0.5
            assert distance >= a.radius + b.radius, (a, b)


def test_clicking_a_marker_selects_its_risk(qtbot, page, session):
    last = session.evaluation.risks[-1]
    marker = next(m for m in page.matrix.markers() if m.risk_id == last.risk_id)
    qtbot.mouseClick(page.matrix, Qt.MouseButton.LeftButton, pos=marker.centre.toPoint())
    assert page.selected_risk_id() == last.risk_id


def test_selecting_a_risk_shows_the_reasons_of_its_adjustments(qtbot, page, session):
    labels = session.pack.risk_method.labels
    for row, risk in enumerate(session.evaluation.risks):
        click_row(qtbot, page, row)
        assert page.selected_risk_id() == risk.risk_id
        text = page.details.toPlainText()
        assert risk.title.en in text
        assert risk.description.en.split()[0] in text
        for step in (*risk.inherent_steps, *risk.residual_steps):
            assert adjustment_text(step, labels, "en") in text
        for action_id in risk.action_ids:
            assert action_id in text
        for dimension in labels.dimensions.values():
            assert dimension.en in text


def test_details_escape_pack_and_user_text(page):
    assert page.details.openLinks() is False
    assert page.details.openExternalLinks() is False


def test_ok_needs_a_real_justification(qtbot, page):
    click_row(qtbot, page, 0)
    assert page.override_button.isEnabled()
    qtbot.mouseClick(page.override_button, Qt.MouseButton.LeftButton)
    dialog = page.override_dialog
    assert isinstance(dialog, OverrideDialog) and dialog.isVisible()
    assert dialog.objectName() == "override_dialog"
    assert not dialog.ok_button.isEnabled()
    hint = dialog.hint.text()
    assert hint and dialog.hint.isVisible()
    write_justification(qtbot, dialog, "too   short")  # 8 non-blank characters
    assert not dialog.ok_button.isEnabled()
    write_justification(qtbot, dialog, " reason: vendor audit done")
    assert dialog.ok_button.isEnabled()
    assert dialog.hint.text() != hint
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    assert page.session.assessment.risk_overrides == []


def test_dimension_only_for_impact_and_levels_follow_the_scale(qtbot, page):
    click_row(qtbot, page, 0)
    dialog = page.open_override_dialog()
    choose(dialog.target, "likelihood")
    assert not dialog.dimension.isEnabled()
    assert [dialog.level.itemData(i) for i in range(dialog.level.count())] == ["low", "medium", "high", "very_high"]
    choose(dialog.target, "residual_impact")
    assert dialog.dimension.isEnabled()
    assert [dialog.level.itemData(i) for i in range(dialog.level.count())] == ["low", "medium", "high", "serious"]
    dialog.reject()


def test_accepting_an_override_changes_the_level_and_removing_it_restores_it(qtbot, page, session):
    risk_id = "RISK-MISIDENTIFICATION"
    before = cell_text(page, risk_id, 3)
    click_row(qtbot, page, row_of(page, risk_id))
    qtbot.mouseClick(page.override_button, Qt.MouseButton.LeftButton)
    dialog = page.override_dialog
    choose(dialog.target, "residual_likelihood")
    choose(dialog.level, "low")
    write_justification(qtbot, dialog, "The watch-list match is always confirmed by two staff members.")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    overrides = session.assessment.risk_overrides
    assert len(overrides) == 1
    assert (overrides[0].risk_id, overrides[0].target, overrides[0].level) == (risk_id, "residual_likelihood", "low")
    assert overrides[0].on == dt.date(2026, 11, 20)
    risk = next(r for r in session.evaluation.risks if r.risk_id == risk_id)
    expected = session.pack.risk_method.labels.risk_levels[risk.residual.level].en
    assert cell_text(page, risk_id, 3) == expected != before
    assert page.selected_risk_id() == risk_id  # the selection survives the re-evaluation
    assert "reviewer override" in page.details.toPlainText()
    assert page.override_list.count() == 1

    assert page.remove_button.isEnabled()
    qtbot.mouseClick(page.remove_button, Qt.MouseButton.LeftButton)
    assert session.assessment.risk_overrides == []
    assert cell_text(page, risk_id, 3) == before
    assert not page.remove_button.isEnabled()


def test_remove_is_disabled_without_overrides(qtbot, page):
    click_row(qtbot, page, 0)
    assert not page.remove_button.isEnabled()
    assert not page.override_list.isVisible()


def test_impact_override_records_its_dimension(qtbot, page, session):
    risk_id = session.evaluation.risks[0].risk_id
    click_row(qtbot, page, 0)
    dialog = page.open_override_dialog()
    choose(dialog.target, "impact")
    choose(dialog.dimension, "property")
    choose(dialog.level, "low")
    write_justification(qtbot, dialog, "No payment data is linked to the faces at all.")
    qtbot.keyClicks(dialog.by, "Wang Fang")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    [override] = session.assessment.risk_overrides
    assert (override.risk_id, override.target, override.dimension, override.level, override.by) == (risk_id, "impact", "property", "low", "Wang Fang")
    risk = next(r for r in session.evaluation.risks if r.risk_id == risk_id)
    assert risk.inherent.impact["property"] == "low"


def test_a_refused_override_shows_a_message_and_keeps_the_dialog(qtbot, page, session, monkeypatch):
    def refuse(_overrides):
        raise ValueError("refused by the session")

    monkeypatch.setattr(session, "set_risk_overrides", refuse)
    click_row(qtbot, page, 0)
    dialog = page.open_override_dialog()
    write_justification(qtbot, dialog, "A reason that is long enough.")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert page.error_box is not None and page.error_box.isVisible()
    assert "refused by the session" in page.error_box.detailedText()
    assert dialog.isVisible()
    page.error_box.close()
    dialog.reject()


def test_escape_cancels_the_dialog(qtbot, page, session):
    click_row(qtbot, page, 0)
    dialog = page.open_override_dialog()
    write_justification(qtbot, dialog, "A reason that is long enough.")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert session.assessment.risk_overrides == []


def test_acceptance_policy_is_shown(page, session):
    labels = session.pack.risk_method.labels
    text = page.acceptance.text()
    for level, treatment in session.evaluation.acceptance_policy.items():
        assert f"{labels.risk_levels[level].en} → {labels.treatments[treatment].en}" in text


def test_custom_acceptance_policy_is_shown_after_change(page, session):
    session.set_acceptance_policy({"low": "accept", "medium": "accept", "high": "fix_within_deadline", "serious": "unacceptable"})
    assert "Medium → Accept" in page.acceptance.text()


@pytest.mark.parametrize("size", [(300, 280), (520, 520), (1200, 400), (400, 1000)])
def test_matrix_paints_at_several_sizes(page, size):
    page.matrix.setFixedSize(*size)
    image = page.matrix.grab().toImage()
    assert not image.isNull()
    assert (image.width(), image.height()) == (size[0] * image.devicePixelRatio(), size[1] * image.devicePixelRatio())


def test_matrix_paints_in_a_dark_palette(qtbot, session):
    view = RiskMatrixView()
    qtbot.addWidget(view)
    dark = QPalette()
    dark.setColor(QPalette.ColorRole.Window, QColor("#1e1e1e"))
    dark.setColor(QPalette.ColorRole.WindowText, QColor("#e8e8e8"))
    view.setPalette(dark)
    view.set_data(session.pack.risk_method, session.evaluation.risks, "en")
    view.resize(500, 500)
    image = view.grab().toImage()
    assert not image.isNull()
    # The background stays dark: the picture follows the palette, not a fixed white.
    assert image.pixelColor(1, 1).lightness() < 80


def test_matrix_is_described_for_screen_readers(page, session):
    description = page.matrix.accessibleDescription()
    for risk in session.evaluation.risks:
        assert risk.title.en in description


def _inputs(root: QWidget) -> list[QWidget]:
    kinds = (QAbstractButton, QComboBox, QLineEdit, QPlainTextEdit, QTextEdit, QAbstractItemView, RiskMatrixView)
    found = [w for w in root.findChildren(QWidget) if isinstance(w, kinds) and not isinstance(w, QHeaderView) and not _inside_combo(w)]
    # Qt's own parts of composite widgets (the table's corner button) take no focus.
    return [w for w in found if w.focusPolicy() != Qt.FocusPolicy.NoFocus or isinstance(w, RiskMatrixView)]


def _inside_combo(widget: QWidget) -> bool:
    """A combo box's popup list is Qt's, named by the combo box itself."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QComboBox):
            return True
        parent = parent.parentWidget()
    return False


def test_every_input_has_an_accessible_name(qtbot, page):
    click_row(qtbot, page, 0)
    dialog = page.open_override_dialog()
    inputs = _inputs(page)
    assert dialog.justification in inputs and page.table in inputs and page.override_button in inputs
    unnamed = [(type(w).__name__, w.objectName()) for w in inputs if not w.accessibleName().strip()]
    assert unnamed == []
    dialog.reject()


def test_buttons_have_mnemonics(page):
    assert "&" in page.override_button.text()
    assert "&" in page.remove_button.text()


def test_keyboard_opens_the_dialog_and_enter_accepts(qtbot, page, session):
    click_row(qtbot, page, 0)
    page.override_button.setFocus()
    qtbot.keyClick(page.override_button, Qt.Key.Key_Space)
    dialog = page.override_dialog
    assert dialog is not None and dialog.isVisible()
    write_justification(qtbot, dialog, "A reason that is long enough.")
    dialog.by.setFocus()
    qtbot.keyClick(dialog.by, Qt.Key.Key_Return)
    assert len(session.assessment.risk_overrides) == 1


def test_matrix_without_risks_paints_and_says_so(qtbot, session):
    view = RiskMatrixView()
    qtbot.addWidget(view)
    view.set_data(session.pack.risk_method, (), "en")
    view.resize(400, 400)
    assert view.markers() == []
    assert "No risk scenario" in view.accessibleDescription()
    assert not view.grab().isNull()


def test_chinese_interface(qtbot, session):
    from dpia_app.ui import language

    language.apply("zh-Hans")
    try:
        page = RiskPage(session)
        qtbot.addWidget(page)
        page.show()
        labels = session.pack.risk_method.labels
        risk = session.evaluation.risks[0]
        assert page.table.item(0, 1).text() == risk.title.get("zh-Hans")
        assert labels.treatments[risk.treatment].get("zh-Hans") in page.table.item(0, 4).text()
        assert not page.matrix.grab().isNull()
    finally:
        language.apply("en")


def test_point_outside_markers_selects_nothing(qtbot, page):
    click_row(qtbot, page, 1)
    selected = page.selected_risk_id()
    qtbot.mouseClick(page.matrix, Qt.MouseButton.LeftButton, pos=QPoint(2, 2))
    assert page.selected_risk_id() == selected
