"""Benchmarks of the assessment engine: prints the median time of each operation.

    python3 dev.py bench          (or: .venv/bin/python bench/run.py [--repeat N])

Targets on the development machine (the GUI re-evaluates on every keystroke):
  evaluate a full assessment  < 5 ms
  save a full draft           < 20 ms
  load a full draft           < 50 ms
Loading the pack happens once per session and has no target; its figure is printed for reference.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dpia_app.core.drafts import read_draft, save_draft  # noqa: E402
from dpia_app.core.evaluation import evaluate  # noqa: E402
from dpia_app.core.packs import builtin_pack_paths, load_pack  # noqa: E402

TARGETS_MS = {"evaluate": 5.0, "save draft": 20.0, "load draft": 50.0}


def median_ms(operation: Callable[[], object], repeat: int) -> float:
    operation()  # warm caches once, as the app does after start-up
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        operation()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()

    pack_path = builtin_pack_paths()["cn-frt-2025"]
    loaded = load_pack(pack_path)
    examples = sorted((ROOT / "examples").glob("*.dpia"))
    if not examples:
        print("no examples/*.dpia to benchmark", file=sys.stderr)
        return 1
    drafts = {p.name: read_draft(p, loaded).assessment for p in examples}
    today = dt.date.today()

    results: dict[str, float] = {}
    results["load pack"] = median_ms(lambda: load_pack(pack_path), max(args.repeat // 10, 3))
    per_example = {name: median_ms(lambda a=a: evaluate(loaded, a, today), args.repeat) for name, a in drafts.items()}
    # The target applies to the slowest example: the wizard must stay fast for the worst case.
    slowest = max(per_example, key=per_example.__getitem__)
    results["evaluate"] = per_example[slowest]
    assessment = drafts[slowest]
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "bench.dpia"
        results["save draft"] = median_ms(lambda: save_draft(assessment, target), args.repeat)
        results["load draft"] = median_ms(lambda: read_draft(target, loaded), args.repeat)

    evaluation = evaluate(loaded, assessment, today)
    print(f"pack {loaded.id} {loaded.version}: {len(loaded.pack.questions)} questions, {len(loaded.pack.rules)} rules, {len(loaded.pack.risks)} risks")
    for name, value in per_example.items():
        print(f"  evaluate {name}: {value:.2f} ms")
    print(f"slowest: {slowest}: {len(assessment.answers)} answers, {len(evaluation.findings)} findings, {len(evaluation.risks)} risks")
    print(f"{'operation':<12} {'median':>10} {'target':>10}")
    failed = False
    for name, value in results.items():
        target = TARGETS_MS.get(name)
        mark = "" if target is None else ("  ok" if value < target else "  OVER TARGET")
        failed |= target is not None and value >= target
        print(f"{name:<12} {value:>8.2f} ms {('< %.0f ms' % target) if target else '':>10}{mark}")
    if failed:
        return 1
    # The desktop wizard's figures (start-up, opening a draft, typing) come from bench/gui.py, the
    # PDF report's (export time, peak memory) from bench/report.py.
    import subprocess

    codes = [subprocess.run([sys.executable, str(ROOT / "bench" / script)]).returncode for script in ("gui.py", "report.py", "long_words.py", "large_drafts.py")]
    return max(codes)


if __name__ == "__main__":
    sys.exit(main())
