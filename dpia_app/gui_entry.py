"""Starts the desktop app (`dpia-app [FILE.dpia]`, `python -m dpia_app`, `python3 dev.py app`).

`dpia-app --self-test [--self-test-output FILE]` checks the installation instead (dpia_app.selftest).
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    import multiprocessing

    # The PDF export runs in a spawned child process; a frozen app must let the child start here.
    multiprocessing.freeze_support()
    arguments = list(sys.argv if argv is None else argv)
    if "--self-test" in arguments[1:]:
        # Before the display check: the self-test opens its windows offscreen and needs none.
        from .selftest import main as self_test

        return self_test(arguments[1:])
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or os.environ.get("QT_QPA_PLATFORM")):
        # Qt would abort with a cryptic platform-plugin message; say what is missing instead.
        print("dpia-app: no display found. Start it from a desktop session (or over X forwarding).\n"
              "The command line works without one: dpia check FILE.dpia", file=sys.stderr)
        return 2
    # The installed app carries its own copy; only a development install relies on the system's.
    frozen = getattr(sys, "frozen", False)
    if sys.platform.startswith("linux") and os.environ.get("DISPLAY") and not os.environ.get("QT_QPA_PLATFORM") and not frozen:
        import ctypes.util

        if ctypes.util.find_library("xcb-cursor") is None:
            # Since Qt 6.5 the X11 plugin needs libxcb-cursor, which many desktops lack.
            print("dpia-app: Qt needs the X11 cursor library. On Debian/Ubuntu:\n"
                  "  sudo apt-get install libxcb-cursor0", file=sys.stderr)
            return 2
    # Imported here so that the command line never pays for Qt.
    from .ui.app import main as run

    return run(argv)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
