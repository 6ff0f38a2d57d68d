"""Benchmark of hostile text in the PDF report (issue 13): long words without a space, very long answers.

    .venv/bin/python bench/long_words.py [--only answer-20k] [--timeout 120]

Each case is the S2 example's filing report in English with a field or two replaced, made in a
process of its own that has already imported WeasyPrint (as the wizard's export process has), so
the figure is the making of the report alone. A word longer than its column once made layout time
grow with the square of its length (20,000 characters: 51 s; 20,000 + 60,000: over 300 s) and a
1 MB word printed some 40 characters; the report now cuts a text at 60,000 characters with a note,
gives a long stretch without a space invisible break opportunities and prints it in short pieces.
Budget: every case within HOSTILE_BUDGET seconds more than the example as it is (the host is shared:
run it twice when a figure is close). A case still running after --timeout seconds is stopped and
shown as "> timeout".

Measured 2026-12-02 (seconds, before the change / after): example 3.1 / 2.9; answer-20k 15.1 / 3.4;
answer-20k-note-60k 77.1 / 3.9; answer-1m 6.3 (24 pages: the word ran off the page) / 3.9 (50 pages,
cut with its note); note-hex-20k 13.8 / 3.1; measure-10k 22.0 / 3.7; signoff-name-20k 67.6 / 2.7;
cell-zh-20k over 300 / 3.4.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "s2-mall-vip-recognition.dpia"
HOSTILE_BUDGET = 5.0  # seconds more than the unchanged example

HEX = "".join(f"{i:08x}" for i in range(150_000))
# name: (what it is, {field: text}); a field is "answer:<question>", "note:<question>",
# "measure", "owner", "signoff-name" or "cell:<question>:<column>".
CASES: dict[str, tuple[str, dict[str, str]]] = {
    "example": ("S2 as it is", {}),
    "answer-20k": ("20,000-character word in an answer", {"answer:purpose.statement": "A" * 20_000}),
    "answer-20k-note-60k": ("20,000-character word in an answer, 60,000 in a note",
                            {"answer:purpose.statement": "A" * 20_000, "note:org.system_description": "B" * 60_000}),
    "answer-1m": ("1,000,000-character word in an answer", {"answer:purpose.statement": "A" * 1_000_000}),
    "note-hex-20k": ("20,000-character hex string in a note", {"note:purpose.statement": HEX[:20_000]}),
    "note-words-60k": ("60,000 characters of 40-character words in a note",
                       {"note:purpose.statement": ("W" * 40 + " ") * (60_000 // 41)}),
    "measure-10k": ("10,000-character word as an action's measure (the draft's limit)", {"measure": "A" * 10_000}),
    "owner-1k": ("1,000-character word as an action's owner (the draft's limit)", {"owner": "A" * 1_000}),
    "signoff-name-20k": ("20,000-character word as a signer's name", {"signoff-name": "A" * 20_000}),
    "cell-zh-20k": ("20,000 Chinese characters in a table cell", {"cell:devices.locations:location": "北门入口左侧第一台闸机" * 1_819}),
}

CHILD = r"""
import datetime as dt, io, json, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from dpia_app.core.drafts import read_draft, serialise
from dpia_app.core.packs import load_builtin_pack
from dpia_app.report import libraries, make_report
from pypdf import PdfReader
loaded = load_builtin_pack("cn-frt-2025")
assessment = read_draft(Path(sys.argv[2]), loaded).assessment
answers, notes = dict(assessment.answers), dict(assessment.notes)
actions, signoffs = list(assessment.actions), list(assessment.signoffs)
for field, text in json.loads(sys.stdin.read()).items():
    kind, _, rest = field.partition(":")
    if kind == "answer":
        answers[rest] = text
    elif kind == "note":
        notes[rest] = text
    elif kind == "cell":
        question, column = rest.split(":")
        answers[question] = [dict(row) for row in answers[question]]
        answers[question][0][column] = text
    elif kind in ("measure", "owner"):
        actions[0] = actions[0].model_copy(update={kind: text})
    elif kind == "signoff-name":
        signoffs[0] = signoffs[0].model_copy(update={"name": text})
# model_copy does not validate: a hand-edited draft can hold what the wizard would not let anyone type.
assessment = assessment.model_copy(update={"answers": answers, "notes": notes, "actions": actions, "signoffs": signoffs})
data = serialise(assessment)
libraries.require_report_libraries()  # import WeasyPrint outside the timed part, as the app's export process does first
make_report(loaded, assessment.model_copy(update={"answers": {}, "notes": {}}), data, "en", dt.date(2026, 12, 1))  # warm up
start = time.perf_counter()
made = make_report(loaded, assessment, data, "en", dt.date(2026, 12, 1))
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "pages": len(PdfReader(io.BytesIO(made.pdf)).pages)}))
"""


def run_case(fields: dict[str, str], timeout: float) -> dict | None:
    try:
        run = subprocess.run([sys.executable, "-c", CHILD, str(ROOT), str(EXAMPLE)], input=json.dumps(fields),
                             capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None
    if run.returncode != 0:
        raise RuntimeError(run.stderr[-2000:])
    return json.loads(run.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=sorted(CASES), action="append")
    parser.add_argument("--timeout", type=float, default=120.0)
    args = parser.parse_args()
    names = ["example", *(name for name in CASES if name != "example" and (not args.only or name in args.only))]
    print(f"{'case':<22} {'seconds':>8} {'pages':>6}  what")
    base = None
    over = []
    for name in names:
        what, fields = CASES[name]
        figures = run_case(fields, args.timeout)
        if figures is None:
            print(f"{name:<22} {'> %.0f' % args.timeout:>8} {'':>6}  {what}")
            over.append(name)
            continue
        seconds = figures["seconds"]
        if name == "example":
            base = seconds
        mark = ""
        if base is not None and name != "example":
            ok = seconds <= base + HOSTILE_BUDGET
            mark = f"  (<= {base + HOSTILE_BUDGET:.1f} s: {'ok' if ok else 'OVER'})"
            if not ok:
                over.append(name)
        print(f"{name:<22} {seconds:>8.2f} {figures['pages']:>6}  {what}{mark}")
    if over:
        print("over budget: " + ", ".join(over))
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
