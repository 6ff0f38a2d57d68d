"""In the installed app, make WeasyPrint use the Pango, HarfBuzz, GLib and Fontconfig shipped with it.

WeasyPrint opens these libraries by bare name through cffi (`ffi.dlopen("libpango-1.0-0")` and a
list of other spellings, see weasyprint/text/ffi.py). On Windows and macOS a frozen app's own
folder is not where the operating system looks for such a name (on Linux PyInstaller's launcher
puts it on LD_LIBRARY_PATH), and where the system does have a copy (a Mac with Homebrew, a PC with
the GTK runtime, a Linux desktop) it is a different version from the one the app was built and
tested with. So, in the frozen app only,
`use_bundled_libraries` makes every spelling of those libraries load the bundled file by its full
path, and lets the ones the bundle lacks (HarfBuzz's vector library) fail as if absent, so that a
system copy is never mixed with the bundled ones.

It also gives Fontconfig the app's configuration where the system has none, and gives programs
the app starts (the PDF viewer) the user's library path rather than the bundle's.

Nothing here runs in a development install: there WeasyPrint finds the system's libraries itself.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import ModuleType

# The libraries WeasyPrint opens, by the name that all their spellings reduce to (`library_key`).
MANAGED = ("gobject", "pango", "pangoft2", "harfbuzz", "harfbuzz-subset", "harfbuzz-vector", "fontconfig")
# What each OS's bundle holds for them (the names PyInstaller collects them under; the build,
# packaging/bundle_contents.py, stops if one is missing). harfbuzz-vector is optional: not every
# HarfBuzz has it.
BUNDLED_FILES = {
    "linux": {"gobject": "libgobject-2.0.so.0", "pango": "libpango-1.0.so.0", "pangoft2": "libpangoft2-1.0.so.0",
              "harfbuzz": "libharfbuzz.so.0", "harfbuzz-subset": "libharfbuzz-subset.so.0", "fontconfig": "libfontconfig.so.1"},
    "darwin": {"gobject": "libgobject-2.0.0.dylib", "pango": "libpango-1.0.0.dylib", "pangoft2": "libpangoft2-1.0.0.dylib",
               "harfbuzz": "libharfbuzz.0.dylib", "harfbuzz-subset": "libharfbuzz-subset.0.dylib", "fontconfig": "libfontconfig.1.dylib"},
    "win32": {"gobject": "libgobject-2.0-0.dll", "pango": "libpango-1.0-0.dll", "pangoft2": "libpangoft2-1.0-0.dll",
              "harfbuzz": "libharfbuzz-0.dll", "harfbuzz-subset": "libharfbuzz-subset-0.dll", "fontconfig": "libfontconfig-1.dll"},
}
# Windows: also search the folder of the DLL being loaded for the DLLs it needs (GLib, FreeType...).
_LOAD_LIBRARY_SEARCH_DLL_LOAD_DIR = 0x00000100
FONTCONFIG_SUBFOLDER = "fontconfig"
# Where a Linux system keeps its own Fontconfig configuration.
SYSTEM_FONTCONFIG = Path("/etc/fonts/fonts.conf")


def os_key(platform: str = sys.platform) -> str:
    return "win32" if platform.startswith("win") else "darwin" if platform == "darwin" else "linux"


def library_key(name: str) -> str:
    """The library a file name or dlopen spelling means, without prefix, suffix or version.

    "libpango-1.0-0", "pango-1.0", "libpango-1.0.so.0", "libpango-1.0.0.dylib" and
    "libpango-1.0-0.dll" are all "pango"; "libharfbuzz-subset.0.dylib" is "harfbuzz-subset".
    """
    key = name.lower()
    key = re.sub(r"^lib", "", key)
    key = re.sub(r"(\.so(\.\d+)*|(\.\d+)*\.dylib|\.dll)$", "", key)
    # Version tails: "-1.0-0", "-2.0", "-0.0", "-0", ".0".
    while True:
        shorter = re.sub(r"([-.]\d+)$", "", key)
        if shorter == key:
            return key
        key = shorter


def find_bundled(folder: Path, platform: str = sys.platform) -> dict[str, Path]:
    """The managed libraries present in `folder`, by key (the bundle keeps them at its top level)."""
    wanted = {key: folder / file for key, file in BUNDLED_FILES[os_key(platform)].items()}
    found = {key: path for key, path in wanted.items() if path.is_file()}
    # Optional extras (harfbuzz-vector) under whatever version the build collected.
    for entry in _entries(folder):
        key = library_key(entry.name)
        if key in MANAGED and key not in found and _is_library_file(entry.name, platform):
            found[key] = entry
    return found


def bundle_folder(system: ModuleType = sys) -> Path | None:
    """Where a frozen app keeps its libraries and data (PyInstaller's _MEIPASS); None when not frozen."""
    folder = getattr(system, "_MEIPASS", None)
    return Path(folder) if getattr(system, "frozen", False) and folder else None


def use_bundled_libraries(folder: Path | None, platform: str = sys.platform,
                          environ: os._Environ | dict | None = None) -> dict[str, Path]:
    """Route WeasyPrint's library names to `folder` and configure Fontconfig. Returns what was found."""
    if folder is None:
        return {}
    environ = os.environ if environ is None else environ
    bundled = find_bundled(folder, platform)
    _use_app_fontconfig(folder, environ)
    if os_key(platform) == "win32" and hasattr(os, "add_dll_directory"):
        # The bundled DLLs' own dependencies sit beside them; WeasyPrint loads with
        # LOAD_LIBRARY_SEARCH_DEFAULT_DIRS, which includes folders added here.
        os.add_dll_directory(str(folder))
    _route_cffi_dlopen(bundled, os_key(platform))
    return bundled


def _use_app_fontconfig(folder: Path, environ) -> None:
    """Give Fontconfig the app's configuration unless the user or the system has one.

    A Linux system's /etc/fonts knows the desktop's fonts and aliases, so it is kept; Windows and
    macOS have none (Homebrew's would be looked for under Homebrew's prefix, absent on a user's
    Mac), and without a configuration Fontconfig warns and finds no fonts at all.
    """
    if "FONTCONFIG_FILE" in environ or SYSTEM_FONTCONFIG.is_file():
        return
    config = folder / FONTCONFIG_SUBFOLDER / "fonts.conf"
    if config.is_file():
        environ["FONTCONFIG_FILE"] = str(config)
        environ["FONTCONFIG_PATH"] = str(config.parent)


@contextlib.contextmanager
def environment_for_other_programs(environ=None, system: ModuleType = sys, platform: str = sys.platform) -> Iterator[None]:
    """While the app starts another program (the PDF viewer, the file manager): the user's library path.

    On Linux PyInstaller's launcher puts the bundle first on LD_LIBRARY_PATH (keeping the user's
    value in LD_LIBRARY_PATH_ORIG), and a system program started with it would load the app's
    copies of GLib, Qt or Fontconfig instead of its own, and may crash. The app's own executable
    started again (the export process) needs the bundle's path, so it is swapped only for the
    moment another program is started (Qt copies the environment when it starts one).
    """
    environ = os.environ if environ is None else environ
    if bundle_folder(system) is None or os_key(platform) != "linux" or "LD_LIBRARY_PATH" not in environ:
        yield
        return
    bundle_path = environ["LD_LIBRARY_PATH"]
    users = environ.get("LD_LIBRARY_PATH_ORIG")
    if users is None:
        del environ["LD_LIBRARY_PATH"]
    else:
        environ["LD_LIBRARY_PATH"] = users
    try:
        yield
    finally:
        environ["LD_LIBRARY_PATH"] = bundle_path


def _route_cffi_dlopen(bundled: dict[str, Path], os_name: str) -> None:
    import cffi

    original = cffi.FFI.dlopen
    if getattr(original, "_dpia_routed", False):
        return

    def dlopen(self, name, flags=0):
        if isinstance(name, str) and "/" not in name and "\\" not in name:
            key = library_key(name)
            if key in MANAGED:
                if key not in bundled:
                    # Absent from the bundle: behave as if absent, never fall back to a system copy.
                    raise OSError(f"{name}: not bundled with this app")
                name = str(bundled[key])
                if os_name == "win32":
                    flags |= _LOAD_LIBRARY_SEARCH_DLL_LOAD_DIR
        return original(self, name, flags)

    dlopen._dpia_routed = True  # type: ignore[attr-defined]
    dlopen.__doc__ = original.__doc__
    cffi.FFI.dlopen = dlopen


def _entries(folder: Path) -> Iterable[Path]:
    try:
        return list(folder.iterdir())
    except OSError:
        return []


def _is_library_file(name: str, platform: str) -> bool:
    os_name = os_key(platform)
    if os_name == "win32":
        return name.lower().endswith(".dll")
    if os_name == "darwin":
        return name.endswith(".dylib")
    return ".so" in name
