"""A finding explains itself on screen: selecting it shows what, why, what to do, the law and its causes."""

from __future__ import annotations

import re

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QTextBrowser

from dpia_app.ui.actions_page import ActionDialog
from dpia_app.ui.assessment_window import AssessmentWindow
from dpia_app.ui.finding_details_view import FindingDetailsDialog

from .test_wizard import EXAMPLES, answer, click_step, new_window

INTERNAL_ID = re.compile(r"\b(R-[A-Z]+-\d+|RISK-[A-Z-]+|ADJ-[A-Z-]+)\b")


def select_finding_by_keyboard(qtbot, window: AssessmentWindow, rule_id: str) -> None:
    findings = window.findings_panel.list
    findings.setFocus()
    qtbot.keyClick(findings, Qt.Key.Key_Home)
    for _ in range(findings.count()):
        if findings.currentItem().data(Qt.ItemDataRole.UserRole) == rule_id:
            return
        qtbot.keyClick(findings, Qt.Key.Key_Down)
    raise AssertionError(f"{rule_id} is not in the findings list")


def shown_text(window: AssessmentWindow) -> list[str]:
    details = window.finding_details
    return [label.text() for label in details.widget().findChildren(QLabel) if label.objectName() != "finding_rule_id"]


def click_link(qtbot, label: QLabel) -> None:
    qtbot.mouseClick(label, Qt.MouseButton.LeftButton, pos=QPoint(4, label.fontMetrics().height() // 2))


def test_selecting_a_blocking_finding_shows_what_why_what_to_do_the_law_and_its_cause(qtbot, desktop):
    window = desktop.open_path(EXAMPLES / "s2-mall-vip-recognition.dpia")
    finding = next(f for f in window.session.evaluation.findings if f.rule_id == "R-ALT-16")
    select_finding_by_keyboard(qtbot, window, "R-ALT-16")
    details = window.finding_details
    assert details.isVisible() and not window.help_panel.isVisible()
    text = "\n".join(shown_text(window))
    for part in (finding.title.en, finding.finding.en.split(".")[0], finding.why.en.split(".")[0], finding.recommendation.en.split(":")[0]):
        assert part in text
    # The law: the citation, the requirement's title and the catalog's summary, in the interface language.
    catalog = window.session.loaded.catalog
    assert catalog.citation("FRT-05").text.en in text and catalog.get("FRT-05").summary.en.split(". ")[0] in text
    # The answer that caused it is shown and is a link to its question.
    assert "alt.capture_mode" in details.cause_buttons
    everyone = window.session.pack.question("alt.capture_mode").option("everyone_in_view").label.en
    assert f"Answer: {everyone}" in text
    # Ids never stand in for words; the rule id is small secondary text for those who cite it.
    assert not [t for t in shown_text(window) if INTERNAL_ID.search(t)]
    assert details.findChild(QLabel, "finding_rule_id").text() == "Rule R-ALT-16"
    click_link(qtbot, details.cause_buttons["alt.capture_mode"])
    assert window.current_step().key == "section:alternatives"


def test_the_details_are_in_chinese_in_chinese_mode(qtbot, desktop):
    window = desktop.open_path(EXAMPLES / "s2-mall-vip-recognition.dpia")
    desktop.set_language("zh-Hans")
    select_finding_by_keyboard(qtbot, window, "R-ALT-16")
    text = "\n".join(shown_text(window))
    assert "由以下回答引起" in text and "应当采取的措施" in text
    assert "《人脸识别技术应用安全管理办法》第五条" in text
    assert "What was found" not in text and "Answer:" not in text
    desktop.set_language("en")


def test_add_action_from_a_finding_opens_the_action_plan_pre_filled(qtbot, desktop):
    window = desktop.open_path(EXAMPLES / "s1-office-turnstiles.dpia")
    rule_id = window.session.evaluation.findings[0].rule_id
    select_finding_by_keyboard(qtbot, window, rule_id)
    qtbot.mouseClick(window.finding_details.add_action_button, Qt.MouseButton.LeftButton)
    assert window.current_step().key == "actions"
    dialog = window.pages.currentWidget().dialog
    assert isinstance(dialog, ActionDialog) and dialog.isVisible()
    finding = window.session.evaluation.findings[0]
    assert dialog.findChild(QPlainTextEdit, "action_measure").toPlainText() == finding.recommendation.en
    dialog.reject()


def test_details_follow_the_answers(qtbot, desktop):
    window = desktop.open_path(EXAMPLES / "s1-office-turnstiles.dpia")
    answer(qtbot, window, "alt.non_face_method", "no")
    rule_id = next(f.rule_id for f in window.session.evaluation.findings if f.severity == "blocking")
    select_finding_by_keyboard(qtbot, window, rule_id)
    assert window.finding_details.rule_id == rule_id
    # Answering a question brings its help back; the finding resolved by the answer leaves the list,
    # and the next finding selected is the one shown.
    answer(qtbot, window, "alt.non_face_method", "yes")
    qtbot.waitUntil(lambda: window.help_panel.isVisible() and not window.finding_details.isVisible())
    listed = [window.findings_panel.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(window.findings_panel.list.count())]
    assert rule_id not in listed
    select_finding_by_keyboard(qtbot, window, listed[-1])
    assert window.finding_details.isVisible() and window.finding_details.rule_id == listed[-1]


def test_summary_links_open_a_blocking_finding_and_an_unanswered_question(qtbot, desktop):
    window = desktop.open_path(EXAMPLES / "s2-mall-vip-recognition.dpia")
    click_step(qtbot, window, "summary")
    browser = window.pages.currentWidget().findChild(QTextBrowser, "summary_details")
    html = browser.toHtml()
    assert 'href="finding:R-ALT-16"' in html
    browser.setFocus()
    # Keyboard: Tab moves to the first link (the first blocking finding), Enter opens it.
    qtbot.keyClick(browser, Qt.Key.Key_Tab)
    qtbot.keyClick(browser, Qt.Key.Key_Return)
    dialog = window.findChild(FindingDetailsDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.view.rule_id == window.session.evaluation.findings_with("blocking")[0].rule_id
    dialog.reject()

    fresh = new_window(qtbot, desktop)
    click_step(qtbot, fresh, "summary")
    browser = fresh.pages.currentWidget().findChild(QTextBrowser, "summary_details")
    first_missing = fresh.session.evaluation.missing_required[0]
    assert f'href="question:{first_missing}"' in browser.toHtml()
    browser.setFocus()
    qtbot.keyClick(browser, Qt.Key.Key_Tab)
    qtbot.keyClick(browser, Qt.Key.Key_Return)
    assert fresh.current_step().section is fresh.session.pack.section_of(first_missing)


def _visible_texts(widget) -> list[str]:
    """Every word a person sees on a step: labels, buttons, list and table entries, and browser text
    outside its small secondary print (<small>) and trailing [ID] references."""
    from PySide6.QtGui import QTextFormat
    from PySide6.QtWidgets import QAbstractButton, QListWidget, QTableWidget

    texts = [w.text() for w in widget.findChildren(QLabel) if w.isVisibleTo(widget) and w.objectName() != "finding_rule_id"]
    texts += [w.text() for w in widget.findChildren(QAbstractButton) if w.isVisibleTo(widget)]
    for view in widget.findChildren(QListWidget):
        if view.isVisibleTo(widget):
            texts += [view.item(r).text() for r in range(view.count())]
    for table in widget.findChildren(QTableWidget):
        if table.isVisibleTo(widget):
            texts += [table.item(r, c).text() for r in range(table.rowCount()) for c in range(table.columnCount()) if table.item(r, c)]
    for browser in widget.findChildren(QTextBrowser):
        if not browser.isVisibleTo(widget):
            continue
        block = browser.document().begin()
        while block.isValid():
            iterator = block.begin()
            while not iterator.atEnd():
                fragment = iterator.fragment()
                if (fragment.charFormat().intProperty(QTextFormat.Property.FontSizeAdjustment) or 0) >= 0:
                    texts.append(fragment.text())
                iterator += 1
            block = block.next()
    return [re.sub(r"\[[A-Z][A-Z0-9-]+\]", "", t) for t in texts]


def test_no_internal_id_stands_in_for_words_on_the_main_steps(qtbot, desktop):
    window = desktop.open_path(EXAMPLES / "s2-mall-vip-recognition.dpia")
    window.resize(1440, 880)
    select_finding_by_keyboard(qtbot, window, "R-ALT-16")
    for key in ("section:alternatives", "risks", "actions", "summary"):
        click_step(qtbot, window, key)
        texts = _visible_texts(window)
        leaks = [t for t in texts if INTERNAL_ID.search(t)]
        assert leaks == [], (key, leaks[:5])
    # The collector does read the summary: the finding is there by its title.
    title = next(f.title.en for f in window.session.evaluation.findings if f.rule_id == "R-ALT-16")
    assert any(title in t for t in texts)
    # And it would see an id printed as a word.
    window.pages.currentWidget().verdict.setText("R-ALT-16")
    assert any(INTERNAL_ID.search(t) for t in _visible_texts(window))


def test_provenance_notes_are_markers_on_citations_explained_once(qtbot, desktop):
    """"Article number to be confirmed" and "2019 approval draft" are a small sign on the citation,
    explained under the finding's legal basis and in one method note on the summary."""
    window = desktop.open_path(EXAMPLES / "s2-mall-vip-recognition.dpia")
    select_finding_by_keyboard(qtbot, window, "R-PURPOSE-04")
    text = "\n".join(shown_text(window))
    assert "§5.1.2 and Appendix A ‡" in text and "(2019 approval draft)" not in text
    assert text.count("‡ GB/T 39335-2020 clause numbers are those of its 2019 approval draft") == 1
    citation = next(label for label in window.finding_details.widget().findChildren(QLabel) if label.text().startswith("GB/T 39335-2020 §5.1.2"))
    assert "2019 approval draft" in citation.toolTip()
    click_step(qtbot, window, "summary")
    summary = window.pages.currentWidget().details
    shown = summary.toPlainText()
    notes = shown[shown.index("Notes on the legal sources"):]
    assert notes.count("†") == 1 and notes.count("‡") == 1
    assert "to be confirmed" in notes and "2019 approval draft" in notes
