"""What goes into the frozen app, for packaging/dpia.spec: the report's native libraries, the app's
data, and the Qt parts the app never loads (left out to keep the download small).

Imported by the spec inside PyInstaller, and by the tests (tests/test_packaging.py) without it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path, PurePosixPath

from dpia_app.bundled_libraries import BUNDLED_FILES, os_key

PACKAGING = Path(__file__).resolve().parent

# Python modules the app never imports but that its dependencies name as optional imports.
EXCLUDED_MODULES = [
    "tkinter", "_tkinter", "pydoc_data", "lib2to3",
    "pytest", "_pytest", "hypothesis", "pytestqt", "babel", "IPython", "numpy", "matplotlib",
    # Qt modules the app does not use (only QtCore, QtGui and QtWidgets are imported).
    "PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtQuickWidgets", "PySide6.QtNetwork", "PySide6.QtOpenGL",
    "PySide6.QtOpenGLWidgets", "PySide6.QtPdf", "PySide6.QtPdfWidgets", "PySide6.QtSql", "PySide6.QtTest",
    "PySide6.QtXml", "PySide6.QtConcurrent", "PySide6.QtDBus", "PySide6.QtDesigner", "PySide6.QtHelp",
    "PySide6.QtPrintSupport", "PySide6.QtSvg", "PySide6.QtSvgWidgets", "PySide6.QtUiTools",
]

# Qt plugins by folder: which files to keep (a pattern on the file name), or None to keep none.
# Fusion draws every widget, so no style plugins; icons and images are PNG, which Qt reads
# without a plugin; there is no OpenGL, QML, network, printing or SQL in the app.
_QT_PLUGINS_KEPT = {
    # The desktop (X11 on Linux, Windows, macOS) and the offscreen platform for --self-test.
    "platforms": re.compile(r"^(lib)?q(xcb|offscreen|windows|cocoa)\.(so|dll|dylib)$"),
    # Input methods on Linux (IBus, Fcitx, compose keys): how people type Chinese there.
    "platforminputcontexts": re.compile(r".*"),
    # The desktop portal: light/dark appearance and file dialogs on modern Linux desktops (the
    # GTK theme plugin is left out: it would pull all of GTK into the bundle).
    "platformthemes": re.compile(r"^libqxdgdesktopportal\.so$"),
}
_QT_TRANSLATIONS_KEPT = re.compile(r"^qtbase_zh_CN\.qm$")  # Qt's own buttons in Chinese (ui/language.py)


def report_library_binaries() -> list[tuple[str, str]]:
    """(source, ".") for each library WeasyPrint loads by name; PyInstaller adds what they link to."""
    found = []
    for file in BUNDLED_FILES[os_key()].values():
        source = _find_native_library(file)
        if source is not None:
            found.append((str(source), "."))
    return found


def app_data_files() -> list[tuple[str, str]]:
    """The package data of dpia_app (forms, templates, fonts, compiled translations, examples, icons)."""
    from PyInstaller.utils.hooks import collect_data_files

    # .po files are the translators' sources; the app reads the compiled .mo.
    return collect_data_files("dpia_app", excludes=["**/*.po", "**/__pycache__"])


def fontconfig_file() -> Path:
    """The app's Fontconfig configuration for this OS; bundled as fontconfig/fonts.conf (see dpia.spec)."""
    return PACKAGING / "fontconfig" / ("windows" if os_key() == "win32" else "unix") / "fonts.conf"


def qt_module_contents(hook_file: str) -> tuple[list, list, list]:
    """What PyInstaller's own hook for a PySide6 module collects, less the Qt plugins and translations
    the app never loads. Called by packaging/hooks/hook-PySide6.Qt*.py; filtering there, before
    PyInstaller follows each file's library dependencies, keeps out what only those plugins need
    (GTK, Wayland, OpenGL, QtNetwork)."""
    from PyInstaller.utils.hooks.qt import add_qt6_dependencies

    # PyInstaller names the Qt module after the hook file (hook-PySide6.QtGui.py is PySide6.QtGui).
    hiddenimports, binaries, datas = add_qt6_dependencies(hook_file)
    return hiddenimports, only_needed_qt_files(binaries), only_needed_qt_files(datas)


def only_needed_qt_files(entries: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """A Qt hook's (source, destination folder) entries less the plugins and translations never loaded."""
    return [(source, folder) for source, folder in entries
            if _qt_file_needed(PurePosixPath(folder.replace("\\", "/")), PurePosixPath(source.replace("\\", "/")).name)]


def without_opengl_fallbacks(entries: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Windows: leave out Qt's software OpenGL and Direct3D helpers (the ICU libraries stay)."""
    unused = re.compile(r"^(opengl32sw|libEGL|libGLESv2|d3dcompiler_\d+)\.dll$", re.IGNORECASE)
    return [(source, folder) for source, folder in entries
            if not unused.match(PurePosixPath(source.replace("\\", "/")).name)]


def check_report_libraries(binaries: list[tuple]) -> None:
    """Stop the build when the PDF report could not work in the finished app."""
    top_level = {entry[0].replace("\\", "/") for entry in binaries if "/" not in entry[0].replace("\\", "/")}
    missing = [file for file in BUNDLED_FILES[os_key()].values() if file not in top_level]
    if missing:
        raise SystemExit("The app would be built without the PDF report's libraries: " + ", ".join(missing)
                         + ". " + _install_hint())


def _qt_file_needed(folder: PurePosixPath, name: str) -> bool:
    parts = folder.parts
    if "plugins" in parts:
        index = parts.index("plugins")
        if index + 2 != len(parts):
            return False  # not in a plugin-type folder (QML modules and the like)
        pattern = _QT_PLUGINS_KEPT.get(parts[index + 1])
        return bool(pattern and pattern.match(name))
    if "translations" in parts:
        return bool(_QT_TRANSLATIONS_KEPT.match(name))
    return True


def _find_native_library(file: str) -> Path | None:
    if os_key() == "linux":
        return _linux_library(file)
    if os_key() == "win32":
        import build_windows

        folders = build_windows.native_library_dirs()
    else:
        import build_macos

        folders = build_macos.native_library_dirs()
    return next((folder / file for folder in folders if (folder / file).is_file()), None)


def _linux_library(file: str) -> Path | None:
    """The system's copy of a library, by soname, from the dynamic linker's cache."""
    try:
        listing = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True, check=True,
                                 env={**os.environ, "LC_ALL": "C"}).stdout
    except (OSError, subprocess.CalledProcessError):
        listing = ""
    # Lines read "\tlibpango-1.0.so.0 (libc6,x86-64) => /lib/x86_64-linux-gnu/libpango-1.0.so.0";
    # a 64-bit build takes the 64-bit copy (the flags name the ABI).
    wanted_abi = ("x86-64", "AArch64") if sys.maxsize > 2**32 else ("",)
    for line in listing.splitlines():
        name, _, path = line.strip().partition(" => ")
        soname, _, flags = name.partition(" ")
        if soname == file and any(abi in flags for abi in wanted_abi):
            return Path(path)
    return None


def _install_hint() -> str:
    return {
        "linux": "Install them: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0",
        "darwin": "Install them: brew install pango",
        "win32": "Install MSYS2 and its UCRT64 packages: pacman -S mingw-w64-ucrt-x86_64-pango mingw-w64-ucrt-x86_64-harfbuzz "
                 "(set MSYS2_ROOT if MSYS2 is not in C:\\msys64)",
    }[os_key()]
