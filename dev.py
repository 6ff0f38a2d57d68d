#!/usr/bin/env python3
"""Developer entry point: `python3 dev.py app` starts the app, `python3 dev.py test` runs all tests.

Works from a fresh clone on Debian, macOS and Windows (`py dev.py test`): it creates .venv next to
this file on first use and (re)installs the project into it whenever pyproject.toml changes. On
Debian/Ubuntu it also installs the system libraries Qt and the PDF report need (tools/system_deps.py);
on macOS and Windows it says how to get Pango when it is missing.
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
# tools/system_deps.py is plain standard library, so the system Python can use it before .venv exists.
sys.path.insert(0, str(ROOT / "tools"))
import system_deps  # noqa: E402

VENV = ROOT / ".venv"
STAMP = VENV / ".dpia-installed"
MINIMUM = (3, 11)


def python_in_venv() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure_environment() -> Path:
    if sys.version_info < MINIMUM:
        sys.exit(f"Python {MINIMUM[0]}.{MINIMUM[1]} or newer is needed; this is {sys.version.split()[0]}.")
    python = python_in_venv()
    # `python3 -m venv .venv` without Debian's venv support leaves a venv without pip: start again.
    broken = python.exists() and not STAMP.exists() and subprocess.run(
        [str(python), "-m", "pip", "--version"], capture_output=True).returncode != 0
    if not python.exists() or broken:
        system_deps.ensure_venv_support()
        print(f"creating {VENV} ...", flush=True)
        venv.EnvBuilder(with_pip=True, clear=broken).create(VENV)
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not STAMP.exists() or STAMP.read_text().strip() != wanted:
        print("installing the project and its test tools into .venv ...", flush=True)
        # Quiet, and without pip's notice that a newer pip exists: the first run should be a few lines.
        pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        # setuptools prints a dozen-line notice on every editable install whose packages live in
        # other folders (forms/ is dpia_app.forms); it asks for nothing, so it is filtered out.
        quiet = {**os.environ, "PYTHONWARNINGS": "ignore:Editable installation"}
        subprocess.run([*pip, "--upgrade", "pip"], check=True, env=quiet)
        subprocess.run([*pip, "-e", f"{ROOT}[test]"], check=True, env=quiet)
        STAMP.write_text(wanted)
    return python


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("app", "test", "bench", "dpia"):
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    python = str(ensure_environment())
    # Read from the installed wheels each time (ldd on a few files takes milliseconds), so a PySide6
    # or WeasyPrint upgrade that needs another system library is noticed at once.
    system_deps.ensure_libraries(command, ROOT, VENV)
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
