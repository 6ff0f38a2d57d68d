"""Benchmark of the PDF report (filing edition): pages, time and peak memory per example and language.

    .venv/bin/python bench/report.py [--only s2] [--lang bilingual] [--runs 3]

For each report: its pages; `dpia render` timed as a whole process (Python start, imports, pack,
layout, PDF written: what a user of the command line waits for), the fastest and the median of
--runs runs; the export inside a process that has already imported WeasyPrint (what the wizard's
prepared export child does), split into our own code and the rest; and the peak memory.
Budgets for S2 (issue 11): pages en / zh / bilingual <= 25 / 25 / 40; `dpia render` en <= 4 s and
bilingual <= 6 s; peak memory bilingual <= 300 MB. The host is shared: compare the fastest runs.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = {"s1": "s1-office-turnstiles.dpia", "s2": "s2-mall-vip-recognition.dpia", "s3": "s3-gym-entry-with-children.dpia"}
LANGUAGES = ("en", "zh", "bilingual")
PAGE_BUDGET = {"en": 25, "zh": 25, "bilingual": 40}
SECONDS_BUDGET = {"en": 4.0, "bilingual": 6.0}
MB_BUDGET = {"bilingual": 300}

CHILD = r"""
import datetime as dt, json, resource, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from dpia_app.core.drafts import read_draft
from dpia_app.core.evaluation import evaluate
from dpia_app.core.packs import load_builtin_pack
from dpia_app.report import libraries
from dpia_app.report.content import build_report
from dpia_app.report.html import render_html
from dpia_app.report import make_report
path, language = Path(sys.argv[2]), sys.argv[3]
data = path.read_bytes()
loaded = load_builtin_pack("cn-frt-2025")
assessment = read_draft(path, loaded).assessment
libraries.require_report_libraries()  # import WeasyPrint outside the timed part, as the app's export process does first
today = dt.date(2026, 12, 1)
start = time.perf_counter()
report = build_report(loaded, assessment, evaluate(loaded, assessment, today), data, language, today)
render_html(report)
ours = time.perf_counter() - start
start = time.perf_counter()
made = make_report(loaded, assessment, data, language, today)
total = time.perf_counter() - start
from pypdf import PdfReader
import io
pages = len(PdfReader(io.BytesIO(made.pdf)).pages)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
peak_mb = peak / 1024 / 1024 if sys.platform == "darwin" else peak / 1024
print(json.dumps({"total": total, "ours": ours, "pages": pages, "kb": len(made.pdf) // 1024, "peak_mb": peak_mb}))
"""


def render_seconds(example: Path, language: str, runs: int) -> list[float]:
    """Wall time of `dpia render` in a fresh process, as a user of the command line sees it."""
    times = []
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "dpia_app.cli", "render", str(example), "-o", str(Path(folder) / "r.pdf"),
                            "--lang", language, "--today", "2026-12-01", "--force"], check=True, capture_output=True, cwd=ROOT)
            times.append(time.perf_counter() - start)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=sorted(EXAMPLES), action="append")
    parser.add_argument("--lang", choices=LANGUAGES, action="append")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"{'example':<8} {'language':<10} {'pages':>5} {'PDF':>7} {'dpia render (min / median)':>27} {'prepared':>9} {'our code':>9} {'peak':>8}")
    over = []
    for key in args.only or sorted(EXAMPLES):
        for language in args.lang or LANGUAGES:
            example = ROOT / "examples" / EXAMPLES[key]
            run = subprocess.run([sys.executable, "-c", CHILD, str(ROOT), str(example), language], capture_output=True, text=True)
            if run.returncode != 0:
                print(f"{key:<8} {language:<10} failed:\n{run.stderr[-2000:]}")
                return 1
            figures = json.loads(run.stdout.strip().splitlines()[-1])
            whole = render_seconds(example, language, args.runs)
            marks = []
            if key == "s2":
                checks = [("pages", figures["pages"], PAGE_BUDGET.get(language)), ("render s", min(whole), SECONDS_BUDGET.get(language)),
                          ("MB", figures["peak_mb"], MB_BUDGET.get(language))]
                for name, value, budget in checks:
                    if budget is not None:
                        ok = value <= budget
                        marks.append(f"{name} <= {budget}: {'ok' if ok else 'OVER'}")
                        if not ok:
                            over.append(f"{key} {language} {name}")
            print(f"{key:<8} {language:<10} {figures['pages']:>5} {figures['kb']:>4} KB {min(whole):>13.2f} / {statistics.median(whole):.2f} s "
                  f"{figures['total']:>7.2f} s {figures['ours']:>7.2f} s {figures['peak_mb']:>5.0f} MB  {'; '.join(marks)}")
    if over:
        print("over budget: " + ", ".join(over))
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
