"""Exporting the PDF report in a separate process, so the window stays responsive and Cancel stops it.

A long report takes WeasyPrint many seconds of pure-Python layout; in a thread it would hold the
interpreter lock and make typing stutter, and it could not be interrupted. A child process (spawn,
which also works in frozen Windows and macOS apps) reads the saved draft, writes the PDF atomically
and reports its steps through a queue that a timer polls on the UI thread.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import queue
import traceback
from multiprocessing.process import BaseProcess
from multiprocessing.queues import Queue
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from .language import _

POLL_MS = 100


def _export(draft_path: str, pack_path: str, target: str, language: str, today: str, pdf_ua: bool, messages) -> None:
    """Runs in the child process: everything it needs arrives as plain values."""
    try:
        from ..core import drafts
        from ..core.packs import load_pack
        from ..report import make_report, report_libraries

        status = report_libraries()
        if status.warning:
            messages.put(("warning", status.warning))
        source = Path(draft_path)
        data = source.read_bytes()
        opened = drafts.read_draft(source)
        loaded = load_pack(Path(pack_path))
        opened = drafts.attach_pack(opened, loaded, source)
        made = make_report(loaded, opened.assessment, data, language, dt.date.fromisoformat(today),  # type: ignore[arg-type]
                           pdf_ua=pdf_ua, progress=lambda step: messages.put(("step", step)))
        messages.put(("step", "write"))
        drafts.write_atomically(Path(target), made.pdf, keep_backup=False)
        messages.put(("done", target))
    except Exception as error:  # noqa: BLE001 - the parent must hear about any failure
        from ..core.drafts import DraftError
        from ..report.libraries import MissingReportLibrary

        worded = isinstance(error, (OSError, DraftError, MissingReportLibrary))
        messages.put(("error", str(error) if worded else traceback.format_exc(limit=8)))


def export_process(draft_path: Path, pack_path: Path, target: Path, language: str, today: dt.date,
                   pdf_ua: bool = False) -> tuple[BaseProcess, Queue]:
    """The export's child process, not yet started, and the queue it reports on.

    Spawned, not forked: a fork of a Qt process is unsafe, and spawn is what a frozen app supports
    (the child is the app's own executable started again). Also used by the self-test.
    """
    context = multiprocessing.get_context("spawn")
    messages = context.Queue()
    process = context.Process(target=_export, name="dpia-report-export", daemon=True,
                              args=(str(draft_path), str(pack_path), str(target), language, today.isoformat(), pdf_ua, messages))
    return process, messages


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

    def __init__(self, draft_path: Path, pack_path: Path, target: Path, language: str,
                 today: dt.date, pdf_ua: bool = False, parent: QObject | None = None):
        super().__init__(parent)
        self.target = target
        self.process, self.messages = export_process(draft_path, pack_path, target, language, today, pdf_ua)
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self._poll)
        self.finished = False
        # Something that makes exports slow on this machine (the HarfBuzz subsetter is missing).
        self.warning = ""

    def start(self) -> None:
        self.progressed.emit(_("Starting…"))
        self.process.start()
        self.timer.start()

    def _poll(self) -> None:
        if not self.finished:
            self._read_messages()
        # A finished child still takes a moment to exit (it frees the whole layout): reap it here,
        # on later ticks, instead of waiting for it and freezing the window.
        if self.finished and not self.process.is_alive():
            self.timer.stop()

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
            elif kind == "warning":
                self.warning = value
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
