"""Benchmark of the PDF report: export time and peak memory per example and language.

    .venv/bin/python bench/report.py [--only s2] [--lang bilingual]

Each export runs in a fresh process (as the wizard's export does), so the peak memory is that of a
whole export: Python, WeasyPrint, the bundled fonts and the document. The time is split into our
own code (evaluation, report content, HTML) and WeasyPrint's layout and PDF writing.
Target on the development machine: the bilingual full example (S2) under 2.5 s and 400 MB.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = {"s1": "s1-office-turnstiles.dpia", "s2": "s2-mall-vip-recognition.dpia", "s3": "s3-gym-entry-with-children.dpia"}
LANGUAGES = ("en", "zh", "bilingual")
TARGET_SECONDS = 2.5
TARGET_MB = 400

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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=sorted(EXAMPLES), action="append")
    parser.add_argument("--lang", choices=LANGUAGES, action="append")
    args = parser.parse_args()
    print(f"{'example':<8} {'language':<10} {'pages':>5} {'PDF':>7} {'export':>8} {'our code':>9} {'peak':>8}")
    over = False
    for key in args.only or sorted(EXAMPLES):
        for language in args.lang or LANGUAGES:
            run = subprocess.run([sys.executable, "-c", CHILD, str(ROOT), str(ROOT / "examples" / EXAMPLES[key]), language],
                                 capture_output=True, text=True)
            if run.returncode != 0:
                print(f"{key:<8} {language:<10} failed:\n{run.stderr[-2000:]}")
                return 1
            figures = json.loads(run.stdout.strip().splitlines()[-1])
            mark = ""
            if key == "s2" and language == "bilingual":
                over = figures["total"] >= TARGET_SECONDS or figures["peak_mb"] >= TARGET_MB
                mark = f"  target < {TARGET_SECONDS} s, < {TARGET_MB} MB: " + ("OVER TARGET" if over else "ok")
            print(f"{key:<8} {language:<10} {figures['pages']:>5} {figures['kb']:>5} KB {figures['total']:>6.2f} s {figures['ours']:>7.2f} s "
                  f"{figures['peak_mb']:>5.0f} MB{mark}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
