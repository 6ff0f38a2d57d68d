#!/usr/bin/env python3
"""Developer entry point: `python3 dev.py app` starts the app, `python3 dev.py test` runs all tests.

Works from a fresh clone on Debian, macOS and Windows (`py dev.py test`): it creates .venv next to
this file on first use and (re)installs the project into it whenever pyproject.toml changes.
Other commands: `bench` (prints the benchmark figures), `dpia ...` (the command line tool).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".dpia-installed"
MINIMUM = (3, 11)


def python_in_venv() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure_environment() -> Path:
    if sys.version_info < MINIMUM:
        sys.exit(f"Python {MINIMUM[0]}.{MINIMUM[1]} or newer is needed; this is {sys.version.split()[0]}.")
    python = python_in_venv()
    if not python.exists():
        try:
            import ensurepip  # noqa: F401
        except ImportError:
            sys.exit("Python's venv support is missing. On Debian/Ubuntu: sudo apt-get install python3-venv")
        print(f"creating {VENV} ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not STAMP.exists() or STAMP.read_text().strip() != wanted:
        print("installing the project and its test tools into .venv ...", flush=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[test]"], check=True)
        STAMP.write_text(wanted)
    return python


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("app", "test", "bench", "dpia"):
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    python = str(ensure_environment())
    if command == "app":
        run = [python, "-m", "dpia_app", *rest]
    elif command == "test":
        run = [python, "-m", "pytest", *rest]
    elif command == "bench":
        run = [python, str(ROOT / "bench" / "run.py"), *rest]
    else:
        run = [python, "-m", "dpia_app.cli", *rest]
    return subprocess.run(run, cwd=ROOT).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
