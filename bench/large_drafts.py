"""Benchmark of drafts near the 50 MB limit (issue 13): time and peak memory of `dpia check`.

    .venv/bin/python bench/large_drafts.py [--size-mb 47]

Each case is the S1 example grown to about --size-mb with one kind of record (many notes, many
actions, one answer holding a long list), written to a temporary folder and checked by `dpia
check` in a process of its own; the peak resident memory is read from that process (POSIX only).
Budget: peak memory at most MEMORY_BUDGET times the file size. A draft of 140,000 actions once took
809 s (a duplicate-id check that was quadratic) and 525 MB; drafts were held twice over, as JSON
and as models, at the peak of opening.

Measured 2026-12-02 (47 MB drafts; before / after): many notes 3.2 s, 345 MB / 1.4 s, 296 MB;
many actions 809 s, 525 MB / 10.6 s, 452 MB (9.9x); one long list 3.1 s, 362 MB / 2.6 s, 319 MB.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "s1-office-turnstiles.dpia"
MEMORY_BUDGET = 10.0  # times the file size

PEAK_OF_CHILD = """
import resource, runpy, sys
sys.argv = ["dpia", "check", sys.argv[1]]
try:
    runpy.run_module("dpia_app.cli", run_name="__main__")
except SystemExit:
    pass
sys.stderr.write(f"PEAK_KB {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}\\n")
"""


def grown(kind: str, size: int) -> dict:
    document = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    if kind == "many notes":
        note = "note text 笔记 " * 4
        count = size // (len(json.dumps(note, ensure_ascii=False).encode()) + 14)
        document["notes"].update({f"n{i}": note for i in range(count)})
    elif kind == "many actions":
        action = document["actions"][0]
        count = size // (len(json.dumps(action, ensure_ascii=False).encode()) + 4)
        document["actions"] = [dict(action, id=f"A-{i}", measure=f"{action['measure']} {i}") for i in range(1, count)]
    else:
        document["answers"]["org.device_count"] = list(range(size // 9))
    return document


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-mb", type=float, default=47.0)
    args = parser.parse_args()
    if sys.platform == "win32":
        print("this benchmark reads a child's peak memory with the resource module: POSIX only")
        return 0
    failed = False
    with tempfile.TemporaryDirectory() as folder:
        for kind in ("many notes", "many actions", "one long list"):
            path = Path(folder) / f"{kind.replace(' ', '-')}.dpia"
            path.write_text(json.dumps(grown(kind, int(args.size_mb * 1_000_000)), ensure_ascii=False), encoding="utf-8")
            size = path.stat().st_size
            started = time.perf_counter()
            done = subprocess.run([sys.executable, "-c", PEAK_OF_CHILD, str(path)], capture_output=True, text=True, cwd=ROOT)
            seconds = time.perf_counter() - started
            peak = next((int(line.split()[1]) * 1024 for line in done.stderr.splitlines() if line.startswith("PEAK_KB")), 0)
            ratio = peak / size
            failed |= ratio > MEMORY_BUDGET or not peak
            print(f"{kind:14} {size / 1e6:5.1f} MB  check {seconds:6.1f} s  peak {peak / 1e6:6.0f} MB  = {ratio:4.1f}x the file"
                  f"{'' if ratio <= MEMORY_BUDGET else f'  OVER the {MEMORY_BUDGET:.0f}x budget'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
