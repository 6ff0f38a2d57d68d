"""`dpia-app --self-test` and `dpia --self-test`: check that this installation works, and say so in one line.

Meant for the installed (frozen) app, so it uses only what the app itself ships: the built-in form
packs, the examples (package data dpia_app.examples), WeasyPrint with the bundled Pango, HarfBuzz
and fonts, and Qt's offscreen platform. It never reads the working directory, never writes next to
the executable (installed folders are read-only for users) and never touches the user's settings,
recent files or recovery copies: what it writes goes to temporary folders that it removes.

Steps, each reported even when an earlier one failed:
  pack      the built-in form packs load
  examples  the three examples give the verdicts of the design's scenarios
  PDF       a bilingual report renders; every font is embedded and bundled; the Chinese text reads back
  HarfBuzz  the fonts were subset by HarfBuzz's subsetter, not by WeasyPrint's slow fontTools fallback
  window    the start screen and an assessment window open offscreen and close
  export    the wizard's export process (a spawned child process, as the Export button starts) writes a PDF

Exit status 0 when every step passed, 1 otherwise.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.resources
import io
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

EXIT_OK = 0
EXIT_FAILED = 1

PACK_ID = "cn-frt-2025"
# The date the examples were written for (tests/conftest.py evaluates them on it): their filing
# deadlines and review dates are worked out from it, so the verdicts do not drift with the calendar.
EXAMPLES_TODAY = dt.date(2026, 11, 20)
# The quickest bilingual example (bench/report.py: S1 has the fewest pages); bilingual so that the
# Chinese font, the Chinese text and the English beside it are all exercised.
PDF_EXAMPLE = "s1-office-turnstiles.dpia"
WINDOW_EXAMPLE = "s2-mall-vip-recognition.dpia"
# The export-process step proves the child process starts and writes; English S1 is the quickest.
EXPORT_EXAMPLE = "s1-office-turnstiles.dpia"
EXPORT_TIMEOUT_SECONDS = 180
PREFIX = "dpia self-test"


@dataclass(frozen=True)
class Expected:
    """What tests/test_examples.py requires of an example, reduced to what a broken install would change."""

    file: str
    outcomes: tuple[str, ...]
    filing_required: bool


EXPECTED = (
    Expected("s1-office-turnstiles.dpia", ("may_proceed", "proceed_with_conditions"), filing_required=False),
    Expected("s2-mall-vip-recognition.dpia", ("must_not_proceed",), filing_required=True),
    Expected("s3-gym-entry-with-children.dpia", ("must_not_proceed",), filing_required=True),
)


class StepFailed(Exception):
    """A check did not hold; `reason` goes into the summary line, `details` below it."""

    def __init__(self, reason: str, details: list[str] | tuple[str, ...] = ()):
        super().__init__(reason)
        self.reason = reason
        self.details = tuple(details)


@dataclass(frozen=True)
class Step:
    name: str
    ok: bool
    said: str  # what passed, for the summary line; or why it failed
    details: tuple[str, ...] = ()


# --- entry points ---------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """`dpia-app --self-test [--self-test-output FILE]`; argv without the program name."""
    reach_a_console()  # first: argparse's own errors must have somewhere to go
    parser = argparse.ArgumentParser(prog="dpia-app", add_help=False)
    parser.add_argument("--self-test", action="store_true")
    parser.add_argument("--self-test-output", type=Path, default=None)
    # The desktop app may be handed other arguments (a file, macOS's -psn_...): they do not matter here.
    options, _others = parser.parse_known_args(sys.argv[1:] if argv is None else argv)
    return run_and_report(options.self_test_output)


def run_and_report(output: Path | None = None) -> int:
    """Run every step, print the summary (and write it to `output`), return the exit status."""
    use_offscreen_qt()
    reach_a_console()
    started = time.perf_counter()
    steps = SelfTest().run()
    lines = report_lines(steps, time.perf_counter() - started)
    written = emit(lines, output)
    return EXIT_OK if written and all(step.ok for step in steps) else EXIT_FAILED


def use_offscreen_qt() -> None:
    # Set before Qt is imported: the window step needs no display and must not flash a window.
    # A Qt that is already loaded (the tests') keeps the platform it started with.
    if "PySide6.QtGui" not in sys.modules:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"


def reach_a_console() -> None:
    """Give print() somewhere to go when the app has no console (Windows' windowed executable).

    There sys.stdout and sys.stderr are None. Started from a console (`start /wait dpia-app.exe
    --self-test`), attaching to the parent's console shows the result there; otherwise output is
    dropped and only --self-test-output and the exit status carry it.
    """
    if sys.stdout is not None and sys.stderr is not None:
        _replace_unprintable()
        return
    stream = _parent_console() or open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives as long as the process
    sys.stdout = sys.stdout or stream
    sys.stderr = sys.stderr or stream


def _parent_console() -> io.TextIOBase | None:
    if sys.platform != "win32":
        return None
    import ctypes

    attach_parent_process = ctypes.c_uint32(0xFFFFFFFF)  # ATTACH_PARENT_PROCESS, (DWORD)-1
    if not ctypes.windll.kernel32.AttachConsole(attach_parent_process):  # type: ignore[attr-defined]
        return None
    try:
        # Python writes "CONOUT$" through the console's wide-character API: UTF-8 here is right.
        return open("CONOUT$", "w", encoding="utf-8", errors="replace")  # noqa: SIM115
    except OSError:
        return None


def _replace_unprintable() -> None:
    # A console in a legacy code page cannot print the summary's dash or Chinese; replace, not crash.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")


def emit(lines: list[str], output: Path | None) -> bool:
    """Print the lines and write them to `output`; False if the file could not be written."""
    print("\n".join(lines), flush=True)
    if output is None:
        return True
    try:
        output.write_text("\n".join(lines) + "\n", encoding="utf-8")
    except OSError as error:
        print(f"{PREFIX}: cannot write {output}: {error.strerror or error}", file=sys.stderr, flush=True)
        return False
    return True


# --- the summary ----------------------------------------------------------------------------


def report_lines(steps: list[Step], seconds: float) -> list[str]:
    """One summary line; on failure, each failed step's reason and details on the lines after it."""
    failed = [step for step in steps if not step.ok]
    if not failed:
        return [f"{PREFIX}: OK — {', '.join(step.said for step in steps)} — {installation()}, {seconds:.1f} s"]
    lines = [f"{PREFIX}: FAILED — {'; '.join(f'{step.name}: {step.said}' for step in failed)}"]
    for step in failed:
        details = [detail for detail in step.details if detail != step.said]
        if details:
            lines.append(f"  {step.name}:")
            lines.extend(f"    {detail}" for detail in details)
    passed = [step.said for step in steps if step.ok]
    if passed:
        lines.append(f"  passed: {', '.join(passed)}")
    lines.append(f"  {installation()}, {seconds:.1f} s")
    return lines


def installation() -> str:
    from . import __version__

    return f"{__version__} {'frozen' if getattr(sys, 'frozen', False) else 'not frozen'}"


# --- the steps ------------------------------------------------------------------------------


@dataclass
class Rendered:
    """A report made by the PDF step, kept for the HarfBuzz step."""

    pdf: bytes
    seconds: float
    subsetting: SubsetterWatch


@dataclass
class SelfTest:
    pack: Any = None  # the LoadedPack, once the pack step has it
    rendered: Rendered | None = None
    # Looked up when a self-test starts, so that a test can make an expectation wrong and see it fail.
    expected: tuple[Expected, ...] = field(default_factory=lambda: EXPECTED)

    def run(self) -> list[Step]:
        checks: list[tuple[str, Callable[[], str]]] = [
            ("pack", self.check_pack),
            ("examples", self.check_examples),
            ("PDF", self.check_pdf),
            ("HarfBuzz", self.check_subsetter),
            ("window", self.check_window),
            ("export", self.check_export_process),
        ]
        return [run_step(name, check) for name, check in checks]

    def check_pack(self) -> str:
        from .core.packs import builtin_pack_paths, load_builtin_pack

        packs = {pack_id: load_builtin_pack(pack_id) for pack_id in builtin_pack_paths()}
        if PACK_ID not in packs:
            raise StepFailed(f"the built-in form pack {PACK_ID} is missing (found: {', '.join(packs) or 'none'})")
        self.pack = packs[PACK_ID]
        return ", ".join(f"pack {loaded.id} {loaded.version}" for loaded in packs.values())

    def check_examples(self) -> str:
        problems = [problem for expected in self.expected for problem in self._example_problems(expected)]
        if problems:
            raise StepFailed(problems[0], problems)
        return f"{len(self.expected)} examples"

    def _example_problems(self, expected: Expected) -> list[str]:
        from .core.evaluation import evaluate

        with opened_example(expected.file, self._pack()) as (_data, assessment):
            evaluation = evaluate(self._pack(), assessment, EXAMPLES_TODAY)
        return verdict_problems(expected, evaluation)

    def check_pdf(self) -> str:
        from pypdf import PdfReader

        from .report.pdf_fonts import font_problems, fonts_in_pdf

        made = self._render()
        reader = PdfReader(io.BytesIO(self._rendered().pdf))
        fonts = fonts_in_pdf(reader)
        problems = font_problems(fonts) + cover_text_problems(reader, made.report.verdict_label)
        if made.refused:
            problems.append(f"the renderer was asked for addresses outside the app: {', '.join(made.refused)}")
        if not fonts:
            problems.append("the PDF uses no fonts at all")
        if problems:
            raise StepFailed(problems[0], problems)
        return f"bilingual PDF {len(reader.pages)} pages in {self._rendered().seconds:.1f} s ({len(fonts)} bundled fonts embedded)"

    def _render(self) -> Any:
        """Render the PDF example into a temporary folder and read it back from there."""
        from .report import make_report

        watch = SubsetterWatch()
        with opened_example(PDF_EXAMPLE, self._pack()) as (data, assessment), \
                tempfile.TemporaryDirectory(prefix="dpia-self-test-", ignore_cleanup_errors=True) as folder:
            started = time.perf_counter()
            with watch:
                made = make_report(self._pack(), assessment, data, "bilingual", EXAMPLES_TODAY)
            seconds = time.perf_counter() - started
            path = Path(folder) / "self-test-report.pdf"
            path.write_bytes(made.pdf)
            self.rendered = Rendered(path.read_bytes(), seconds, watch)
        return made

    def check_subsetter(self) -> str:
        from .report.libraries import report_libraries

        status = report_libraries()
        if not status.available:
            raise StepFailed(status.problem)
        from weasyprint.text import ffi

        if ffi.harfbuzz_subset is None:
            raise StepFailed("HarfBuzz's subsetter (libharfbuzz-subset) is not loaded: reports fall back to fontTools, many times slower")
        problems = self._rendered().subsetting.problems()
        if problems:
            raise StepFailed(problems[0], problems)
        return f"HarfBuzz subsetter used ({self._rendered().subsetting.harfbuzz_calls} fonts)"

    def check_window(self) -> str:
        with tempfile.TemporaryDirectory(prefix="dpia-self-test-", ignore_cleanup_errors=True) as folder, \
                environment("DPIA_APP_CONFIG_DIR", folder):
            return open_and_close_windows(Path(folder))

    def check_export_process(self) -> str:
        """The wizard exports in a spawned child process; in a frozen app that child is the app's own
        executable started again, which only works if the bundle lets it through freeze_support."""
        from .core.packs import builtin_pack_paths

        with example_path(EXPORT_EXAMPLE) as draft, \
                tempfile.TemporaryDirectory(prefix="dpia-self-test-", ignore_cleanup_errors=True) as folder:
            target = Path(folder) / "exported.pdf"
            started = time.perf_counter()
            outcome = run_export_process(draft, builtin_pack_paths()[PACK_ID], target)
            seconds = time.perf_counter() - started
            if outcome[0] != "done":
                raise StepFailed(f"the export process failed: {outcome[1].strip().splitlines()[-1] if outcome[1].strip() else outcome[0]}",
                                 outcome[1].splitlines())
            from pypdf import PdfReader

            pages = len(PdfReader(target).pages)
        return f"export process wrote {pages} pages in {seconds:.1f} s"

    def _pack(self) -> Any:
        if self.pack is None:
            raise StepFailed("no form pack (see the pack step)")
        return self.pack

    def _rendered(self) -> Rendered:
        if self.rendered is None:
            raise StepFailed("no PDF was made (see the PDF step)")
        return self.rendered


def run_step(name: str, check: Callable[[], str]) -> Step:
    """A check's result; any exception is a failure of this step only, with its traceback as details."""
    try:
        return Step(name, True, check())
    except StepFailed as failure:
        return Step(name, False, failure.reason, failure.details)
    except Exception as error:  # noqa: BLE001 - a broken installation fails in ways no one listed
        return Step(name, False, f"{type(error).__name__}: {error}", tuple(traceback.format_exc().rstrip().splitlines()))


# --- examples -------------------------------------------------------------------------------


@contextmanager
def example_path(file: str) -> Iterator[Path]:
    """An example's path, found in the package (never the working directory)."""
    resource = importlib.resources.files("dpia_app.examples") / file
    if not resource.is_file():
        raise StepFailed(f"the example {file} is not in this installation")
    # as_file: a real path even if the package data sits in an archive.
    with importlib.resources.as_file(resource) as path:
        yield path


@contextmanager
def opened_example(file: str, pack: Any) -> Iterator[tuple[bytes, Any]]:
    """An example's bytes and its assessment."""
    from .core.drafts import read_draft

    with example_path(file) as path:
        yield path.read_bytes(), read_draft(path, pack).assessment


def verdict_problems(expected: Expected, evaluation: Any) -> list[str]:
    problems = []
    if evaluation.missing_required or evaluation.verdict.provisional:
        problems.append(f"{expected.file}: the example is incomplete for this pack ({len(evaluation.missing_required)} required answers missing)")
    if evaluation.verdict.outcome not in expected.outcomes:
        problems.append(f"{expected.file}: verdict {evaluation.verdict.outcome}, expected {' or '.join(expected.outcomes)}")
    filing_required = any(filing.state == "required" for filing in evaluation.filing)
    if filing_required != expected.filing_required:
        problems.append(f"{expected.file}: filing duty {'found' if filing_required else 'not found'}, expected {'one' if expected.filing_required else 'none'}")
    return problems


def run_export_process(draft: Path, pack: Path, target: Path) -> tuple[str, str]:
    """Run the wizard's own export process (ui/report_export.py) to its end; its last word.

    Returns ("done", path) or ("error", message), or ("timeout"/"exited", details) when the child
    never said either.
    """
    import queue

    from .ui.report_export import ExportChoice, PreparedExport

    # The wizard's own path: a prepared child given its job (kept referenced while it runs: its
    # queues live in this object).
    prepared = PreparedExport(pack)
    prepared.take(draft, target, ExportChoice("en"), EXAMPLES_TODAY)
    child, messages = prepared.process, prepared.messages
    deadline = time.monotonic() + EXPORT_TIMEOUT_SECONDS
    try:
        while time.monotonic() < deadline:
            try:
                kind, value = messages.get(timeout=0.5)
            except queue.Empty:
                if not child.is_alive() and messages.empty():
                    return ("exited", f"the export process ended (exit code {child.exitcode}) without a result")
                continue
            if kind in ("done", "error"):
                return (kind, str(value))
        return ("timeout", f"no result from the export process within {EXPORT_TIMEOUT_SECONDS} s")
    finally:
        child.join(10)
        if child.is_alive():
            child.kill()
            child.join(5)


# --- the PDF --------------------------------------------------------------------------------


def cover_text_problems(reader: Any, verdict: Any) -> list[str]:
    """The cover's text must give back the verdict in Chinese and in English (fonts map to Unicode)."""
    text = squash(reader.pages[0].extract_text() or "")
    problems = []
    if not any("\u4e00" <= character <= "\u9fff" for character in verdict.main):
        problems.append(f"the report's main language is not Chinese (verdict {verdict.main!r})")
    for label in (verdict.main, verdict.second or ""):
        if not label or squash(label) not in text:
            problems.append(f"the verdict {label!r} does not read back from the cover page: {text[:120]!r}")
    return problems


def squash(text: str) -> str:
    # Extracted text breaks lines anywhere (Chinese has no spaces): compare without whitespace.
    return "".join(text.split())


@dataclass
class SubsetterWatch:
    """Observes which subsetter WeasyPrint uses while a report is written, without changing what it does.

    Why this is sound evidence (WeasyPrint 70, weasyprint/pdf/fonts.py): `Font.subset()` is the only
    place fonts are subset, and it calls exactly one of two methods: `_harfbuzz_subset` when the
    HarfBuzz subsetter library was loaded (and is at least 4.1), otherwise `_fonttools_subset`
    (with a warning). `_harfbuzz_subset` assigns a new `file_content` only when hb_subset_or_fail
    returned a face with data; when HarfBuzz fails it keeps the whole font and logs a warning. So:
    at least one call to `_harfbuzz_subset`, every call replacing the font program, and no call to
    `_fonttools_subset` means every embedded font went through HarfBuzz's subsetter. The wrappers
    call the original methods with the same arguments and return what they return; they are
    installed on the class for the duration of one render only. If a WeasyPrint upgrade renames
    the methods, the watch cannot be installed and the step fails rather than passing unseen.
    """

    harfbuzz_calls: int = 0
    harfbuzz_replaced: int = 0
    fonttools_calls: int = 0
    error: str = ""
    _originals: dict[str, Callable[..., Any]] = field(default_factory=dict)

    def __enter__(self) -> SubsetterWatch:
        try:
            from weasyprint.pdf.fonts import Font
        except ImportError as error:
            self.error = f"cannot observe WeasyPrint's subsetting: {error}"
            return self
        missing = [name for name in ("_harfbuzz_subset", "_fonttools_subset") if not callable(getattr(Font, name, None))]
        if missing:
            self.error = f"cannot observe WeasyPrint's subsetting: its Font class has no {', '.join(missing)} (another WeasyPrint version?)"
            return self
        self._originals = {"_harfbuzz_subset": Font._harfbuzz_subset, "_fonttools_subset": Font._fonttools_subset}
        Font._harfbuzz_subset = self._watch_harfbuzz(self._originals["_harfbuzz_subset"])
        Font._fonttools_subset = self._watch_fonttools(self._originals["_fonttools_subset"])
        return self

    def __exit__(self, *exc: object) -> None:
        if self._originals:
            from weasyprint.pdf.fonts import Font

            for name, original in self._originals.items():
                setattr(Font, name, original)
            self._originals = {}

    def _watch_harfbuzz(self, original: Callable[..., Any]) -> Callable[..., Any]:
        def watched(font: Any, *args: Any, **kwargs: Any) -> Any:
            before = font.file_content
            result = original(font, *args, **kwargs)
            self.harfbuzz_calls += 1
            self.harfbuzz_replaced += font.file_content is not before
            return result

        return watched

    def _watch_fonttools(self, original: Callable[..., Any]) -> Callable[..., Any]:
        def watched(font: Any, *args: Any, **kwargs: Any) -> Any:
            self.fonttools_calls += 1
            return original(font, *args, **kwargs)

        return watched

    def problems(self) -> list[str]:
        if self.error:
            return [self.error]
        problems = []
        if self.fonttools_calls:
            problems.append(f"{self.fonttools_calls} fonts were subset with fontTools instead of HarfBuzz")
        if not self.harfbuzz_calls and not self.fonttools_calls:
            problems.append("no font was subset while the report was written")
        if self.harfbuzz_replaced < self.harfbuzz_calls:
            problems.append(f"HarfBuzz failed to subset {self.harfbuzz_calls - self.harfbuzz_replaced} of {self.harfbuzz_calls} fonts (embedded whole)")
        return problems


# --- the window -----------------------------------------------------------------------------


@contextmanager
def environment(name: str, value: str) -> Iterator[None]:
    """Set an environment variable for a block, then put back what was there."""
    before = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = before


def open_and_close_windows(folder: Path) -> str:
    """The start screen and an example's assessment window, opened offscreen and closed again.

    Settings and recovery copies go to `folder`, so the user's recent files, window positions and
    unsaved work are never touched; no dialog may block (an error is collected instead).
    """
    from PySide6.QtWidgets import QApplication

    from .ui.app import DesktopApp
    from .ui.preferences import Preferences
    from .ui.recovery import RecoveryStore

    app = QApplication.instance() or _offscreen_application()
    errors: list[str] = []
    desktop = DesktopApp(Preferences(folder / "config"), RecoveryStore(folder / "state"), today=lambda: EXAMPLES_TODAY)
    desktop.show_error = lambda title, text: errors.append(f"{title}: {text}")
    desktop.ask_recover = lambda _text: False
    desktop.configure_window = lambda window: _never_block(window, errors)
    with qt_messages() as messages:
        try:
            shown = _show_windows(desktop, app)
        finally:
            errors += _close_windows(desktop, app)
    if errors:
        raise StepFailed(errors[0], errors + [f"Qt: {message}" for message in messages])
    return shown


@contextmanager
def qt_messages() -> Iterator[list[str]]:
    """Qt's own messages during a block, kept for a failure's details instead of printed.

    The offscreen platform says "This plugin does not support propagateSizeHints()" for every
    window, which would bury the one summary line.
    """
    from PySide6.QtCore import qInstallMessageHandler

    messages: list[str] = []
    previous = qInstallMessageHandler(lambda _kind, _context, message: messages.append(message))
    try:
        yield messages
    finally:
        qInstallMessageHandler(previous)


def _offscreen_application() -> Any:
    from PySide6.QtWidgets import QApplication

    # Qt ends the whole process when its platform plugin is missing, which would lose every
    # step's result: look for it first and fail this step alone.
    folders = offscreen_plugin_folders()
    if not any(next(folder.glob("*qoffscreen*"), None) for folder in folders if folder.is_dir()):
        raise StepFailed("Qt's offscreen platform plugin is not in this installation",
                         [f"looked in {folder}" for folder in folders])
    return QApplication([sys.argv[0] if sys.argv else "dpia"])


def offscreen_plugin_folders() -> list[Path]:
    """Where Qt will look for platform plugins: its own plugin folder and any the environment adds."""
    from PySide6.QtCore import QCoreApplication, QLibraryInfo

    plugin_folders = [QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath), *QCoreApplication.libraryPaths(),
                      *os.environ.get("QT_PLUGIN_PATH", "").split(os.pathsep)]
    folders = [Path(folder) / "platforms" for folder in plugin_folders if folder]
    if os.environ.get("QT_QPA_PLATFORM_PLUGIN_PATH"):
        folders.append(Path(os.environ["QT_QPA_PLATFORM_PLUGIN_PATH"]))
    return list(dict.fromkeys(folders))


def _show_windows(desktop: Any, app: Any) -> str:
    start = desktop.show_start()
    app.processEvents()
    if not start.isVisible():
        raise StepFailed("the start screen did not show")
    with example_path(WINDOW_EXAMPLE) as path:
        window = desktop.open_path(path)
        app.processEvents()
        if window is None or not window.isVisible():
            raise StepFailed(f"the assessment window for {WINDOW_EXAMPLE} did not show")
    return "window opened"


def _never_block(window: Any, errors: list[str]) -> None:
    from PySide6.QtWidgets import QMessageBox

    window.ask_unsaved = lambda: QMessageBox.StandardButton.Discard
    window.show_error = lambda text: errors.append(text)


def _close_windows(desktop: Any, app: Any) -> list[str]:
    """Close every window the step opened; what would not close."""
    from PySide6.QtCore import QEvent

    for window in list(desktop.windows):
        window.close()  # the app then shows the start screen again, closed below
    if desktop.start is not None:
        desktop.start.close()
        desktop.start = None
    # Closed windows delete themselves: let that happen before the temporary settings folder goes.
    app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    app.processEvents()
    return [f"{len(desktop.windows)} assessment window(s) did not close"] if desktop.windows else []
