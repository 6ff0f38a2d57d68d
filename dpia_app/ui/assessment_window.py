"""The assessment window: steps on the left, questions in the middle, help and findings on the right."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QByteArray, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QDesktopServices,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ..bundled_libraries import environment_for_other_programs
from ..core import drafts
from ..core.answers import AnswerProblem
from ..core.drafts import DraftError
from ..core.evaluation import Evaluation
from ..core.formpack import Section
from ..core.shared_facts import table_disagrees
from ..presentation import (
    answer_problem_text,
    draft_error_text,
    table_disagreement_text,
)
from .actions_page import ActionPlanPage
from .choice_box import ask_choice
from .details_page import DetailsPage
from .editors import editor_for
from .finding_details_view import FindingDetailsDialog, FindingDetailsView
from .language import _, current
from .question_widgets import QuestionEditor
from .recovery import RecoveryStore
from .report_export import ExportChoice, PreparedExport, ReportExport
from .risk_page import RiskPage
from .session import AssessmentSession
from .side_panels import FindingsPanel, HelpPanel
from .signoff_page import SignOffPage
from .summary_page import SummaryPage
from .table_editor import TableEditor
from .versions_page import VersionsPage

DRAFT_FILTER = "DPIA drafts (*.dpia)"
# Opening a report restores the draft attached to it.
OPEN_FILTER = "DPIA drafts and reports (*.dpia *.pdf);;DPIA drafts (*.dpia);;Reports (*.pdf)"
REPORT_FILTER = "PDF reports (*.pdf)"
AUTOSAVE_IDLE_MS = 4000


def _open_with_system(path: Path) -> None:
    """Open a finished report in the user's PDF viewer (never with the installed app's libraries)."""
    with environment_for_other_programs():
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


# A suggested file name: a file system allows 255 bytes per name, and a Chinese title takes three
# bytes a character; leave room for the endings (".zh-en.full.v12.pdf", ".bak").
SUGGESTED_NAME_BYTES = 150


def fit_name(stem: str, limit: int = SUGGESTED_NAME_BYTES) -> str:
    """The stem cut to at most `limit` bytes of UTF-8, never inside a character."""
    return stem.encode("utf-8")[:limit].decode("utf-8", errors="ignore").strip()


@dataclass(frozen=True)
class Step:
    key: str  # "details", "section:<id>", "risks", "actions", "signoff", "versions", "summary"
    title: str
    section: Section | None = None


class SectionPage(QScrollArea):
    """All questions of one section; questions that do not apply are hidden, not removed."""

    problems_shown = Signal()  # a table row was left: its problems now show and count

    def __init__(self, section: Section, session: AssessmentSession, on_edit: Callable[[str, object], None]):
        super().__init__()
        self.setWidgetResizable(True)
        # Questions wrap to the width of the page; sideways scrolling would hide their end.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setObjectName(f"page:{section.id}")
        body = QWidget()
        layout = QVBoxLayout(body)
        language = current()
        title = QLabel(section.title.get(language))
        title.setStyleSheet("font-size: 15pt; font-weight: bold;")
        layout.addWidget(title)
        if section.intro is not None:
            intro = QLabel(section.intro.get(language))
            intro.setWordWrap(True)
            intro.setTextFormat(Qt.TextFormat.PlainText)
            layout.addWidget(intro)
        self.editors: dict[str, QuestionEditor] = {}
        for question in section.questions:
            editor = editor_for(question, language)
            editor.load(session.answer(question.id))
            editor.load_note(session.note(question.id))
            editor.edited.connect(on_edit)
            editor.note_edited.connect(session.set_note)
            if isinstance(editor, TableEditor):
                editor.validation_changed.connect(self.problems_shown)
            layout.addWidget(editor)
            self.editors[question.id] = editor
        layout.addStretch(1)
        self.setWidget(body)

    def leave(self) -> None:
        for editor in self.editors.values():
            if isinstance(editor, TableEditor):
                editor.leave()

    def focus_moved_to(self, widget: QWidget) -> None:
        for editor in self.editors.values():
            if isinstance(editor, TableEditor) and not editor.isAncestorOf(widget):
                editor.leave()

    def first_shown_question(self) -> str | None:
        """The first question that applies now: what the help shows when the step is opened."""
        return next((q for q, editor in self.editors.items() if editor.isVisibleTo(self)), None)


class AssessmentWindow(QMainWindow):
    """One open assessment. The app controller owns opening other files and the start screen."""

    closed = Signal(object)  # the window, after it closed
    open_requested = Signal()
    new_requested = Signal()
    language_requested = Signal(str)
    about_requested = Signal()
    quit_requested = Signal()

    def __init__(self, session: AssessmentSession, recovery: RecoveryStore, remember: Callable[[Path], None] | None = None,
                 splitter_state: QByteArray | None = None, recovery_copy: Path | None = None):
        super().__init__()
        self.session = session
        # Where the user left the splitter handles last time (restored on every rebuild).
        self.splitter_state = splitter_state
        self.recovery = recovery
        # This window's own recovery copy (a recovered window keeps the copy it came from).
        self.recovery_copy = recovery_copy or recovery.new_copy(session.assessment.metadata.assessment_id)
        self.remember = remember or (lambda _path: None)
        # Replaced in tests; in the app they are the standard dialogs.
        self.ask_unsaved: Callable[[], QMessageBox.StandardButton] = self._ask_unsaved
        self.ask_save_path: Callable[[str], Path | None] = self._ask_save_path
        self.show_error: Callable[[str], None] = lambda text: QMessageBox.warning(self, _("Cannot save"), text)
        self.ask_save_before_export: Callable[[], bool] = self._ask_save_before_export
        # "copy", "reload" or "cancel" when the file was saved elsewhere since it was opened here.
        self.ask_changed_on_disk: Callable[[], str] = self._ask_changed_on_disk
        self.ask_report_path: Callable[[Path], Path | None] = self._ask_report_path
        self.show_export_error: Callable[[str], None] = lambda text: QMessageBox.warning(self, _("Cannot export the report"), text)
        self.open_external: Callable[[Path], None] = _open_with_system
        self.export: ReportExport | None = None
        # The export child started when the summary step opens, waiting for the report to make.
        self.prepared_export: PreparedExport | None = None
        self.setObjectName("assessment_window")
        # Closed windows are deleted: signal connections between its widgets and this window form
        # cycles through Qt that Python's collector cannot see, so it would never be freed.
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.autosave = QTimer(self)
        self.autosave.setSingleShot(True)
        self.autosave.setInterval(AUTOSAVE_IDLE_MS)
        self.autosave.timeout.connect(self.write_recovery_copy)
        session.evaluated.connect(self._evaluated)
        session.dirty_changed.connect(lambda _dirty: self._update_title())
        session.path_changed.connect(lambda _path: self._update_title())
        session.replaced.connect(self.rebuild)
        QApplication.instance().focusChanged.connect(self._focus_changed)  # type: ignore[union-attr]
        self.rebuild()

    # --- building -----------------------------------------------------------------------------

    def rebuild(self) -> None:
        """(Re)create every widget in the current language; answers live in the session."""
        current_key = self.current_step().key if getattr(self, "steps", None) else "details"
        self.menuBar().clear()
        self._build_menus()
        self.steps = self._steps()
        self.step_list = QListWidget()
        self.step_list.setObjectName("steps")
        self.step_list.setAccessibleName(_("Steps of the assessment"))
        self.step_list.setMinimumWidth(170)
        self.step_list.setWordWrap(True)
        self.step_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.pages = QStackedWidget()
        self.section_pages: dict[str, SectionPage] = {}
        # Pages are built when first visited: building all ~160 editors up front made opening a
        # draft slow, and a person looks at one step at a time.
        self._built: set[int] = set()
        for step in self.steps:
            self.step_list.addItem(QListWidgetItem(step.title))
            self.pages.addWidget(QWidget())
        self.step_list.currentRowChanged.connect(self._go_to_row)

        self.back_button = QPushButton(_("< &Back"))
        self.back_button.setObjectName("back")
        self.next_button = QPushButton(_("&Next >"))
        self.next_button.setObjectName("next")
        self.next_button.setDefault(True)
        self.back_button.clicked.connect(lambda: self._move(-1))
        self.next_button.clicked.connect(lambda: self._move(1))
        navigation = QHBoxLayout()
        navigation.addStretch(1)
        navigation.addWidget(self.back_button)
        navigation.addWidget(self.next_button)
        middle = QWidget()
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        middle_layout.addWidget(self.pages, 1)
        middle_layout.addLayout(navigation)

        self.help_panel = HelpPanel(self.session.loaded)
        self.finding_details = FindingDetailsView(self.session)
        self.finding_details.question_requested.connect(self.go_to_question)
        self.finding_details.add_action_requested.connect(self.add_action_for)
        # The upper pane shows help for the question being answered, or the finding just selected.
        self.explanation = QStackedWidget()
        self.explanation.addWidget(self.help_panel)
        self.explanation.addWidget(self.finding_details)
        self.findings_panel = FindingsPanel()
        self.findings_panel.finding_selected.connect(self.show_finding)
        self.findings_panel.finding_activated.connect(self.go_to_finding)
        side = QSplitter(Qt.Orientation.Vertical)
        side.addWidget(self.explanation)
        side.addWidget(self.findings_panel)
        # Wide enough to read a finding's details, narrow enough to fit a 1024-pixel window.
        side.setMinimumWidth(260)
        self.side_panel = side

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("main_splitter")
        splitter.addWidget(self.step_list)
        splitter.addWidget(middle)
        splitter.addWidget(side)
        # A growing window gives most of its new width to the questions; help and findings keep a share.
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 3)
        splitter.setStretchFactor(2, 1)
        for bar in (splitter, side):
            bar.setChildrenCollapsible(False)
            bar.setHandleWidth(7)  # wide enough to see and to grab
            bar.setStyleSheet("QSplitter::handle { background: palette(mid); margin: 2px; }")
        self.main_splitter = splitter
        if self.splitter_state is not None:
            splitter.restoreState(self.splitter_state)
        splitter.splitterMoved.connect(lambda _pos, _index: setattr(self, "splitter_state", splitter.saveState()))
        self.setCentralWidget(splitter)

        self._evaluated(self.session.evaluation)
        self._update_title()
        self.go_to_step(next((i for i, s in enumerate(self.steps) if s.key == current_key), 0))

    def _steps(self) -> list[Step]:
        language = current()
        steps = [Step("details", _("Details"))]
        steps += [Step(f"section:{s.id}", s.title.get(language), s) for s in self.session.pack.sections]
        steps += [Step("risks", _("Risks")), Step("actions", _("Action plan")), Step("signoff", _("Sign-off")),
                  Step("versions", _("Versions")), Step("summary", _("Summary"))]
        return steps

    def _page_for(self, step: Step) -> QWidget:
        if step.section is not None:
            page = SectionPage(step.section, self.session, self.session.set_answer)
            page.problems_shown.connect(lambda: self._show_step_counts(self.session.evaluation))
            self.section_pages[step.section.id] = page
            return page
        factories = {"details": DetailsPage, "risks": RiskPage, "actions": ActionPlanPage, "signoff": SignOffPage,
                     "versions": VersionsPage, "summary": SummaryPage}
        page = factories[step.key](self.session)
        if isinstance(page, VersionsPage):
            page.question_requested.connect(self.go_to_question)
        if isinstance(page, SummaryPage):
            page.export_requested.connect(self.export_report)
            page.cancel_requested.connect(self.cancel_export)
            page.open_report_requested.connect(self.open_report)
            page.finding_requested.connect(self.open_finding)
            page.question_requested.connect(self.go_to_question)
            page.risk_requested.connect(self.go_to_risk)
            if self.export is not None and not self.export.finished:
                page.show_export_running(_("Exporting…"))
        return page

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(_("&File"))
        for text, shortcut, slot, name in (
            (_("&New assessment…"), QKeySequence.StandardKey.New, self.new_requested.emit, "action_new"),
            (_("&Open…"), QKeySequence.StandardKey.Open, self.open_requested.emit, "action_open"),
            (_("&Save"), QKeySequence.StandardKey.Save, self.save, "action_save"),
            (_("Save &As…"), QKeySequence.StandardKey.SaveAs, self.save_as, "action_save_as"),
            (_("Save as &template…"), None, self.save_as_template, "action_save_template"),
            (_("&Close"), QKeySequence.StandardKey.Close, self.close, "action_close"),
            (_("&Quit"), QKeySequence.StandardKey.Quit, self.quit_requested.emit, "action_quit"),
        ):
            action = QAction(text, self)
            action.setObjectName(name)
            if shortcut is not None:
                action.setShortcut(shortcut)
            action.triggered.connect(lambda _checked=False, slot=slot: slot())
            file_menu.addAction(action)
            setattr(self, name, action)
        # Ctrl+Q on Windows and Linux, ⌘Q in the macOS application menu, where Qt moves it.
        self.action_quit.setMenuRole(QAction.MenuRole.QuitRole)
        view_menu = self.menuBar().addMenu(_("&View"))
        language_menu = view_menu.addMenu(_("&Language"))
        group = QActionGroup(self)
        for code, label in (("en", "English"), ("zh-Hans", "简体中文")):
            action = QAction(label, self, checkable=True)
            action.setObjectName(f"language_{code}")
            action.setChecked(current() == code)
            action.triggered.connect(lambda _checked=False, code=code: self.language_requested.emit(code))
            group.addAction(action)
            language_menu.addAction(action)
        help_menu = self.menuBar().addMenu(_("&Help"))
        self.action_question_help = QAction(_("Help for this &question"), self)
        self.action_question_help.setObjectName("action_question_help")
        self.action_question_help.setShortcut(QKeySequence.StandardKey.HelpContents)  # F1; ⌘? on macOS
        self.action_question_help.triggered.connect(lambda _checked=False: self.show_question_help())
        help_menu.addAction(self.action_question_help)
        self.action_guide = QAction(_("&User guide"), self)
        self.action_guide.setObjectName("action_guide")
        self.action_guide.triggered.connect(lambda _checked=False: self.show_guide())
        help_menu.addAction(self.action_guide)
        help_menu.addSeparator()
        self.action_about = QAction(_("&About DPIA"), self)
        self.action_about.setObjectName("action_about")
        # On macOS Qt moves it into the application menu, where Mac users look for it.
        self.action_about.setMenuRole(QAction.MenuRole.AboutRole)
        self.action_about.triggered.connect(lambda _checked=False: self.about_requested.emit())
        help_menu.addAction(self.action_about)

    def show_question_help(self) -> None:
        """F1: the help of the question being answered (or the step's first question) in the side pane;
        on a step without questions, the user guide."""
        step = self.current_step()
        if step.section is None:
            self.show_guide()
            return
        page = self.section_pages[step.section.id]
        widget = self.focusWidget()  # this window's focus, even while another window is active
        question_id = None
        while widget is not None and question_id is None:
            question_id = widget.property("question_id") or None
            widget = widget.parentWidget()
        if question_id is None or question_id not in page.editors:
            question_id = page.first_shown_question()
        self.help_panel.show_question(question_id)
        self.explanation.setCurrentWidget(self.help_panel)
        self.help_panel.browser.setFocus()

    def show_guide(self) -> QMessageBox:
        guide = QMessageBox(self)
        guide.setObjectName("user_guide")
        guide.setWindowTitle(_("User guide"))
        guide.setIcon(QMessageBox.Icon.Information)
        guide.setText(_("How to carry out the assessment"))
        guide.setInformativeText("\n\n".join((
            _("1. Details: who assesses what, and when."),
            _("2. The question steps: answer each question; a number beside a step counts the required questions still open. "
              "Press F1 for why a question is asked and its legal basis."),
            _("3. Findings appear beside the questions as you answer. Select one to see what was found, why it matters, "
              "what to do, the law and the answers that caused it; Add action plans the remedy."),
            _("4. Risks: the risk register and how each level was reached; record a reasoned override where you disagree."),
            _("5. Action plan and Sign-off: measures with owners and due dates, then the assessor's, DPO's and approver's decisions."),
            _("6. Summary: the verdict, what to do first, and the PDF report to file and keep for three years."),
        )))
        guide.setStandardButtons(QMessageBox.StandardButton.Close)
        guide.open()
        return guide

    # --- navigation -----------------------------------------------------------------------------

    def current_step(self) -> Step:
        return self.steps[max(self.step_list.currentRow(), 0)]

    def go_to_step(self, row: int) -> None:
        self.step_list.setCurrentRow(row)

    def go_to_step_key(self, key: str | None) -> None:
        """Go to a step by its key (where a reopened draft was left), if it exists and applies now."""
        row = next((i for i, step in enumerate(self.steps) if step.key == key), None)
        if row is not None and self.step_list.item(row).flags() & Qt.ItemFlag.ItemIsEnabled:
            self.go_to_step(row)

    def page(self, row: int) -> QWidget:
        """The page of a step, built on first use."""
        if row not in self._built:
            placeholder = self.pages.widget(row)
            page = self._page_for(self.steps[row])
            self.pages.insertWidget(row, page)
            self.pages.removeWidget(placeholder)
            placeholder.deleteLater()
            self._built.add(row)
            if isinstance(page, SectionPage):
                self._show_state(page, self.session.evaluation)
        return self.pages.widget(row)

    def _go_to_row(self, row: int) -> None:
        if row < 0:
            return
        previous = self.pages.currentWidget()
        if isinstance(previous, SectionPage):
            previous.leave()  # a table row still being typed is checked once its step is left
        self.pages.setCurrentWidget(self.page(row))
        # Help and findings accompany the questions; the risk, action, sign-off and summary steps
        # show the evaluation themselves and need the room for their tables.
        self.side_panel.setVisible(self.steps[row].key == "details" or self.steps[row].section is not None)
        if self.steps[row].key == "summary" and (self.export is None or self.export.finished):
            self.prepare_export()
        # The help follows the step: never a question of the step just left.
        section = self.steps[row].section
        self.help_panel.show_question(self.section_pages[section.id].first_shown_question() if section is not None else None)
        self.back_button.setEnabled(self._neighbour(row, -1) is not None)
        self.next_button.setEnabled(self._neighbour(row, 1) is not None)

    def _neighbour(self, row: int, direction: int) -> int | None:
        row += direction
        while 0 <= row < len(self.steps):
            if self.step_list.item(row).flags() & Qt.ItemFlag.ItemIsEnabled:
                return row
            row += direction
        return None

    def _move(self, direction: int) -> None:
        target = self._neighbour(self.step_list.currentRow(), direction)
        if target is not None:
            self.go_to_step(target)

    def go_to_question(self, question_id: str) -> None:
        section = self.session.pack.section_of(question_id)
        row = next(i for i, s in enumerate(self.steps) if s.section is section)
        self.go_to_step(row)
        page = self.section_pages[section.id]  # built by go_to_step
        editor = page.editors[question_id]
        page.ensureWidgetVisible(editor)
        editor.focus_input()

    def show_finding(self, rule_id: str) -> None:
        """The details of a finding in the side panel, in place of the help."""
        if self.explanation.currentWidget() is self.finding_details and self.finding_details.rule_id == rule_id:
            return  # a click selects (currentItemChanged) and then clicks (itemClicked): show it once
        self.finding_details.show_finding(rule_id)
        self.explanation.setCurrentWidget(self.finding_details)

    def open_finding(self, rule_id: str) -> FindingDetailsDialog:
        """The same details from a step without the side panel (summary, risks)."""
        dialog = FindingDetailsDialog(self.session, rule_id, self)
        dialog.view.question_requested.connect(self.go_to_question)
        dialog.view.add_action_requested.connect(self.add_action_for)
        dialog.open()
        return dialog

    def go_to_risk(self, risk_id: str) -> None:
        row = next(i for i, s in enumerate(self.steps) if s.key == "risks")
        self.go_to_step(row)
        page = self.page(row)
        assert isinstance(page, RiskPage)
        page.select_risk(risk_id)

    def add_action_for(self, rule_id: str) -> None:
        """The action plan, with a new action pre-filled from the finding's recommendation."""
        row = next(i for i, s in enumerate(self.steps) if s.key == "actions")
        self.go_to_step(row)
        page = self.page(row)
        assert isinstance(page, ActionPlanPage)
        page.open_action_dialog(finding_id=rule_id)

    def go_to_finding(self, rule_id: str) -> None:
        finding = next((f for f in self.session.evaluation.findings if f.rule_id == rule_id), None)
        if finding is not None and finding.caused_by:
            self.go_to_question(finding.caused_by[0])

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        page = self.pages.currentWidget()
        if isinstance(page, SectionPage) and new is not None and new.window() is self:
            page.focus_moved_to(new)  # a table row the focus left is checked now
        widget = new
        while widget is not None and widget.window() is self:
            question_id = widget.property("question_id")
            if question_id:
                self.help_panel.show_question(question_id)
                self.explanation.setCurrentWidget(self.help_panel)
                return
            widget = widget.parentWidget()

    # --- reacting to evaluations ----------------------------------------------------------------

    def _show_state(self, page: SectionPage, evaluation: Evaluation) -> None:
        """Show which questions apply, which required ones are missing and which answers are unusable."""
        missing = set(evaluation.missing_required)
        problems: dict[str, list[tuple[AnswerProblem, str]]] = {}
        for problem in evaluation.answer_problems:
            problems.setdefault(problem.question_id, []).append((problem, answer_problem_text(problem, self.session.pack, current())))
        answers = self.session.assessment.answers
        for question_id, editor in page.editors.items():
            editor.show_state(question_id in evaluation.visible_questions, question_id in missing, problems.get(question_id, []))
            question = editor.question
            if (question.same_as or question.from_table) is not None and not editor.isAncestorOf(QApplication.focusWidget()):
                # Filled from the details step or a table (one fact, one place); never while the user types here.
                editor.follow(answers.get(question_id))
            if question.from_table is not None:
                value = table_disagrees(self.session.pack, question, answers)
                text = table_disagreement_text(self.session.pack, question, value, current()) if value is not None else ""
                editor.show_table_disagreement(value, text)

    def _evaluated(self, evaluation: Evaluation) -> None:
        for page in self.section_pages.values():
            self._show_state(page, evaluation)
        self._show_step_counts(evaluation)
        self.findings_panel.show_findings(evaluation)
        if self.explanation.currentWidget() is self.finding_details:
            self.finding_details.refresh()
        if self.session.dirty:
            self.autosave.start()

    def _show_step_counts(self, evaluation: Evaluation) -> None:
        """Each step's title with what is left to do in it: required answers missing and answers with
        a problem (except those of a table row still being typed, which are not shown yet either)."""
        progress = {p.section_id: p for p in evaluation.sections}
        for row, step in enumerate(self.steps):
            if step.section is None:
                continue
            item = self.step_list.item(row)
            state = progress[step.section.id]
            page = self.section_pages.get(step.section.id)
            held_back = sum(editor.held_back_problems() for editor in page.editors.values()) if page is not None else 0
            outstanding = len(state.missing_required) + state.problems - held_back
            if not state.visible:
                text, enabled = step.title + "  " + _("(does not apply)"), False
            else:
                text, enabled = (f"✓ {step.title}" if outstanding == 0 else f"{step.title}  ({outstanding})"), True
            if item.text() == text:
                continue  # nothing changed for this step; skip the repaint on this keystroke
            item.setText(text)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEnabled if enabled else item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
            item.setToolTip(_("%(n)d required questions unanswered") % {"n": len(state.missing_required)} if outstanding else _("Complete"))

    def _update_title(self) -> None:
        meta = self.session.assessment.metadata
        name = self.session.path.name if self.session.path else _("not saved yet")
        read_only = " " + _("(read-only)") if self.session.read_only else ""
        self.setWindowTitle(f"{meta.title or _('Untitled assessment')} — {name}{read_only}[*] — DPIA")
        self.setWindowModified(self.session.dirty)

    # --- files ----------------------------------------------------------------------------------

    def save(self) -> bool:
        # Read-only (someone else is editing the file): these changes can only go to a copy.
        if self.session.path is None or self.session.kind == "template" or self.session.read_only:
            return self.save_as()
        return self._save_to(self.session.path)

    def save_as(self) -> bool:
        path = self.ask_save_path(_("Save assessment"))
        return path is not None and self._save_to(path)

    def save_as_template(self) -> bool:
        path = self.ask_save_path(_("Save as template"))
        if path is None:
            return False
        try:
            self.session.save_template(path)
        except DraftError as error:
            self.show_error(draft_error_text(error, current()))
            return False
        except Exception as error:  # noqa: BLE001 - see _unexpected_save_error
            self.show_error(_unexpected_save_error(path, error))
            return False
        return True

    def _save_to(self, path: Path) -> bool:
        try:
            saved = self.session.save(path)
        except DraftError as error:
            if error.code == "changed_on_disk":
                return self._changed_on_disk(path)
            self.show_error(draft_error_text(error, current()))
            return False
        except Exception as error:  # noqa: BLE001 - see _unexpected_save_error
            self.show_error(_unexpected_save_error(path, error))
            return False
        self.recovery.discard(self.recovery_copy)
        self.remember(saved)
        return True

    def _changed_on_disk(self, path: Path) -> bool:
        """Someone else saved the file since this window opened it: never overwrite their work.
        The user saves these changes as a copy, or takes the file as it now is."""
        choice = self.ask_changed_on_disk()
        if choice == "copy":
            return self.save_as()
        if choice == "reload":
            try:
                opened = drafts.read_draft(path, self.session.loaded)
            except DraftError as error:
                self.show_error(draft_error_text(error, current()))
                return False
            self.session.reload(opened)
            self.recovery.discard(self.recovery_copy)
        return False

    def _ask_changed_on_disk(self) -> str:
        return ask_choice(self, QMessageBox.Icon.Warning, _("The file was changed elsewhere"),
                          _("Someone or something else has saved this assessment since you opened it (another user on the shared drive, "
                            "or a sync program). Saving now would overwrite their changes, so nothing was saved."),
                          ("copy", _("Save mine as a &copy…")), ("reload", _("&Reload theirs (drop my changes)")))

    def write_recovery_copy(self) -> None:
        if self.session.dirty:
            try:
                self.recovery.write(self.recovery_copy, self.session.assessment, self.session.kind, self.session.path)
            except Exception:  # noqa: BLE001 - a failed recovery copy must never interrupt the user's work
                logging.getLogger(__name__).warning("no recovery copy written", exc_info=True)

    def _ask_save_path(self, title: str) -> Path | None:
        title = self.session.assessment.metadata.title or "assessment"
        # Titles are free text ("Gate 3/4: 大堂"); keep only what every file system accepts.
        stem = fit_name("".join(ch if ch.isalnum() or ch in " -_()" else "_" for ch in title).strip()) or "assessment"
        suggested = self.session.path or Path.home() / f"{stem}.dpia"
        name, _filter = QFileDialog.getSaveFileName(self, title, str(suggested), DRAFT_FILTER)
        if not name:
            return None
        return Path(name) if name.endswith(".dpia") else Path(name + ".dpia")

    def _ask_unsaved(self) -> QMessageBox.StandardButton:
        return QMessageBox.question(
            self, _("Unsaved changes"), _("Save the changes to this assessment before closing?"),
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )

    # --- the PDF report -------------------------------------------------------------------------

    def prepare_export(self) -> None:
        """Start the export child now, while the user reads the summary (see report_export)."""
        if self.prepared_export is not None and self.prepared_export.usable_for(self.session.loaded.path):
            return
        if self.prepared_export is not None:
            self.prepared_export.stop()
        self.prepared_export = PreparedExport(self.session.loaded.path)
        self.prepared_export.start()

    def export_report(self, choice: ExportChoice | None = None) -> ReportExport | None:
        """Save if needed, ask where, and make the report in a child process (see report_export)."""
        choice = choice or ExportChoice()
        language = choice.language
        if self.export is not None and not self.export.finished:
            return None
        # The report carries the draft as saved, and its integrity line is that file's SHA-256.
        if self.session.dirty or self.session.path is None or self.session.kind == "template":
            if not self.ask_save_before_export() or not self.save():
                return None
        draft = self.session.path
        assert draft is not None
        suffix = {"en": "en", "zh": "zh", "bilingual": "zh-en"}.get(language, language)
        suffix += {"full": ".full", "public": ".public"}.get(choice.edition, "")
        suffix += f".v{choice.version}" if choice.version is not None else ""
        target = self.ask_report_path(draft.with_name(f"{fit_name(draft.stem)}.{suffix}.pdf"))
        if target is None:
            return None
        if target.resolve() == draft.resolve():
            self.show_export_error(_("The report cannot replace the draft it is made from; choose another file name."))
            return None
        job = ReportExport(draft, self.session.loaded.path, target, choice, self.session.today(), self.prepared_export, self)
        self.prepared_export = None  # taken by this export (or not usable): the next one prepares anew
        job.progressed.connect(lambda text: self._summary_call("show_export_running", text))
        job.succeeded.connect(lambda path: self._summary_call("show_export_done", path, job.warning))
        job.failed.connect(self._export_failed)
        job.cancelled.connect(lambda: self._summary_call("show_export_idle", _("Export cancelled; no report was written.")))
        self.export = job
        job.start()
        return job

    def cancel_export(self) -> None:
        if self.export is not None:
            self.export.cancel()

    def open_report(self, path: Path | None) -> None:
        if path is not None:
            self.open_external(path)

    def _export_failed(self, message: str) -> None:
        self._summary_call("show_export_idle", _("The report could not be made."))
        self.show_export_error(message)

    def _summary_call(self, method: str, *args: object) -> None:
        # The summary page may have been rebuilt (language switch) while the export ran.
        for row, step in enumerate(self.steps):
            if step.key == "summary" and row in self._built:
                getattr(self.pages.widget(row), method)(*args)

    def _ask_save_before_export(self) -> bool:
        answer = QMessageBox.question(
            self, _("Save before exporting"),
            _("The report carries the assessment as saved, so that the PDF alone restores it. Save the assessment now?"),
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save)
        return answer == QMessageBox.StandardButton.Save

    def _ask_report_path(self, suggested: Path) -> Path | None:
        name, _filter = QFileDialog.getSaveFileName(self, _("Export PDF report"), str(suggested), REPORT_FILTER)
        if not name:
            return None
        return Path(name) if name.lower().endswith(".pdf") else Path(name + ".pdf")

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        if self.session.dirty:
            answer = self.ask_unsaved()
            if answer == QMessageBox.StandardButton.Cancel or (answer == QMessageBox.StandardButton.Save and not self.save()):
                event.ignore()
                return
        self.cancel_export()
        if self.prepared_export is not None:
            self.prepared_export.stop()
            self.prepared_export = None
        self.autosave.stop()
        self.recovery.discard(self.recovery_copy)
        self.session.release_lock()
        # The application's signal holds this window's method: without this a closed window,
        # every page it built, stays in memory until the app exits.
        QApplication.instance().focusChanged.disconnect(self._focus_changed)  # type: ignore[union-attr]
        event.accept()
        self.closed.emit(self)

    def saved_geometry(self) -> QByteArray:
        return self.saveGeometry()

    def saved_splitter_state(self) -> QByteArray:
        return self.main_splitter.saveState()


def _unexpected_save_error(path: Path, error: Exception) -> str:
    """A save that failed in a way no check foresaw: the user must hear of it, with the work still in
    the window (nothing is marked saved), rather than the app dying with it. Logged for the report
    to us."""
    logging.getLogger(__name__).error("saving %s failed", path, exc_info=error)
    return _("%(file)s: the assessment could not be saved (%(error)s). Your changes are still here, unsaved: "
             "try Save As to another folder") % {"file": path, "error": f"{type(error).__name__}: {str(error)[:200]}"}
