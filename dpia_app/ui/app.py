"""The application: start screen, assessment windows, opening files, recovery and language."""

from __future__ import annotations

import datetime as dt
import gc
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QFileOpenEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget

from .. import __version__
from ..core import draft_lock
from ..core.pack_headers import builtin_pack_headers, builtin_pack_paths
from ..core.recent_drafts import recent_drafts
from ..core.text import Language
from ..core.times import local_text
from ..core.yaml_source import DataFileError
from . import language
from .about import AboutDialog
from .bundled_resources import app_icon, install_interface_fonts
from .choice_box import ask_choice
from .language import _
from .preferences import APP_NAME, Preferences
from .recovery import RecoveryStore
from .start_screen import StartScreen

# The models, the packs and the assessment window are imported when an assessment is started or
# opened, not at start-up: building them takes longer than showing the start screen (issue 11).
if TYPE_CHECKING:
    from ..core.packs import LoadedPack
    from .assessment_window import AssessmentWindow
    from .session import AssessmentSession


class DesktopApp:
    """Owns the windows. Dialog functions are attributes so that tests can answer them."""

    def __init__(self, preferences: Preferences, recovery: RecoveryStore, today: Callable[[], dt.date] = dt.date.today):
        self.preferences = preferences
        self.recovery = recovery
        self.today = today
        self.windows: list[AssessmentWindow] = []  # noqa: F821 - imported lazily
        self.start: StartScreen | None = None
        self.quitting = False
        self.show_error: Callable[[str, str], None] = lambda title, text: QMessageBox.warning(self._parent(), title, text)
        self.ask_open_path: Callable[[str], Path | None] = self._ask_open_path
        self.ask_recover: Callable[[str], bool] = self._ask_recover
        self.ask_folder: Callable[[str], Path | None] = self._ask_folder
        self.portfolios: list[QWidget] = []
        # "read_only", "take_over" or "cancel" for a draft someone else has open for editing.
        self.ask_locked: Callable[[draft_lock.DraftLocked], str] = self._ask_locked
        # Called with every new window before it is shown (tests answer its dialogs here).
        self.configure_window: Callable[[AssessmentWindow], None] = lambda _window: None
        self._packs: dict[str, LoadedPack] | None = None

    @property
    def packs(self) -> dict[str, LoadedPack]:
        """The built-in form packs, loaded and validated the first time an assessment needs them.
        Raises DataFileError if one cannot be read (a damaged installation)."""
        if self._packs is None:
            from ..core.packs import load_builtin_pack

            self._packs = {pack_id: load_builtin_pack(pack_id) for pack_id in builtin_pack_paths()}
        return self._packs

    def _available_packs(self) -> dict[str, LoadedPack] | None:
        """The packs, or None after saying that the installation is damaged."""
        try:
            return self.packs
        except DataFileError as error:
            self.show_error(_("The installation is damaged"), _("A form pack of the app cannot be read. Reinstall the app.\n\n%(problem)s") % {"problem": error})
            return None

    def _parent(self) -> QWidget | None:
        return QApplication.activeWindow()

    # --- start screen -------------------------------------------------------------------------

    def show_start(self) -> StartScreen:
        if self.start is not None:
            self.start.close()
        recent = recent_drafts(self.preferences.recent_files(), self._packs_for_recent, self.today(), language.current())
        start = StartScreen(builtin_pack_headers(), recent)
        start.new_requested.connect(self.new_assessment)
        start.open_requested.connect(self.open_dialog)
        start.open_path_requested.connect(self.open_path)
        start.new_from_requested.connect(self.new_from_dialog)
        start.portfolio_requested.connect(self.open_portfolio)
        start.language_requested.connect(self.set_language)
        start.about_requested.connect(lambda: self.show_about(start))
        start.resize(760, 520)
        start.show()
        self.start = start
        return start

    # --- windows --------------------------------------------------------------------------------

    def _packs_for_recent(self) -> dict[str, LoadedPack]:
        try:
            return self.packs
        except DataFileError:
            return {}  # each recent draft then shows "form pack not available"; opening one says why

    def _window_for(self, session: AssessmentSession, recovery_copy: Path | None = None) -> AssessmentWindow:
        # Imported on first use: the start screen must come up fast, and it needs none of this.
        from .assessment_window import AssessmentWindow

        window = AssessmentWindow(session, self.recovery, remember=self.preferences.add_recent_file,
                                  splitter_state=self.preferences.geometry("assessment_splitter"), recovery_copy=recovery_copy)
        window.open_requested.connect(self.open_dialog)
        window.new_requested.connect(self.show_start)
        window.language_requested.connect(self.set_language)
        window.about_requested.connect(lambda: self.show_about(window))
        window.quit_requested.connect(self.quit)
        window.closed.connect(self._window_closed)
        self.configure_window(window)
        geometry = self.preferences.geometry("assessment")
        if geometry is None or not window.restoreGeometry(geometry):
            window.resize(1280, 820)
        window.show()
        self.windows.append(window)
        if self.start is not None:
            self.start.close()
            self.start = None
        _settle_long_lived_objects()
        return window

    def _window_closed(self, window: AssessmentWindow) -> None:
        self.preferences.set_geometry("assessment", window.saved_geometry())
        self.preferences.set_geometry("assessment_splitter", window.saved_splitter_state())
        if window.session.path is not None:
            self.preferences.set_last_step(window.session.path, window.current_step().key)
        if window in self.windows:
            self.windows.remove(window)
        if not self.windows and not self.quitting:
            self.show_start()

    def quit(self) -> bool:
        """File → Quit: close every window, each asking about unsaved work; Cancel in any stops it."""
        self.quitting = True
        for window in list(self.windows):
            if not window.close():
                self.quitting = False
                return False
        if self.start is not None:
            self.start.close()
            self.start = None
        QApplication.instance().quit()  # type: ignore[union-attr]
        return True

    def new_assessment(self, pack_id: str) -> AssessmentWindow | None:
        from ..core import drafts
        from .session import AssessmentSession

        packs = self._available_packs()
        if packs is None:
            return None
        loaded = packs[pack_id]
        return self._window_for(AssessmentSession(loaded, drafts.new_assessment(loaded), today=self.today))

    def open_dialog(self) -> AssessmentWindow | None:
        path = self.ask_open_path(_("Open draft"))
        return self.open_path(path) if path is not None else None

    def open_path(self, path: Path) -> AssessmentWindow | None:
        """Open a draft; a bad file gives a message saying what is wrong, and the app stays up."""
        from ..core import drafts
        from ..core.drafts import DraftError
        from ..presentation import draft_error_text
        from .session import AssessmentSession

        for window in self.windows:
            if window.session.path is not None and window.session.path.resolve() == Path(path).resolve():
                window.raise_()
                window.activateWindow()
                return window
        packs = self._available_packs()
        if packs is None:
            return None
        try:
            opened = drafts.read_draft(path)
            loaded = packs.get(opened.assessment.pack.id)
            if loaded is None:
                raise DraftError(path, "other_pack", _("it was made with form pack %(pack)s, which this app does not have") % {"pack": opened.assessment.pack.id})
            opened = drafts.attach_pack(opened, loaded, path)
        except DraftError as error:
            self.show_error(_("Cannot open the draft"), draft_error_text(error, language.current()))
            if error.code in ("not_found",):
                self.preferences.remove_recent_file(Path(path).resolve())
            return None
        lock, read_only = None, False
        if opened.kind == "assessment" and not opened.from_pdf:
            try:
                lock = draft_lock.acquire(Path(path))
            except draft_lock.DraftLocked as locked:
                choice = self.ask_locked(locked)
                if choice == "cancel":
                    return None
                if choice == "take_over":
                    lock = draft_lock.acquire(Path(path), take_over=True)
                read_only = choice == "read_only"
        # A draft restored from a report PDF is saved to a new .dpia; the PDF itself is never replaced.
        session = AssessmentSession(loaded, opened.assessment, path=None if opened.from_pdf else Path(path),
                                    kind=opened.kind, today=self.today, renamed=opened.renamed,
                                    file_sha256=None if opened.from_pdf else opened.file_sha256, lock=lock, read_only=read_only)
        if opened.replaced_characters:
            # The text differs from the file now: unsaved until saved, and the user knows why.
            session.replace_assessment(opened.assessment)
            self.show_error(_("Some characters were replaced"), language.n_(
                "%(file)s: %(count)d character that no file can hold (part of broken Unicode text) was replaced by “\ufffd”. "
                "Look for that sign in the answers and notes, correct the text, and save.",
                "%(file)s: %(count)d characters that no file can hold (parts of broken Unicode text) were replaced by “\ufffd”. "
                "Look for that sign in the answers and notes, correct the text, and save.",
                opened.replaced_characters) % {"file": path, "count": opened.replaced_characters})
        if opened.kind == "assessment" and not opened.from_pdf:
            self.preferences.add_recent_file(Path(path))
        window = self._window_for(session)
        if session.path is not None:
            window.go_to_step_key(self.preferences.last_step(session.path))
        return window

    def new_from_dialog(self) -> AssessmentWindow | None:
        from ..core import drafts
        from ..core.drafts import DraftError
        from ..presentation import draft_error_text
        from .session import AssessmentSession

        path = self.ask_open_path(_("New from template or draft"))
        if path is None:
            return None
        packs = self._available_packs()
        if packs is None:
            return None
        try:
            opened = drafts.read_draft(path)
            loaded = packs[opened.assessment.pack.id]
            opened = drafts.attach_pack(opened, loaded, path)
        except KeyError as error:
            self.show_error(_("Cannot open the draft"), _("%(file)s: it was made with form pack %(pack)s, which this app does not have") % {"file": path, "pack": error.args[0]})
            return None
        except DraftError as error:
            self.show_error(_("Cannot open the draft"), draft_error_text(error, language.current()))
            return None
        fresh = drafts.new_from(drafts.adopt_pack(opened.assessment, loaded), Path(path).name)
        return self._window_for(AssessmentSession(loaded, fresh, today=self.today))

    def open_portfolio(self, folder: Path | None = None) -> QWidget | None:
        """Every assessment under a folder, in a window of its own; a row opens its draft."""
        from .portfolio_window import PortfolioWindow

        folder = folder or self.ask_folder(_("Portfolio: choose the folder of the assessments"))
        if folder is None:
            return None

        def problem_text(error: Exception) -> str:
            from ..core.drafts import DraftError
            from ..presentation import draft_error_message

            return draft_error_message(error, language.current()) if isinstance(error, DraftError) else str(getattr(error, "strerror", None) or error)

        window = PortfolioWindow(folder, self._packs_for_recent, self.today(), problem_text)
        window.open_requested.connect(self.open_path)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.destroyed.connect(lambda _object=None, window=window: self.portfolios.remove(window) if window in self.portfolios else None)
        window.resize(1280, 720)
        window.show()
        self.portfolios.append(window)
        return window

    def _ask_folder(self, title: str) -> Path | None:
        name = QFileDialog.getExistingDirectory(self._parent(), title, str(Path.home()))
        return Path(name) if name else None

    def _ask_open_path(self, title: str) -> Path | None:
        from .assessment_window import OPEN_FILTER

        name, _filter = QFileDialog.getOpenFileName(self._parent(), title, str(Path.home()), OPEN_FILTER)
        return Path(name) if name else None

    def show_about(self, parent: QWidget | None = None) -> AboutDialog:
        # Window-modal and not exec(): the rest of the app keeps running, and tests need no answer.
        dialog = AboutDialog(self._packs_for_recent(), parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    # --- recovery -------------------------------------------------------------------------------

    def offer_recovery(self) -> list[AssessmentWindow]:
        """After a crash: offer each recovery copy; recovered work opens as unsaved changes."""
        windows = []
        pending, problems = self.recovery.pending()
        for problem in problems:
            self.show_error(_("A recovery copy cannot be read"), problem)
        for work in pending:
            label = work.assessment.metadata.title or (work.original.name if work.original else _("Untitled assessment"))
            if not self.ask_recover(_("Unsaved work on “%(title)s” from %(when)s was found. Recover it?") % {
                    "title": label, "when": local_text(work.saved_at)}):
                work.copy.unlink(missing_ok=True)
                continue
            packs = self._available_packs()
            if packs is None:
                break
            loaded = packs.get(work.assessment.pack.id)
            if loaded is None:
                self.show_error(_("Cannot recover"), _("it was made with form pack %(pack)s, which this app does not have") % {"pack": work.assessment.pack.id})
                continue
            from .session import AssessmentSession

            session = AssessmentSession(loaded, work.assessment, path=work.original, kind=work.kind, today=self.today)
            session.replace_assessment(work.assessment)  # marks it unsaved: it is not on disk yet
            windows.append(self._window_for(session, recovery_copy=work.copy))
        return windows

    def _ask_locked(self, locked: draft_lock.DraftLocked) -> str:
        holder = locked.holder
        if holder is None:
            who = _("Someone has this draft open for editing (the lock file beside it cannot be read).")
        else:
            who = _("%(user)s has this draft open for editing on %(machine)s since %(since)s.") % {
                "user": holder.user, "machine": holder.machine, "since": holder.since_local}
        if locked.stale:
            who += " " + _("That app is no longer running on this computer: it probably closed without releasing the draft.")
        return ask_choice(self._parent(), QMessageBox.Icon.Information, _("Draft in use"), who + "\n\n" + _(
            "Open it read-only (changes can be saved as a copy), or take it over if you are sure nobody is editing it: "
            "their unsaved changes could otherwise be lost."), ("read_only", _("Open &read-only")), ("take_over", _("&Take over")))

    def _ask_recover(self, text: str) -> bool:
        answer = QMessageBox.question(self._parent(), _("Recover unsaved work"), text,
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes)
        return answer == QMessageBox.StandardButton.Yes

    # --- language -------------------------------------------------------------------------------

    def set_language(self, code: str) -> None:
        if code not in ("en", "zh-Hans") or code == language.current():
            return
        lang: Language = code  # type: ignore[assignment]
        self.preferences.language = lang
        language.apply(lang)
        for window in self.windows:
            window.rebuild()
        if self.start is not None:
            self.show_start()


class FileOpenHandler(QObject):
    """Opens the files that macOS Finder sends as QFileOpenEvents (double-click, drop on the Dock icon).

    Finder does not put a double-clicked document in argv: it asks the running application, which
    Qt turns into a FileOpen event. The one for the document that launched the app may come before
    the app has its packs loaded, so until `attach` files wait in `pending`.
    """

    def __init__(self, app: QApplication):
        super().__init__(app)
        self.desktop: DesktopApp | None = None
        self.pending: list[Path] = []
        app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.FileOpen and isinstance(event, QFileOpenEvent) and event.file():
            self.open(Path(event.file()))
            return True
        return False

    def open(self, path: Path) -> None:
        if self.desktop is None:
            self.pending.append(path)
        else:
            self.desktop.open_path(path)

    def attach(self, desktop: DesktopApp) -> None:
        self.desktop = desktop
        pending, self.pending = self.pending, []
        for path in pending:
            desktop.open_path(path)


def launch(desktop: DesktopApp, file_opener: FileOpenHandler, files: list[Path]) -> None:
    """Offer recovery, open the files asked for, and show the start screen only if nothing opened."""
    desktop.offer_recovery()
    for path in files:
        desktop.open_path(path)
    # Delivers a FileOpen event Finder has already posted, so a double-clicked document opens
    # without the start screen flashing up first; one that comes later opens over the start screen.
    QApplication.processEvents()
    file_opener.attach(desktop)
    if not desktop.windows:
        desktop.show_start()


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    QApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    app = QApplication(argv)
    # Before anything can run an event loop (a message box): Finder's document may come at once.
    file_opener = FileOpenHandler(app)
    app.setApplicationName("DPIA")
    app.setApplicationVersion(__version__)
    # Wayland compositors find the window's icon through the .desktop file of this name.
    app.setDesktopFileName(APP_NAME)
    if sys.platform != "darwin":
        # macOS windows have no icon, and the Dock shows the bundle's .icns, drawn with Apple's margin.
        app.setWindowIcon(app_icon())
    # Fusion follows the system's light or dark palette on every platform; the native Windows
    # "Aero" wizard look is known to break dark mode.
    app.setStyle("Fusion")
    install_interface_fonts(app)
    preferences = Preferences()
    language.apply(preferences.language or language.system_language())
    desktop = DesktopApp(preferences, RecoveryStore())
    # Report PDFs carry their draft, so they open too (as unsaved work).
    launch(desktop, file_opener, [Path(arg) for arg in argv[1:] if arg.lower().endswith((".dpia", ".pdf"))])
    return app.exec()


def _settle_long_lived_objects() -> None:
    """Exempt the form pack and the open window from future garbage collections.

    The pack is some hundred thousand immutable objects that live as long as the app; with them in
    the oldest generation, each full collection took 60-100 ms and landed on a random keystroke.
    Collected once here (while a window opens, not while typing), then frozen, later collections
    only walk what was created since. The price: reference cycles among frozen objects that
    become garbage later stay in memory until the app exits (a closed window's widgets are still
    freed: the window deletes itself on close).
    """
    gc.collect()
    gc.freeze()
