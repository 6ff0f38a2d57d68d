"""Exporting the PDF report in a separate process, so the window stays responsive and Cancel stops it.

A long report takes WeasyPrint many seconds of pure-Python layout; in a thread it would hold the
interpreter lock and make typing stutter, and it could not be interrupted. A child process (spawn,
which also works in frozen Windows and macOS apps) reads the saved draft, writes the PDF atomically
and reports its steps through a queue that a timer polls on the UI thread. The child is started
when the summary step opens (PreparedExport), so the 1.4 s of importing WeasyPrint and loading the
pack are spent while the user reads, not after they click Export.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import queue
import shutil
import tempfile
import traceback
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from .language import _

POLL_MS = 100


@dataclass(frozen=True)
class ExportChoice:
    """What the user chose on the summary step: the report's language and edition, and PDF/UA."""

    language: str = "en"
    edition: str = "filing"
    pdf_ua: bool = False
    # An approved version to report on, as approved (None: the working draft).
    version: int | None = None


def _serve(pack_path: str, scratch: str, jobs, messages) -> None:
    """Runs in the child process. It gets ready first (imports WeasyPrint, loads the form pack,
    registers the fonts: about 1.8 s) and only then waits for the one report it is asked for, so that a child started when the
    summary step opens is already laying out pages when the user clicks Export.

    Its temporary files (WeasyPrint copies the fonts to a temporary folder) go in `scratch`, which
    it removes when it ends; a child that is terminated (Cancel) leaves that to the parent."""
    tempfile.tempdir = scratch
    try:
        _serve_one(pack_path, jobs, messages)
    finally:
        from ..report.pdf import release

        release()
        shutil.rmtree(scratch, ignore_errors=True)


def _serve_one(pack_path: str, jobs, messages) -> None:
    try:
        from ..core.packs import load_pack
        from ..report import report_libraries
        from ..report.pdf import warm_up

        status = report_libraries()
        loaded = load_pack(Path(pack_path))
        warm_up()  # the bundled fonts registered and the style sheets parsed: 0.4 s more not waited for
        messages.put(("ready", status.warning))
    except Exception as error:  # noqa: BLE001 - the parent must hear about any failure
        _report_failure(error, messages)
        return
    job = jobs.get()
    if job is None:
        return  # the window closed without exporting
    _export(loaded, *job, messages=messages)


def _export(loaded, draft_path: str, target: str, language: str, edition: str, today: str, pdf_ua: bool, version: int | None,
            *, messages) -> None:
    """One report, from plain values (they cross the process boundary)."""
    try:
        from ..core import drafts
        from ..report import make_report

        source = Path(draft_path)
        data = source.read_bytes()
        opened = drafts.attach_pack(drafts.read_draft(source), loaded, source)
        # An approved version is reported as approved, concluded as on its day.
        approved = opened.assessment.approved_versions[version - 1] if version is not None else None
        made = make_report(loaded, opened.assessment, data, language, dt.date.fromisoformat(today),  # type: ignore[arg-type]
                           edition=edition, pdf_ua=pdf_ua, progress=lambda step: messages.put(("step", step)),  # type: ignore[arg-type]
                           approved=approved)
        messages.put(("step", "write"))
        drafts.write_atomically(Path(target), made.pdf, keep_backup=False)
        messages.put(("done", target))
    except Exception as error:  # noqa: BLE001 - the parent must hear about any failure
        _report_failure(error, messages)


def _report_failure(error: Exception, messages) -> None:
    from ..core.drafts import DraftError
    from ..report.libraries import MissingReportLibrary

    worded = isinstance(error, (OSError, DraftError, MissingReportLibrary))
    messages.put(("error", str(error) if worded else traceback.format_exc(limit=8)))


