"""`python -m dpia_app` starts the desktop app."""

import sys

from .gui_entry import main

sys.exit(main())
