"""Benchmarks of the installable app (Linux build): size, start-up and report time, frozen vs development.

    python3 packaging/build.py          (once, to make dist/)
    .venv/bin/python bench/package.py   [--runs N]

Budgets (issue 8):
  installed size                          <= 250 MB
  download (each package)                 <= 120 MB
  cold start to the start screen          <= 1.2 x the development install's
  bilingual report (S2) from the CLI      <= 1.1 x the development install's
Both installs are measured side by side, the same way, alternating runs so that a busy machine
affects both alike: start-up is the time from launching the program until its start-screen window
is mapped on a virtual X display (Xvfb, polled with xwininfo); the report is the wall time of the
whole `dpia render` command. Also printed: the ten largest parts of the bundle.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "dist" / "dpia-app"
PACKAGES = ROOT / "dist" / "packages"
DEV_BIN = ROOT / ".venv" / "bin"
EXAMPLE = ROOT / "examples" / "s2-mall-vip-recognition.dpia"
DISPLAY = ":89"
BUDGET_INSTALLED_MB = 250
BUDGET_DOWNLOAD_MB = 120
BUDGET_START_RATIO = 1.2
BUDGET_REPORT_RATIO = 1.1


def megabytes(size: int) -> float:
    return size / 1e6


def folder_size(folder: Path) -> int:
    return sum(path.lstat().st_size for path in folder.rglob("*") if not path.is_dir())


def largest_parts(folder: Path, count: int = 10) -> list[tuple[int, str]]:
    """Sizes by part: each top-level entry of _internal, with Qt's libraries and the fonts one by one."""
    internal = folder / "_internal"
    sizes: dict[str, int] = {}
    for path in internal.rglob("*"):
        if path.is_dir():
            continue
        relative = path.relative_to(internal)
        parts = relative.parts
        if parts[:3] == ("PySide6", "Qt", "lib") or parts[:2] == ("dpia_app", "fonts"):
            key = str(relative)
        else:
            key = parts[0]
        sizes[key] = sizes.get(key, 0) + path.lstat().st_size
    return sorted(((size, name) for name, size in sizes.items()), reverse=True)[:count]


def start_seconds(command: list[str], config: Path) -> float:
    """Launch until the start screen's window is mapped (a top-level window named DPIA or 人脸识别…)."""
    environment = {**os.environ, "DISPLAY": DISPLAY, "DPIA_APP_CONFIG_DIR": str(config), "LANG": "en_GB.UTF-8"}
    environment.pop("QT_QPA_PLATFORM", None)
    started = time.perf_counter()
    process = subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while time.perf_counter() - started < 30:
            tree = subprocess.run(["xwininfo", "-root", "-tree", "-display", DISPLAY], capture_output=True, text=True).stdout
            if "facial recognition" in tree.lower() or "dpia" in tree.lower():
                return time.perf_counter() - started
            if process.poll() is not None:
                raise RuntimeError(f"{command[0]} exited with {process.returncode} before showing its window")
            time.sleep(0.005)
        raise RuntimeError(f"{command[0]} showed no window in 30 s")
    finally:
        process.terminate()
        process.wait(10)


def report_seconds(dpia: Path, target: Path) -> float:
    started = time.perf_counter()
    result = subprocess.run([dpia, "render", EXAMPLE, "-o", target, "--lang", "bilingual", "--force"], capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{dpia} render failed (exit {result.returncode}):\n{result.stdout}{result.stderr}")
    return time.perf_counter() - started


def side_by_side(measure, runs: int) -> tuple[float, float]:
    """Medians for (development, frozen), alternating runs."""
    development, frozen = [], []
    for _ in range(runs):
        development.append(measure("development"))
        frozen.append(measure("frozen"))
    return statistics.median(development), statistics.median(frozen)


def verdict(ok: bool) -> str:
    return "ok" if ok else "OVER BUDGET"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    if not (APP / "dpia-app").exists():
        print("no dist/dpia-app: run python3 packaging/build.py first", file=sys.stderr)
        return 2
    if not (DEV_BIN / "dpia").exists():
        print("no development install: run python3 dev.py test (or app) first", file=sys.stderr)
        return 2
    failed = False

    installed = megabytes(folder_size(APP))
    failed |= installed > BUDGET_INSTALLED_MB
    print(f"installed size            {installed:7.1f} MB   (budget {BUDGET_INSTALLED_MB} MB)  {verdict(installed <= BUDGET_INSTALLED_MB)}")
    for package in sorted(PACKAGES.glob("*")):
        size = megabytes(package.stat().st_size)
        failed |= size > BUDGET_DOWNLOAD_MB
        print(f"download {package.name:<32} {size:7.1f} MB   (budget {BUDGET_DOWNLOAD_MB} MB)  {verdict(size <= BUDGET_DOWNLOAD_MB)}")
    print("ten largest parts of the bundle:")
    for size, name in largest_parts(APP):
        print(f"  {megabytes(size):6.1f} MB  {name}")

    commands = {"development": [str(DEV_BIN / "python"), "-m", "dpia_app"], "frozen": [str(APP / "dpia-app")]}
    if shutil.which("Xvfb") and shutil.which("xwininfo"):
        server = subprocess.Popen(["Xvfb", DISPLAY, "-screen", "0", "1440x900x24", "-nolisten", "tcp"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            time.sleep(1.0)
            with tempfile.TemporaryDirectory() as folder:
                # A warm-up of each, so that both start from the page cache, as a second launch does.
                for command in commands.values():
                    start_seconds(command, Path(folder) / "warm-up")
                dev, frozen = side_by_side(lambda kind: start_seconds(commands[kind], Path(folder) / kind), options.runs)
        finally:
            server.terminate()
            server.wait(10)
        ratio = frozen / dev
        failed |= ratio > BUDGET_START_RATIO
        print(f"cold start to start screen  development {dev * 1000:6.0f} ms, frozen {frozen * 1000:6.0f} ms: "
              f"{ratio:.2f} x  (budget {BUDGET_START_RATIO} x)  {verdict(ratio <= BUDGET_START_RATIO)}")
    else:
        print("cold start: skipped (needs Xvfb and xwininfo: apt-get install xvfb x11-utils)")

    executables = {"development": DEV_BIN / "dpia", "frozen": APP / "dpia"}
    with tempfile.TemporaryDirectory() as folder:
        dev, frozen = side_by_side(lambda kind: report_seconds(executables[kind], Path(folder) / f"{kind}.pdf"),
                                   max(options.runs // 2, 3))
    ratio = frozen / dev
    failed |= ratio > BUDGET_REPORT_RATIO
    print(f"bilingual S2 report (CLI)   development {dev:6.2f} s, frozen {frozen:6.2f} s: "
          f"{ratio:.2f} x  (budget {BUDGET_REPORT_RATIO} x)  {verdict(ratio <= BUDGET_REPORT_RATIO)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
