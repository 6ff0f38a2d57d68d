"""The Versions step: approve after sign-off, the approved versions kept in the file, and what changed
since the last one, each changed answer leading to its question."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt

from dpia_app.core.drafts import read_draft

from .test_wizard import _copy_example, answer, click_step


def test_approve_then_change_an_answer_and_follow_the_change_to_its_question(qtbot, desktop, tmp_path):
    draft = _copy_example(tmp_path, "s1-office-turnstiles.dpia")
    window = desktop.open_path(draft)
    click_step(qtbot, window, "versions")
    page = window.pages.currentWidget()
    assert page.objectName() == "versions_page"
    assert page.table.rowCount() == 0 and "no approved version" in page.changes_heading.text()
    assert page.approve_button.isEnabled() and page.blocker.text() == ""

    qtbot.mouseClick(page.approve_button, Qt.MouseButton.LeftButton)
    assert page.table.rowCount() == 1 and page.table.item(0, 0).text() == "1"
    assert page.table.item(0, 2).text() == "Liu Yang" and page.table.item(0, 6).text() == "as approved"
    assert not page.approve_button.isEnabled() and "Nothing has changed since approved version 1" in page.blocker.text()
    assert window.session.dirty, "kept in the file at the next save"
    window.save()
    saved = read_draft(draft).assessment
    assert [v.number for v in saved.approved_versions] == [1]

    answer(qtbot, window, "org.device_count", "40")
    click_step(qtbot, window, "versions")
    texts = [page.changes.item(row).text() for row in range(page.changes.count())]
    assert any("6 devices → 40 devices" in text for text in texts), texts
    assert page.approve_button.isEnabled()
    row = next(row for row, text in enumerate(texts) if "40 devices" in text)
    item = page.changes.item(row)
    qtbot.mouseClick(page.changes.viewport(), Qt.MouseButton.LeftButton, pos=page.changes.visualItemRect(item).center())
    assert window.current_step().key == f"section:{window.session.pack.section_of('org.device_count').id}"
    assert window.focusWidget() is not None and window.focusWidget().objectName().startswith("org.device_count")


def test_approve_says_why_it_is_not_available_without_an_approver(qtbot, desktop, tmp_path):
    draft = _copy_example(tmp_path, "s2-mall-vip-recognition.dpia")
    window = desktop.open_path(draft)
    click_step(qtbot, window, "versions")
    page = window.pages.currentWidget()
    assert not page.approve_button.isEnabled()
    assert "The approver has not signed off yet" in page.blocker.text()


def test_a_version_changed_after_approval_is_shown_as_such(qtbot, desktop, tmp_path):
    draft = _copy_example(tmp_path, "s1-office-turnstiles.dpia")
    window = desktop.open_path(draft)
    click_step(qtbot, window, "versions")
    page = window.pages.currentWidget()
    qtbot.mouseClick(page.approve_button, Qt.MouseButton.LeftButton)
    window.save()
    window.close()
    document = json.loads(draft.read_text(encoding="utf-8"))
    document["approved_versions"][0]["assessment"]["answers"]["org.device_count"] = 2
    draft.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    window = desktop.open_path(draft)
    click_step(qtbot, window, "versions")
    page = window.pages.currentWidget()
    assert page.table.item(0, 6).text() == "changed after approval"


def test_the_changes_follow_the_version_selected(qtbot, desktop, tmp_path):
    draft = _copy_example(tmp_path, "s1-office-turnstiles.dpia")
    window = desktop.open_path(draft)
    click_step(qtbot, window, "versions")
    page = window.pages.currentWidget()
    qtbot.mouseClick(page.approve_button, Qt.MouseButton.LeftButton)
    answer(qtbot, window, "org.device_count", "40")
    click_step(qtbot, window, "versions")
    qtbot.mouseClick(page.approve_button, Qt.MouseButton.LeftButton)
    assert [page.table.item(r, 0).text() for r in range(page.table.rowCount())] == ["2", "1"], "the latest first"
    assert "Nothing has changed" in page.changes.item(0).text() and "version 2" in page.changes_heading.text()
    version_1 = page.table.visualItemRect(page.table.item(1, 0)).center()
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=version_1)
    assert "version 1" in page.changes_heading.text()
    assert any("6 devices → 40 devices" in page.changes.item(r).text() for r in range(page.changes.count()))


@pytest.mark.usefixtures("report_libraries_present")
def test_the_report_of_an_approved_version_is_exported_as_approved(qtbot, desktop, tmp_path):
    from pypdf import PdfReader

    draft = _copy_example(tmp_path, "s1-office-turnstiles.dpia")
    window = desktop.open_path(draft)
    click_step(qtbot, window, "versions")
    qtbot.mouseClick(window.pages.currentWidget().approve_button, Qt.MouseButton.LeftButton)
    answer(qtbot, window, "org.device_count", "40")
    window.save()
    window.ask_report_path = lambda suggested: tmp_path / suggested.name
    click_step(qtbot, window, "summary")
    page = window.pages.currentWidget()
    assert page.report_version.isVisibleTo(page) and page.report_version.count() == 2
    page.report_version.setCurrentIndex(page.report_version.findData(1))
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.open_report_button.isVisibleTo(page), timeout=180_000)
    report = tmp_path / "s1-office-turnstiles.en.v1.pdf"
    text = "".join(p.extract_text() or "" for p in PdfReader(report).pages)
    assert "6 devices" in text and "40 devices" not in text
