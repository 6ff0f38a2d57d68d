"""Whether this machine has the system libraries WeasyPrint needs, worded for the person who must fix it.

WeasyPrint lays text out with Pango and HarfBuzz, which are system libraries (bundled in the
Windows and macOS installers, installed by the package manager on Linux). Without HarfBuzz's
subsetter WeasyPrint still works but subsets fonts with fontTools, which makes a report with the
bundled Chinese font many times slower; that is reported as a warning, not an error.
"""

from __future__ import annotations

import re
import sys
import warnings
from dataclasses import dataclass
from functools import lru_cache


class MissingReportLibrary(RuntimeError):
    """The PDF report cannot be made on this machine; the message says what to install."""


@dataclass(frozen=True)
class LibraryStatus:
    available: bool
    problem: str = ""  # why reports cannot be made, with what to install
    warning: str = ""  # reports work, but something makes them slow


_INSTALL = {
    "linux": "On Debian or Ubuntu: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0",
    "darwin": "On macOS: brew install pango (the app's macOS installer includes it)",
    "win32": "On Windows the app's installer includes it; for a development set-up install the GTK runtime or MSYS2's mingw-w64-ucrt-x86_64-pango",
}


def _how_to_install() -> str:
    return _INSTALL.get(sys.platform, _INSTALL["linux"])


@lru_cache(maxsize=1)
def report_libraries() -> LibraryStatus:
    try:
        with warnings.catch_warnings():
            # WeasyPrint warns at import when HarfBuzz's subsetter is missing; we say it ourselves.
            warnings.simplefilter("ignore", DeprecationWarning)
            import weasyprint  # noqa: F401
            from weasyprint.text import ffi
    except OSError as error:
        library = _library_name(str(error))
        return LibraryStatus(False, problem=f"PDF reports need the system library {library}, which is not installed or cannot be loaded ({error}). {_how_to_install()}")
    except ImportError as error:
        return LibraryStatus(False, problem=f"PDF reports need the Python package WeasyPrint, which cannot be imported ({error}). Reinstall the app.")
    if ffi.harfbuzz_subset is None:
        return LibraryStatus(True, warning=f"HarfBuzz's font subsetter (libharfbuzz-subset) is missing: reports with Chinese text will take many times longer to make. {_how_to_install()}")
    return LibraryStatus(True)


def require_report_libraries() -> LibraryStatus:
    status = report_libraries()
    if not status.available:
        raise MissingReportLibrary(status.problem)
    return status


def _library_name(message: str) -> str:
    match = re.search(r"'([^']*(?:pango|harfbuzz|gobject|fontconfig|glib)[^']*)'", message, re.IGNORECASE)
    if match:
        return match.group(1)
    for name in ("Pango", "HarfBuzz", "GObject", "Fontconfig"):
        if name.lower() in message.lower():
            return name
    return "Pango"
