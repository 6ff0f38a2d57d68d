"""PyInstaller runtime hook: runs in the frozen app before its own code.

WeasyPrint opens Pango, HarfBuzz, GLib and Fontconfig by name through cffi, which PyInstaller's
own hooks cannot redirect; this points those names at the copies bundled with the app, and gives
Fontconfig the app's configuration where the system has none (Windows, macOS, minimal Linux).
"""

import sys

from dpia_app import bundled_libraries

bundled_libraries.use_bundled_libraries(bundled_libraries.bundle_folder(sys))
