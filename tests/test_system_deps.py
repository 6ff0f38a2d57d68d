"""tools/system_deps.py: what dev.py reads from ldd, WeasyPrint and apt-cache, and what it runs or says."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _load_system_deps():
    # tools/ is not a package (dev.py puts it on sys.path); load the file itself, as dev.py does.
    spec = importlib.util.spec_from_file_location("system_deps", ROOT / "tools" / "system_deps.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["system_deps"] = module
    spec.loader.exec_module(module)
    return module


system_deps = _load_system_deps()

# Real ldd output on a Debian machine without two of the xcb helper libraries (abridged).
LDD_OUTPUT = """\
.venv/lib/python3.11/site-packages/PySide6/Qt/plugins/platforms/libqxcb.so:
\tlinux-vdso.so.1 (0x00007f30ca765000)
\tlibQt6XcbQpa.so.6 => /repo/.venv/lib/python3.11/site-packages/PySide6/Qt/lib/libQt6XcbQpa.so.6 (0x00007f30ca697000)
\tlibGL.so.1 => /lib/x86_64-linux-gnu/libGL.so.1 (0x00007f30ca607000)
\tlibxcb-cursor.so.0 => /lib/x86_64-linux-gnu/libxcb-cursor.so.0 (0x00007f30ca5ad000)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-keysyms.so.1 => not found
\tlibX11-xcb.so.1 => /lib/x86_64-linux-gnu/libX11-xcb.so.1 (0x00007f30ca515000)
\tlibxcb-icccm.so.4 => not found
\t/lib64/ld-linux-x86-64.so.2 (0x00007f30ca767000)
.venv/lib/python3.11/site-packages/PySide6/QtGui.abi3.so:
\tlibEGL.so.1 => not found
\tlibfontconfig.so.1 => /lib/x86_64-linux-gnu/libfontconfig.so.1 (0x00007f30c997f000)
"""

# The shape of weasyprint/text/ffi.py (WeasyPrint 70): one _dlopen call per library.
FFI_SOURCE = """
def _dlopen(ffi, *names, allow_fail=False):
    for name in names:
        with suppress(OSError):
            return ffi.dlopen(name, flags)
    return ffi.dlopen(names[0], flags)

gobject = _dlopen(
    ffi, 'libgobject-2.0-0', 'gobject-2.0-0', 'gobject-2.0',
    'libgobject-2.0.so.0', 'libgobject-2.0.0.dylib', 'libgobject-2.0-0.dll')
pango = _dlopen(
    ffi, 'libpango-1.0-0', 'pango-1.0-0', 'pango-1.0', 'libpango-1.0.so.0',
    'libpango-1.0.dylib', 'libpango-1.0-0.dll')
harfbuzz_subset = _dlopen(
    ffi, 'libharfbuzz-subset-0', 'harfbuzz-subset', 'harfbuzz-subset-0.0',
    'libharfbuzz-subset.so.0', 'libharfbuzz-subset.0.dylib', 'libharfbuzz-subset-0.dll',
    allow_fail=True)
harfbuzz_vector = _dlopen(
    ffi, 'libharfbuzz-vector-0', 'harfbuzz-vector', 'harfbuzz-vector-0.0',
    'libharfbuzz-vector.so.0', 'libharfbuzz-vector.0.dylib', 'libharfbuzz-vector-0.dll',
    allow_fail=True)
"""

APT_CACHE_SHOW = """\
Package: libxcb-icccm4
Version: 0.4.1-1.1
Architecture: amd64
Description: utility libraries for X C Binding -- icccm

Package: libglib2.0-0t64
Source: glib2.0
Version: 2.84.4-3~deb13u1

