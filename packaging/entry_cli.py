"""PyInstaller's entry point for the command line (dpia): the same main() as the `dpia` console script."""

import sys

from dpia_app.cli import main

if __name__ == "__main__":
    sys.exit(main())