class PreparedExport:
    """An export child started ahead of time for one form pack, waiting for its report.

    Spawned, not forked: a fork of a Qt process is unsafe, and spawn is what a frozen app supports
    (the child is the app's own executable started again). One child makes one report; Cancel and a
    crash end it as they always did, and the next export prepares a new one.
    """

    def __init__(self, pack_path: Path):
        self.pack_path = pack_path
        context = multiprocessing.get_context("spawn")
        self.jobs = context.Queue()
        self.messages = context.Queue()
        self.scratch = Path(tempfile.mkdtemp(prefix="dpia-export-"))
        self.process = context.Process(target=_serve, name="dpia-report-export", daemon=True,
                                       args=(str(pack_path), str(self.scratch), self.jobs, self.messages))
        self.taken = False

    def start(self) -> None:
        if self.process.pid is None:
            self.process.start()

    def usable_for(self, pack_path: Path) -> bool:
        """Still waiting for a job, for this pack, and alive (or not started yet)."""
        alive = self.process.pid is None or self.process.is_alive()
        return not self.taken and self.pack_path == pack_path and alive

    def take(self, draft_path: Path, target: Path, choice: ExportChoice, today: dt.date) -> None:
        self.taken = True
        self.jobs.put((str(draft_path), str(target), choice.language, choice.edition, today.isoformat(), choice.pdf_ua, choice.version))
        self.start()

    def stop(self) -> None:
        """The window closes: a child waiting for its job is told there is none. One still getting
        ready ends on its own once ready, and so removes its temporary files (a terminated child
        would leave the folder its fonts were copied to). An export under way is Cancel's business."""
        if self.process.pid is None:
            self.discard_scratch()
            return
        if not self.process.is_alive() or self.taken:
            return
        self.jobs.put(None)

    def discard_scratch(self) -> None:
        """Remove the child's temporary folder once it has ended without doing so (terminated, crashed)."""
        shutil.rmtree(self.scratch, ignore_errors=True)


def step_text(step: str) -> str:
    """What the progress line says for a step reported by the child."""
    if step == "content":
        return _("Writing the report from the assessment…")
    kind, _sep, page = step.partition(":")
    if kind == "5" and page:
        return _("Laying out page %(page)s…") % {"page": page}
    if kind in ("1", "2", "3", "4"):
        return _("Preparing the layout…")
    return _("Writing the PDF file…")


class ReportExport(QObject):
    progressed = Signal(str)
    succeeded = Signal(object)  # Path of the finished PDF
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, draft_path: Path, pack_path: Path, target: Path, choice: ExportChoice,
                 today: dt.date, prepared: PreparedExport | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.target = target
        if prepared is None or not prepared.usable_for(pack_path):
            prepared = PreparedExport(pack_path)
        self.prepared = prepared
        self._job = (draft_path, target, choice, today)
        self.process, self.messages = prepared.process, prepared.messages
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self._poll)
        self.finished = False
        # Something that makes exports slow on this machine (the HarfBuzz subsetter is missing).
        self.warning = ""

    def start(self) -> None:
        self.progressed.emit(_("Starting…"))
        self.prepared.take(*self._job)
        self.timer.start()

    def _poll(self) -> None:
        if not self.finished:
            self._read_messages()
        # A finished child still takes a moment to exit (it frees the whole layout): reap it here,
        # on later ticks, instead of waiting for it and freezing the window.
        if self.finished and not self.process.is_alive():
            self.timer.stop()
            self.prepared.discard_scratch()

    def _read_messages(self) -> None:
        # Checked before reading: a child that had exited has written everything it will write.
        alive = self.process.is_alive()
        while True:
            try:
                kind, value = self.messages.get_nowait()
            except queue.Empty:
                break
            if kind == "step":
                self.progressed.emit(step_text(value))
            elif kind == "ready":
                self.warning = value or ""
            elif kind == "done":
                self.finished = True
                self.succeeded.emit(Path(value))
                return
            else:
                self.finished = True
                self.failed.emit(value)
                return
        if not alive:
            self.finished = True
            self.failed.emit(_("The export stopped unexpectedly (exit code %(code)s); no report was written.") % {"code": self.process.exitcode})

    def cancel(self) -> None:
        if self.finished:
            return
        self.finished = True
        self.timer.stop()
        self.process.terminate()
        # Ends at once (SIGTERM, TerminateProcess); the bounded wait only lets its folder be removed.
        self.process.join(timeout=2)
        if not self.process.is_alive():
            self.prepared.discard_scratch()
        self.process.join(5)
        _remove_partial_files(self.target)
        self.cancelled.emit()


def _remove_partial_files(target: Path) -> None:
    # write_atomically writes ".<name>.*.tmp" beside the target and renames it only when complete.
    for partial in target.parent.glob(f".{target.name}.*.tmp"):
        try:
            partial.unlink()
        except OSError:
            pass
