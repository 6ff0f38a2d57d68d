"""Starts the desktop app (`dpia-app [FILE.dpia]`, `python -m dpia_app`, `python3 dev.py app`)."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    # Imported here so that the command line never pays for Qt.
    from .ui.app import main as run

    return run(argv)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
