"""The portfolio window: the assessments under a folder, sorted and filtered, a damaged file as a
row that says why, the group warning, Excel export, and a row that opens its draft."""

from __future__ import annotations

import json
import shutil

from openpyxl import load_workbook
from PySide6.QtCore import Qt

from dpia_app.ui.portfolio_window import PATH_ROLE

from ..conftest import EXAMPLES


def _folder(tmp_path):
    root = tmp_path / "drive"
    (root / "hotels").mkdir(parents=True)
    shutil.copy(EXAMPLES / "s2-mall-vip-recognition.dpia", root)
    for index, stored in enumerate((60_000, 50_000)):
        document = json.loads((EXAMPLES / "s1-office-turnstiles.dpia").read_text(encoding="utf-8"))
        document["metadata"].update(title=f"Hotel lobby {index}", organisation="Jade Hotels", site=f"Hotel {index}")
        document["answers"].update({"scale.stored_individuals": stored, "scale.count_method": "this_system_only"})
        (root / "hotels" / f"hotel-{index}.dpia").write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    (root / "hotels" / "broken.dpia").write_text("{", encoding="utf-8")
    return root


def test_the_portfolio_lists_sorts_filters_warns_exports_and_opens(qtbot, desktop, tmp_path):
    root = _folder(tmp_path)
    desktop.ask_folder = lambda title: root
    start = desktop.show_start()
    qtbot.mouseClick(start.portfolio_button, Qt.MouseButton.LeftButton)
    window = desktop.portfolios[-1]
    table = window.table
    assert table.rowCount() == 4
    texts = {table.item(r, 0).text(): [table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())}
    assert any("Cannot be read" in cells[3] for cells in texts.values()), "the damaged file is a row that says why"
    assert texts["Mall entrances: VIP shopper recognition (1:N)"][3] == "Must not proceed"
    assert "Jade Hotels" in window.warnings.text() and "110,000" in window.warnings.text() and window.warnings.isVisibleTo(window)

    header = table.horizontalHeader()
    blocking_column = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())].index("Open blocking findings")
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=header.rect().topLeft() + _section_centre(header, blocking_column))
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=header.rect().topLeft() + _section_centre(header, blocking_column))
    assert table.item(0, 0).text() == "Mall entrances: VIP shopper recognition (1:N)", "most blocking findings first"

    qtbot.keyClicks(window.filter, "jade")
    shown = [table.item(r, 0).text() for r in range(table.rowCount()) if not table.isRowHidden(r)]
    assert sorted(shown) == ["Hotel lobby 0", "Hotel lobby 1"]

    out = tmp_path / "p.xlsx"
    window.ask_xlsx_path = lambda: out
    qtbot.mouseClick(window.export_button, Qt.MouseButton.LeftButton)
    assert load_workbook(out).sheetnames == ["Portfolio", "Actions", "Processors"]

    row = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == "Hotel lobby 0")
    item = table.item(row, 0)
    table.scrollToItem(item)
    cell = table.visualItemRect(item).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    assert [w.session.path.name for w in desktop.windows] == ["hotel-0.dpia"], desktop.errors
    assert item.data(PATH_ROLE).endswith("hotel-0.dpia")
    window.close()


def _section_centre(header, column):
    from PySide6.QtCore import QPoint

    return QPoint(header.sectionViewportPosition(column) + header.sectionSize(column) // 2, header.height() // 2)
