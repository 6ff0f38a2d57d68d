"""Benchmark of the wizard's export: the wait after clicking Export, with a cold child and with the
child prepared when the summary step opened (ui/report_export.PreparedExport).

    .venv/bin/python bench/export.py [--lang en] [--edition filing]

Prints, for S2, the seconds from the click to the first page being laid out and to the PDF written.
The prepared child has already imported WeasyPrint and loaded the form pack, so the difference is
what the user no longer waits for.
"""

from __future__ import annotations

import argparse
import datetime as dt
import queue
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dpia_app.core.packs import builtin_pack_paths  # noqa: E402
from dpia_app.ui.report_export import ExportChoice, PreparedExport  # noqa: E402

DRAFT = ROOT / "examples" / "s2-mall-vip-recognition.dpia"
TODAY = dt.date(2026, 12, 1)
TIMEOUT = 300


def _wait(prepared: PreparedExport, until: str) -> float | None:
    """Seconds until the child says `until` (a message kind, or "page" for the first laid-out page)."""
    start = time.perf_counter()
    while time.perf_counter() - start < TIMEOUT:
        try:
            kind, value = prepared.messages.get(timeout=0.2)
        except queue.Empty:
            continue
        if kind == "error":
            raise RuntimeError(value)
        if kind == until or (until == "page" and kind == "step" and str(value).startswith("5:")):
            return time.perf_counter() - start
    return None


def measure(choice: ExportChoice, prepared_first: bool) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as folder:
        prepared = PreparedExport(builtin_pack_paths()["cn-frt-2025"])
        if prepared_first:
            prepared.start()
            _wait(prepared, "ready")  # the user is still reading the summary
        clicked = time.perf_counter()
        prepared.take(DRAFT, Path(folder) / "report.pdf", choice, TODAY)
        _wait(prepared, "page")
        first_page = time.perf_counter() - clicked
        _wait(prepared, "done")
        done = time.perf_counter() - clicked
        prepared.process.join(30)
        return first_page, done


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lang", default="en", choices=("en", "zh", "bilingual"))
    parser.add_argument("--edition", default="filing", choices=("filing", "full", "public"))
    args = parser.parse_args()
    choice = ExportChoice(args.lang, args.edition)
    print(f"S2, {args.lang}, {args.edition}: seconds after clicking Export")
    print(f"{'child':<10} {'first page':>10} {'PDF written':>12}")
    for label, prepared_first in (("cold", False), ("prepared", True)):
        first_page, done = measure(choice, prepared_first)
        print(f"{label:<10} {first_page:>10.2f} {done:>12.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
