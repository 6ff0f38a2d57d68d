"""Benchmark of the portfolio scan and of `dpia diff` (issue 12).

    .venv/bin/python bench/portfolio.py [--drafts 1000]

Generates the drafts from the three examples with varied answers (organisation, site, title,
device and headcounts, an action's status) in a temporary folder, then runs `dpia portfolio DIR
--json` in a fresh process twice: the first scan (empty cache) and the rescan (every row cached).
It prints the wall time and the peak memory of each, and the time of `dpia diff` between two versions
of S2 in a fresh process, with the interpreter's own start (`python -c pass`) for comparison.
Budgets: first scan <= 5 s, cached rescan <= 0.5 s, memory <= 300 MB, diff <= 200 ms after start-up.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ["s1-office-turnstiles.dpia", "s2-mall-vip-recognition.dpia", "s3-gym-entry-with-children.dpia"]
BUDGETS = {"first scan": 5.0, "cached rescan": 0.5}
MB_BUDGET = 300
DIFF_BUDGET = 0.2


def generate(folder: Path, count: int) -> None:
    sources = [json.loads((ROOT / "examples" / name).read_text(encoding="utf-8")) for name in EXAMPLES]
    chance = random.Random(20261202)
    for index in range(count):
        document = json.loads(json.dumps(sources[index % len(sources)]))
        group = index // 25  # about 40 organisations of 25 sites
        document["metadata"]["title"] = f"{document['metadata']['title']} #{index}"
        document["metadata"]["organisation"] = f"Group {group} Holdings"
        document["metadata"]["site"] = f"Site {index}"
        document["metadata"]["assessment_id"] = f"bench-{index:05d}"
        answers = document["answers"]
        answers["org.device_count"] = chance.randint(1, 60)
        if isinstance(answers.get("scale.stored_individuals"), int):
            answers["scale.stored_individuals"] = chance.randint(100, 20_000)
        for action in document.get("actions", []):
            action["status"] = chance.choice(["planned", "in_progress", "done"])
        target = folder / f"region-{index % 10}" / f"site-{index:05d}.dpia"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")


# Runs the command and prints its peak memory: getrusage of this wrapper's only child.
WRAPPER = "import resource, subprocess, sys; subprocess.run(sys.argv[1:], capture_output=True); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"


def timed(command: list[str], environment: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak memory (MB) of one fresh process."""
    start = time.perf_counter()
    run = subprocess.run([sys.executable, "-c", WRAPPER, *command], check=True, capture_output=True, text=True, cwd=ROOT, env=environment)
    seconds = time.perf_counter() - start
    peak = int(run.stdout.strip().splitlines()[-1])
    return seconds, (peak / 1024 / 1024 if sys.platform == "darwin" else peak / 1024)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--drafts", type=int, default=1000)
    args = parser.parse_args()
    over = []
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary) / "drive"
        generate(folder, args.drafts)
        environment = dict(os.environ, DPIA_APP_CONFIG_DIR=str(Path(temporary) / "config"))
        command = [sys.executable, "-m", "dpia_app.cli", "portfolio", str(folder), "--json", "--today", "2026-12-01"]
        print(f"{args.drafts} drafts")
        print(f"{'operation':<16} {'seconds':>8} {'peak':>8}  budget")
        for name in ("first scan", "cached rescan"):
            seconds, peak = timed(command, environment)
            ok = seconds <= BUDGETS[name] and peak <= MB_BUDGET
            over += [] if ok else [name]
            print(f"{name:<16} {seconds:>8.2f} {peak:>5.0f} MB  <= {BUDGETS[name]} s, <= {MB_BUDGET} MB: {'ok' if ok else 'OVER'}")

        s2 = ROOT / "examples" / "s2-mall-vip-recognition.dpia"
        changed = Path(temporary) / "s2-changed.dpia"
        document = json.loads(s2.read_text(encoding="utf-8"))
        document["answers"]["org.device_count"] = 40
        changed.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
        diff = [sys.executable, "-m", "dpia_app.cli", "diff", str(s2), str(changed), "--today", "2026-12-01"]
        diffs = [timed(diff, environment)[0] for _ in range(5)]
        starts = [timed([sys.executable, "-c", "pass"], environment)[0] for _ in range(5)]
        after_start = statistics.median(diffs) - statistics.median(starts)
        ok = after_start <= DIFF_BUDGET
        over += [] if ok else ["diff"]
        print(f"{'dpia diff S2':<16} {statistics.median(diffs):>8.2f}           (python -c pass {statistics.median(starts):.2f} s; "
              f"after start-up {after_start:.2f} s <= {DIFF_BUDGET}: {'ok' if ok else 'OVER'})")
    if over:
        print("over budget: " + ", ".join(over))
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
