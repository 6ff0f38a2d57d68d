"""PyInstaller's entry point for the desktop app (dpia-app): the same main() as `python -m dpia_app`."""

import sys

from dpia_app.gui_entry import main

if __name__ == "__main__":
    sys.exit(main())