"""


# --- reading what is missing ---------------------------------------------------------------


def test_ldd_not_found_lines_are_the_missing_libraries():
    assert system_deps.parse_ldd_missing(LDD_OUTPUT) == {"libxcb-icccm.so.4", "libxcb-keysyms.so.1", "libEGL.so.1"}


def test_ldd_with_nothing_missing_gives_nothing():
    found_only = "\n".join(line for line in LDD_OUTPUT.splitlines() if "not found" not in line)
    assert system_deps.parse_ldd_missing(found_only) == set()


def test_weasyprint_libraries_are_read_from_its_dlopen_calls():
    # allow_fail libraries are left out, except HarfBuzz's subsetter, which this project requires.
    assert system_deps.parse_weasyprint_libraries(FFI_SOURCE) == [
        "libgobject-2.0.so.0", "libpango-1.0.so.0", "libharfbuzz-subset.so.0"]


def test_an_unreadable_weasyprint_falls_back_to_the_short_list(tmp_path):
    assert system_deps.report_libraries(tmp_path) == list(system_deps.REPORT_LIBRARIES_FALLBACK)
    (tmp_path / "weasyprint" / "text").mkdir(parents=True)
    (tmp_path / "weasyprint" / "text" / "ffi.py").write_text("lib = cffi.dlopen(find('pango'))\n")
    assert system_deps.report_libraries(tmp_path) == list(system_deps.REPORT_LIBRARIES_FALLBACK)


def test_the_installed_weasyprint_is_read_not_the_fallback():
    site = system_deps.site_packages(Path(sys.prefix))
    if site is None or not (site / "weasyprint" / "text" / "ffi.py").exists():
        pytest.skip("WeasyPrint is not installed in this venv's lib/python3*/site-packages")
    libraries = system_deps.parse_weasyprint_libraries((site / "weasyprint" / "text" / "ffi.py").read_text(encoding="utf-8"))
    assert set(system_deps.REPORT_LIBRARIES_FALLBACK) <= set(libraries)


def test_qt_modules_are_found_in_every_import_form(tmp_path):
    source = tmp_path / "module.py"
    source.write_text(
        "from PySide6.QtCore import Qt\n"
        "import PySide6.QtSvg\n"
        "from PySide6 import QtGui, QtNetwork  # comment QtSql\n"
        "from PySide6 import (\n    QtWidgets,\n    QtPrintSupport,\n)\n"
        "import os\n"
        "QtTest = _import_module(\"QtTest\")\n")
    assert system_deps.qt_modules_used([source]) == {
        "QtCore", "QtSvg", "QtGui", "QtNetwork", "QtWidgets", "QtPrintSupport", "QtTest"}


def test_qt_files_are_the_platform_plugin_and_the_imported_modules(tmp_path):
    pyside = tmp_path / "PySide6"
    for name in ("Qt/plugins/platforms/libqxcb.so", "Qt/plugins/platforms/libqoffscreen.so",
                 "Qt/plugins/xcbglintegrations/libqxcb-glx-integration.so", "QtCore.abi3.so", "QtWidgets.abi3.so"):
        (pyside / name).parent.mkdir(parents=True, exist_ok=True)
        (pyside / name).write_bytes(b"")
    relative = lambda files: [str(path.relative_to(pyside)) for path in files]  # noqa: E731
    assert relative(system_deps.qt_files(tmp_path, "app", {"QtCore", "QtWidgets", "Qt"})) == [
        "Qt/plugins/platforms/libqxcb.so", "Qt/plugins/xcbglintegrations/libqxcb-glx-integration.so",
        "QtCore.abi3.so", "QtWidgets.abi3.so"]
    assert relative(system_deps.qt_files(tmp_path, "test", {"QtCore", "QtSvg"})) == [
        "Qt/plugins/platforms/libqoffscreen.so", "QtCore.abi3.so"]
    assert system_deps.qt_files(tmp_path, "dpia", {"QtCore"}) == []


# --- Debian package names ------------------------------------------------------------------


@pytest.mark.parametrize(("soname", "package"), [
    ("libxcb-cursor.so.0", "libxcb-cursor0"),
    ("libxcb-icccm.so.4", "libxcb-icccm4"),
    ("libpango-1.0.so.0", "libpango-1.0-0"),
    ("libpangoft2-1.0.so.0", "libpangoft2-1.0-0"),
    ("libX11-xcb.so.1", "libx11-xcb1"),
    ("libX11.so.6", "libx11-6"),
    ("libGL.so.1", "libgl1"),
    ("libEGL.so.1", "libegl1"),
    ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),
    ("libdbus-1.so.3", "libdbus-1-3"),
    ("libpng16.so.16", "libpng16-16"),
    ("libgcc_s.so.1", "libgcc-s1"),
])
def test_policy_names(soname, package):
    assert system_deps.policy_package_name(soname) == package


@pytest.mark.parametrize(("soname", "candidates"), [
    ("libgobject-2.0.so.0", ["libglib2.0-0", "libglib2.0-0t64"]),
    ("libglib-2.0.so.0", ["libglib2.0-0", "libglib2.0-0t64"]),
    ("libharfbuzz.so.0", ["libharfbuzz0b", "libharfbuzz0bt64"]),
    ("libharfbuzz-subset.so.0", ["libharfbuzz-subset0", "libharfbuzz-subset0t64"]),
    ("libGLdispatch.so.0", ["libglvnd0", "libglvnd0t64"]),
])
def test_exceptions_and_the_time64_rename(soname, candidates):
    assert system_deps.package_candidates(soname) == candidates


def test_apt_cache_show_records_name_the_real_packages():
    assert system_deps.parse_apt_cache_show(APT_CACHE_SHOW) == {"libxcb-icccm4", "libglib2.0-0t64"}


def test_the_first_real_candidate_is_chosen_and_unknown_ones_reported():
    known = {"libxcb-icccm4", "libglib2.0-0t64", "libglib2.0-0"}
    packages, unknown = system_deps.choose_packages(
        ["libgobject-2.0.so.0", "libglib-2.0.so.0", "libxcb-icccm.so.4", "libmystery.so.3"], known)
    assert packages == ["libglib2.0-0", "libxcb-icccm4"]  # one glib package for both sonames
    assert unknown == ["libmystery.so.3"]


def test_debian_13_gets_the_time64_glib():
    packages, unknown = system_deps.choose_packages(["libgobject-2.0.so.0"], {"libglib2.0-0t64"})
    assert (packages, unknown) == (["libglib2.0-0t64"], [])


def test_a_missing_library_without_a_package_is_named(monkeypatch, capsys):
    monkeypatch.setattr(system_deps.shutil, "which", lambda name: "/usr/bin/" + name)
    monkeypatch.setattr(system_deps, "apt_lists_empty", lambda: False)
    monkeypatch.setattr(system_deps, "known_packages", lambda names: {"libxcb-icccm4"})
    assert system_deps.plan_packages(["libmystery.so.3", "libxcb-icccm.so.4"]) == ["libxcb-icccm4"]
    out = capsys.readouterr().out
    assert "libmystery.so.3 is missing" in out and "tried libmystery3 or libmystery3t64" in out
    assert "icccm" not in out


# --- running apt-get -----------------------------------------------------------------------


def test_root_runs_apt_get_itself():
    assert system_deps.apt_command(system_deps.install_arguments(["libxcb-icccm4", "libegl1"]), as_root=True) == [
        "apt-get", "install", "-y", "-qq", "--no-install-recommends", "libxcb-icccm4", "libegl1"]


def test_others_go_through_sudo():
    assert system_deps.apt_command(["update", "-qq"], as_root=False) == ["sudo", "apt-get", "update", "-qq"]


def _record_runs(monkeypatch, returncodes):
    runs = []

    def run(command, **kwargs):
        runs.append(command)
        return subprocess.CompletedProcess(command, returncodes.pop(0), stdout="apt says\n")

    monkeypatch.setattr(system_deps.subprocess, "run", run)
    monkeypatch.setattr(system_deps.shutil, "which", lambda name: "/usr/bin/" + name)
    return runs


def test_non_root_on_a_terminal_is_told_the_sudo_line_then_it_runs(monkeypatch, capsys):
    runs = _record_runs(monkeypatch, [0])
    system_deps.install_packages(["libxcb-cursor0"], as_root=False, interactive=True)
    assert capsys.readouterr().out == "dev.py runs: sudo apt-get install -y -qq --no-install-recommends libxcb-cursor0\n"
    assert runs == [["sudo", "apt-get", "install", "-y", "-qq", "--no-install-recommends", "libxcb-cursor0"]]


def test_non_root_off_a_terminal_is_told_the_line_and_stops(monkeypatch):
    runs = _record_runs(monkeypatch, [])
    with pytest.raises(SystemExit) as stop:
        system_deps.install_packages(["libegl1", "libgl1"], as_root=False, interactive=False)
    assert "neither root nor on a terminal" in str(stop.value)
    assert "\n  sudo apt-get install -y -qq --no-install-recommends libegl1 libgl1" in str(stop.value)
    assert runs == []


def test_a_failed_install_updates_the_lists_and_retries_once(monkeypatch):
    runs = _record_runs(monkeypatch, [100, 0, 0])
    system_deps.install_packages(["libgl1"], as_root=True, interactive=False)
    assert [run[1] for run in runs] == ["install", "update", "install"]


def test_an_install_that_keeps_failing_stops_with_apts_words(monkeypatch):
    _record_runs(monkeypatch, [100, 0, 100])
    with pytest.raises(SystemExit) as stop:
        system_deps.install_packages(["libgl1"], as_root=True, interactive=False)
    assert "could not install libgl1" in str(stop.value) and "apt says" in str(stop.value)


def test_empty_apt_lists_are_noticed(tmp_path):
    assert system_deps.apt_lists_empty(tmp_path)
    (tmp_path / "deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4").write_bytes(b"")
    assert not system_deps.apt_lists_empty(tmp_path)


def test_nothing_missing_runs_no_apt(monkeypatch):
    monkeypatch.setattr(system_deps, "missing_libraries", lambda *args: [])
    monkeypatch.setattr(system_deps, "plan_packages", lambda missing: pytest.fail("apt consulted"))
    system_deps.ensure_libraries("test", ROOT, ROOT / ".venv", platform="linux")


def test_missing_libraries_are_installed_then_checked_again(monkeypatch):
    checks = [["libEGL.so.1", "libxcb-icccm.so.4"], []]
    monkeypatch.setattr(system_deps, "missing_libraries", lambda *args: checks.pop(0))
    monkeypatch.setattr(system_deps, "plan_packages", lambda missing: ["libegl1", "libxcb-icccm4"])
    monkeypatch.setattr(system_deps, "privileges", lambda: (True, False))
    installed = []
    monkeypatch.setattr(system_deps, "install_packages", lambda packages, **how: installed.append((packages, how)))
    system_deps.ensure_libraries("app", ROOT, ROOT / ".venv", platform="linux")
    assert installed == [(["libegl1", "libxcb-icccm4"], {"as_root": True, "interactive": False})]
    assert checks == []


def test_a_library_still_missing_after_its_install_is_said_not_reinstalled(monkeypatch, capsys):
    monkeypatch.setattr(system_deps, "missing_libraries", lambda *args: ["libEGL.so.1"])
    monkeypatch.setattr(system_deps, "plan_packages", lambda missing: ["libegl1"])
    monkeypatch.setattr(system_deps, "privileges", lambda: (True, False))
    installed = []
    monkeypatch.setattr(system_deps, "install_packages", lambda packages, **how: installed.append(packages))
    system_deps.ensure_libraries("app", ROOT, ROOT / ".venv", platform="linux")
    assert installed == [["libegl1"]]
    assert capsys.readouterr().out.splitlines()[-1] == "Still missing after installing libegl1: libEGL.so.1"


# --- macOS and Windows ---------------------------------------------------------------------


def test_macos_without_pango_is_told_the_brew_line(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(system_deps, "MACOS_LIBRARY_DIRS", (str(tmp_path),))
    for variable in ("HOMEBREW_PREFIX", "DYLD_LIBRARY_PATH", "DYLD_FALLBACK_LIBRARY_PATH"):
        monkeypatch.delenv(variable, raising=False)
    system_deps.ensure_libraries("test", ROOT, ROOT / ".venv", platform="darwin")
    out = capsys.readouterr().out
    assert "\n  brew install pango\n" in out
    assert "apt" not in out


def test_macos_finds_pango_in_brews_prefix_or_the_dyld_paths(tmp_path):
    brew, dyld = tmp_path / "brew", tmp_path / "dyld"
    (brew / "lib").mkdir(parents=True)
    dyld.mkdir()
    assert not system_deps.pango_on_macos({"HOMEBREW_PREFIX": str(brew), "DYLD_FALLBACK_LIBRARY_PATH": str(dyld)})
    (dyld / "libpango-1.0.0.dylib").write_bytes(b"")
    assert system_deps.pango_on_macos({"DYLD_FALLBACK_LIBRARY_PATH": str(dyld)})
    assert not system_deps.pango_on_macos({"HOMEBREW_PREFIX": str(brew)})
    (brew / "lib" / "libpango-1.0.dylib").write_bytes(b"")
    assert system_deps.pango_on_macos({"HOMEBREW_PREFIX": str(brew)})


def test_windows_without_pango_is_told_about_the_installer_and_msys2(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("WEASYPRINT_DLL_DIRECTORIES", str(tmp_path))
    system_deps.ensure_libraries("test", ROOT, ROOT / ".venv", platform="win32")
    out = capsys.readouterr().out
    assert "installer bundles it" in out and "pacman -S mingw-w64-ucrt-x86_64-pango" in out
    assert "skipped" in out


def test_windows_finds_pango_in_weasyprints_dll_folders_or_path(tmp_path):
    assert not system_deps.pango_on_windows({"WEASYPRINT_DLL_DIRECTORIES": str(tmp_path), "PATH": ""})
    (tmp_path / "libpango-1.0-0.dll").write_bytes(b"")
    assert system_deps.pango_on_windows({"WEASYPRINT_DLL_DIRECTORIES": str(tmp_path), "PATH": ""})
    assert system_deps.pango_on_windows({"WEASYPRINT_DLL_DIRECTORIES": "", "PATH": str(tmp_path)})


def test_sudo_is_usable_on_a_terminal_or_when_it_needs_no_password(monkeypatch):
    class Stdin:
        def __init__(self, tty):
            self.tty = tty

        def isatty(self):
            return self.tty

    monkeypatch.setattr(system_deps.os, "geteuid", lambda: 1000)
    monkeypatch.setattr(system_deps.shutil, "which", lambda name: "/usr/bin/sudo")
    sudo_answers = []
    monkeypatch.setattr(system_deps.subprocess, "run",
                        lambda command, **_: sudo_answers.append(command) or subprocess.CompletedProcess(command, 1))
    monkeypatch.setattr(system_deps.sys, "stdin", Stdin(True))
    assert system_deps.privileges() == (False, True)
    monkeypatch.setattr(system_deps.sys, "stdin", Stdin(False))
    assert system_deps.privileges() == (False, False)  # sudo would ask, and nobody can answer
    assert sudo_answers[-1] == ["sudo", "-n", "true"]
    monkeypatch.setattr(system_deps.subprocess, "run", lambda command, **_: subprocess.CompletedProcess(command, 0))
    assert system_deps.privileges() == (False, True)  # a CI runner's passwordless sudo
    monkeypatch.setattr(system_deps.os, "geteuid", lambda: 0)
    assert system_deps.privileges() == (True, False)
