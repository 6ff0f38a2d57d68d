"""Memory a wizard window leaves behind once closed: opens S2, visits steps, closes, N times over.

    .venv/bin/python bench/window_memory.py [--windows 20] [--steps all|sections|none]

Driven by the real event loop (QTimer, app.exec()), so closed windows are deleted as in the app.
Prints resident memory after each window and the growth per window after the first few (which
warm caches: fonts, the parse of the pack, the models). Budget: under 1 MB per window; a person may
open dozens of drafts in one session. Linux only (reads /proc/self/statm). Runs headless
(QT_QPA_PLATFORM=offscreen) unless a display is set.

Measured 2026-12-03 (PySide6 6.11.3): about 9.5 MB per window with every step visited, 10 MB with
the section steps only, 2.4 MB with none; the Python side stays flat, so the growth is native
memory (see the closing note of issue 13). Not part of bench/run.py until it meets its budget.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

BUDGET_MB = 1.0
WARM_UP = 3


def resident_mb() -> float:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--windows", type=int, default=20)
    parser.add_argument("--steps", choices=["all", "sections", "none"], default="all")
    args = parser.parse_args()

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from dpia_app.ui.app import DesktopApp
    from dpia_app.ui.preferences import Preferences
    from dpia_app.ui.recovery import RecoveryStore

    app = QApplication.instance() or QApplication([])
    folder = Path(tempfile.mkdtemp(prefix="dpia-window-memory-"))
    desktop = DesktopApp(Preferences(folder / "config"), RecoveryStore(folder / "recovery"), today=lambda: dt.date(2026, 12, 3))
    example = ROOT / "examples" / "s2-mall-vip-recognition.dpia"
    figures: list[float] = []
    state: dict[str, object] = {"window": None}

    def step() -> None:
        window = state["window"]
        if window is None:
            window = desktop.open_path(example)
            window.prepare_export = lambda: None  # the summary step's export process is not what this measures
            window.ask_unsaved = lambda: QMessageBox.StandardButton.Discard
            for row, shown in enumerate(window.steps):
                if args.steps == "all" or (args.steps == "sections" and shown.section is not None):
                    window.go_to_step(row)
            state["window"] = window
        else:
            window.close()  # deleted by the event loop before the next step (WA_DeleteOnClose)
            state["window"] = None
            gc.collect()
            figures.append(resident_mb())
            print(f"window {len(figures):>3}: {figures[-1]:7.1f} MB", flush=True)
            if len(figures) >= args.windows:
                app.quit()
                return
        QTimer.singleShot(20, step)

    QTimer.singleShot(0, step)
    app.exec()
    growth = (figures[-1] - figures[WARM_UP - 1]) / (len(figures) - WARM_UP)
    ok = growth < BUDGET_MB
    print(f"steps visited: {args.steps}; after the first {WARM_UP} windows: {growth:.2f} MB per window "
          f"(budget < {BUDGET_MB:.0f} MB)  {'ok' if ok else 'OVER BUDGET'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
