"""The system libraries behind `dev.py app` and `dev.py test`: find what is missing and install it.

Qt (in the PySide6 wheel) and WeasyPrint (the PDF report) rely on libraries of the operating system
that pip cannot install. On Debian/Ubuntu this module finds the ones that are missing and installs
their packages with apt-get; on macOS and Windows it says how to get Pango, the only one missing
there in practice.

What Qt needs is read from the installed wheel itself (`ldd` on its platform plugin and the Qt modules
the code imports), never from a hand-written list: each PySide6 release links a slightly different set
(Qt 6.5 added libxcb-cursor), and a list silently drifts out of date. Missing sonames are mapped to
Debian packages by the library-packaging policy's naming rule, confirmed with apt-cache, with a
small table for the packages that do not follow it.

Standard library only: dev.py imports this with the system Python before .venv exists.
"""

from __future__ import annotations

import ctypes
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

# The command named in what is printed: dev.py, or packaging/build.py, which uses this module too.
CALLER = "dev.py"

# WeasyPrint dlopens its libraries by name (weasyprint/text/ffi.py), so no ELF file lists them.
# The names are read from that file; this list is used only when it cannot be read or parsed
# (a WeasyPrint release that moved it).
REPORT_LIBRARIES_FALLBACK = (
    "libgobject-2.0.so.0",
    "libpango-1.0.so.0",
    "libharfbuzz.so.0",
    "libharfbuzz-subset.so.0",
    "libfontconfig.so.1",
    "libpangoft2-1.0.so.0",
)

# WeasyPrint runs without HarfBuzz's subsetter (it may fail to load it), but then subsets the bundled
# Chinese font with fontTools, which makes a report many times slower: this project requires it.
REQUIRED_ALTHOUGH_OPTIONAL = frozenset({"libharfbuzz-subset.so.0"})

# Sonames whose Debian package is not named by the policy's rule (see policy_package_name).
PACKAGE_EXCEPTIONS = {
    # GLib ships all its libraries in one package named after the source ("glib2.0").
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgobject-2.0.so.0": "libglib2.0-0",
    "libgio-2.0.so.0": "libglib2.0-0",
    "libgmodule-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    # The "b" marks a C++ ABI change long ago; the name stayed.
    "libharfbuzz.so.0": "libharfbuzz0b",
    # libglvnd's dispatcher is packaged under the project's name.
    "libGLdispatch.so.0": "libglvnd0",
    "libz.so.1": "zlib1g",
    "libbrotlicommon.so.1": "libbrotli1",
    "libbrotlidec.so.1": "libbrotli1",
}

# Debian 13 and Ubuntu 24.04 renamed the packages of libraries whose ABI contains time_t
# (the 64-bit time_t transition) by appending "t64": libglib2.0-0 became libglib2.0-0t64.
TIME64_SUFFIX = "t64"

# The Qt platform plugin each command starts Qt with: the desktop uses X11 (xcb; Qt falls back to
# it under Wayland too), the tests and benchmarks run offscreen (tests/conftest.py).
PLATFORM_PLUGIN = {"app": "libqxcb.so", "test": "libqoffscreen.so", "bench": "libqoffscreen.so"}

# Where each command's Python code lives, to see which Qt modules it imports: folders of the
# repository, and packages in the venv (pytest-qt's qtbot loads QtTest).
SOURCE_FOLDERS = {"app": ("dpia_app",), "test": ("dpia_app", "tests"), "bench": ("dpia_app", "bench")}
VENV_PACKAGES = {"test": ("pytestqt",)}

APT_LISTS = Path("/var/lib/apt/lists")

MACOS_LIBRARY_DIRS = ("/opt/homebrew/lib", "/usr/local/lib")  # Homebrew's prefixes (Apple silicon, Intel)
# The folders WeasyPrint adds to the DLL search path on Windows unless WEASYPRINT_DLL_DIRECTORIES is set.
WINDOWS_DLL_DIRS = ("C:\\msys64\\ucrt64\\bin", "C:\\msys64\\mingw64\\bin", "C:\\Program Files\\GTK3-Runtime Win64\\bin")

MACOS_ADVICE = ("PDF reports need Pango, which is not installed (no libpango in Homebrew's lib folder or the DYLD paths). "
                "Install it with:\n  brew install pango\n(the report's tests are skipped until then)")
WINDOWS_ADVICE = ("PDF reports need Pango, which is not installed. The app's Windows installer bundles it; "
                  "for development install MSYS2 (https://www.msys2.org) and, in its UCRT64 shell:\n"
                  "  pacman -S mingw-w64-ucrt-x86_64-pango\n(the report's tests are skipped until then)")


# ---------------------------------------------------------------------------------------------
# Reading what is needed


def parse_ldd_missing(output: str) -> set[str]:
    """The sonames ldd could not find: its lines read `libfoo.so.1 => not found`."""
    return {match.group(1) for match in re.finditer(r"^\s*(\S+)\s+=>\s+not found\s*$", output, re.MULTILINE)}


def parse_weasyprint_libraries(source: str) -> list[str]:
    """The Linux sonames WeasyPrint's ffi.py dlopens that the report needs.

    Each library is one `name = _dlopen(ffi, 'name', ..., 'libfoo.so.N', ..., allow_fail=True)` call.
    The ones marked allow_fail are left out (WeasyPrint runs without them, and a newer HarfBuzz's
    extras have no package in older releases), except those in REQUIRED_ALTHOUGH_OPTIONAL.
    """
    libraries = []
    for call in re.finditer(r"_dlopen\(\s*ffi\s*,(.*?)\)", source, re.DOTALL):
        arguments = call.group(1)
        optional = re.search(r"allow_fail\s*=\s*True", arguments) is not None
        for soname in re.findall(r"""['"](lib[\w.+-]+\.so\.\d+)['"]""", arguments):
            if not optional or soname in REQUIRED_ALTHOUGH_OPTIONAL:
                libraries.append(soname)
    return libraries


def report_libraries(site_packages: Path | None) -> list[str]:
    """What WeasyPrint loads, read from the installed WeasyPrint, else the fallback list."""
    ffi = site_packages / "weasyprint" / "text" / "ffi.py" if site_packages else None
    try:
        libraries = parse_weasyprint_libraries(ffi.read_text(encoding="utf-8")) if ffi else []
    except OSError:
        libraries = []
    # A parse that misses Pango means the file changed shape: trust the short list instead.
    return libraries if "libpango-1.0.so.0" in libraries else list(REPORT_LIBRARIES_FALLBACK)


def qt_modules_used(sources: list[Path]) -> set[str]:
    """The PySide6 modules (QtCore, QtWidgets, ...) imported anywhere in these Python files.

    Generous on purpose: a name that is no PySide6 module (a "Qt" string) matches no file in
    qt_files and costs nothing.
    """
    modules = set()
    for path in sources:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        modules.update(re.findall(r"\bPySide6\.(Qt\w+)", text))
        # A module imported by name, as pytest-qt does: _import_module("QtTest").
        modules.update(re.findall(r"""["'](Qt\w+)["']""", text))
        # `from PySide6 import QtCore, QtGui` on one line, or in parentheses over several.
        for parenthesised, line in re.findall(r"from\s+PySide6\s+import\s+(?:\(([^)]*)\)|([^\n]*))", text):
            names = re.findall(r"\w+", parenthesised or line.split("#")[0])
            modules.update(name for name in names if name.startswith("Qt"))
    return modules


def python_sources(root: Path, site: Path | None, command: str) -> list[Path]:
    folders = [root / folder for folder in SOURCE_FOLDERS.get(command, ())]
    if site is not None:
        folders += [site / package for package in VENV_PACKAGES.get(command, ())]
    return [path for folder in folders for path in folder.rglob("*.py")]


def site_packages(venv: Path) -> Path | None:
    """The venv's site-packages (lib/pythonX.Y/site-packages on Linux and macOS)."""
    found = sorted(venv.glob("lib/python3*/site-packages"))
    return found[-1] if found else None


def qt_files(site: Path | None, command: str, modules: set[str]) -> list[Path]:
    """The wheel's ELF files Qt loads for this command: the platform plugin and the imported modules.

    ldd on them also resolves the bundled Qt libraries they link (libQt6Gui, libQt6XcbQpa, ...) and
    so reports those libraries' own system needs (libGL, libEGL, libfontconfig, libxkbcommon, ...).
    """
    if site is None or command not in PLATFORM_PLUGIN:
        return []
    pyside = site / "PySide6"
    plugins = pyside / "Qt" / "plugins"
    files = [plugins / "platforms" / PLATFORM_PLUGIN[command]]
    if command == "app":
        # The xcb plugin loads its OpenGL integration (GLX or EGL) from here as soon as a window opens.
        files += sorted((plugins / "xcbglintegrations").glob("*.so"))
    files += [pyside / f"{module}.abi3.so" for module in sorted(modules)]
    return [path for path in files if path.exists()]


def ldd_missing(files: list[Path]) -> set[str]:
    if not files or shutil.which("ldd") is None:
        return set()
    # ldd exits non-zero when a library is missing; its output still says which.
    result = subprocess.run(["ldd", *map(str, files)], capture_output=True, text=True)
    return parse_ldd_missing(result.stdout)


def loadable(soname: str) -> bool:
    """Whether the dynamic loader finds and loads this library (and its own dependencies)."""
    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def missing_libraries(command: str, root: Path, venv: Path) -> list[str]:
    """The sonames this command needs that the dynamic loader cannot find, sorted."""
    site = site_packages(venv)
    modules = qt_modules_used(python_sources(root, site, command))
    missing = ldd_missing(qt_files(site, command, modules))
    missing.update(soname for soname in report_libraries(site) if not loadable(soname))
    return sorted(missing)


# ---------------------------------------------------------------------------------------------
# Debian package names


def policy_package_name(soname: str) -> str:
    """The package name Debian's library-packaging policy (§8.1) gives a shared library.

    libfoo.so.N is packaged as libfooN, with a hyphen (libfoo-N) when the name ends in a digit,
    lower case, "_" becoming "-" (not allowed in package names): libxcb-cursor.so.0 → libxcb-cursor0,
    libpango-1.0.so.0 → libpango-1.0-0, libX11-xcb.so.1 → libx11-xcb1, libgcc_s.so.1 → libgcc-s1.
    """
    name, _, version = soname.partition(".so.")
    separator = "-" if name[-1:].isdigit() else ""
    return f"{name}{separator}{version}".lower().replace("_", "-")


def package_candidates(soname: str) -> list[str]:
    """Package names to try, in order: the exception or policy name, then its time64 rename."""
    name = PACKAGE_EXCEPTIONS.get(soname) or policy_package_name(soname)
    return [name, name + TIME64_SUFFIX]


def parse_apt_cache_show(output: str) -> set[str]:
    """Package names `apt-cache show` printed a record for (a name it does not know prints none)."""
    return set(re.findall(r"^Package:\s*(\S+)\s*$", output, re.MULTILINE))


def known_packages(names: list[str]) -> set[str]:
    """Which of these names are real packages apt can install (not unknown, not purely virtual)."""
    if not names:
        return set()
    result = subprocess.run(["apt-cache", "show", "--no-all-versions", *names], capture_output=True, text=True)
    return parse_apt_cache_show(result.stdout)


def choose_packages(missing: list[str], known: set[str]) -> tuple[list[str], list[str]]:
    """(packages to install, sonames no package was found for), given the real package names."""
    packages, unknown = [], []
    for soname in missing:
        found = [name for name in package_candidates(soname) if name in known]
        if found:
            if found[0] not in packages:
                packages.append(found[0])
        else:
            unknown.append(soname)
    return packages, unknown


# ---------------------------------------------------------------------------------------------
# Running apt-get


def apt_command(arguments: list[str], as_root: bool) -> list[str]:
    """apt-get with these arguments; through sudo (which asks for the password) when not root."""
    command = ["apt-get", *arguments]
    return command if as_root else ["sudo", *command]


def install_arguments(packages: list[str]) -> list[str]:
    # -qq and no recommends: only the libraries, without screens of output or a desktop's worth of extras.
    return ["install", "-y", "-qq", "--no-install-recommends", *packages]


def cannot_ask_message(command: list[str]) -> str:
    return (f"{CALLER} needs system packages but is neither root nor on a terminal where sudo could ask for "
            f"the password. Run this, then {CALLER} again:\n  {shlex.join(command)}")


def run_as_admin(arguments: list[str], *, as_root: bool, interactive: bool) -> subprocess.CompletedProcess:
    """Run apt-get (as root, or via sudo after saying exactly what will run); stop if neither can."""
    command = apt_command(arguments, as_root)
    if not as_root:
        if not interactive:
            raise SystemExit(cannot_ask_message(command))
        if shutil.which("sudo") is None:
            raise SystemExit(f"{CALLER} needs system packages; as root run:\n  {shlex.join(command[1:])}")
    print(f"{CALLER} runs: {shlex.join(command)}", flush=True)
    # Root in CI or a container: no debconf questions; sudo would drop this variable anyway.
    environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    return subprocess.run(command, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def apt_lists_empty(lists: Path = APT_LISTS) -> bool:
    """True on a machine that never ran apt-get update (container images delete the lists)."""
    return not any(lists.glob("*_Packages*"))


def update_package_lists(*, as_root: bool, interactive: bool) -> None:
    result = run_as_admin(["update", "-qq"], as_root=as_root, interactive=interactive)
    if result.returncode != 0:
        raise SystemExit(f"apt-get update failed:\n{result.stdout.strip()}")


def install_packages(packages: list[str], *, as_root: bool, interactive: bool) -> None:
    """apt-get install; on failure (stale lists: a version gone from the mirror) update and retry once."""
    result = run_as_admin(install_arguments(packages), as_root=as_root, interactive=interactive)
    if result.returncode != 0:
        update_package_lists(as_root=as_root, interactive=interactive)
        result = run_as_admin(install_arguments(packages), as_root=as_root, interactive=interactive)
    if result.returncode != 0:
        raise SystemExit(f"apt-get could not install {' '.join(packages)}:\n{result.stdout.strip()}")


def privileges() -> tuple[bool, bool]:
    """(running as root, sudo can be used: stdin is a terminal where it can ask for the password,
    or it needs none, as on hosted CI runners)."""
    as_root = os.geteuid() == 0
    on_terminal = sys.stdin is not None and sys.stdin.isatty()
    return as_root, on_terminal or (not as_root and sudo_needs_no_password())


def sudo_needs_no_password() -> bool:
    if shutil.which("sudo") is None:
        return False
    # -n: fail at once instead of asking for a password nobody can type.
    return subprocess.run(["sudo", "-n", "true"], capture_output=True).returncode == 0


# ---------------------------------------------------------------------------------------------
# What dev.py calls


def ensure_venv_support() -> None:
    """Before .venv is created: Debian's python3 lacks ensurepip until python3-venv is installed."""
    try:
        import ensurepip  # noqa: F401
        return
    except ImportError:
        pass
    if not sys.platform.startswith("linux") or shutil.which("apt-get") is None:
        raise SystemExit("Python's venv support (ensurepip) is missing: install it for this Python, then run dev.py again.")
    as_root, interactive = privileges()
    if apt_lists_empty():
        update_package_lists(as_root=as_root, interactive=interactive)
    # The package matching the running Python (python3.11-venv) rather than the default python3's.
    wanted = f"python3.{sys.version_info.minor}-venv"
    package = wanted if wanted in known_packages([wanted]) else "python3-venv"
    print("Python's venv support is missing; installing it.", flush=True)
    install_packages([package], as_root=as_root, interactive=interactive)


def ensure_libraries(command: str, root: Path, venv: Path, platform: str = sys.platform) -> None:
    """Make sure the system libraries this dev.py command needs are there; install them on Debian."""
    if platform == "darwin":
        if not pango_on_macos(os.environ):
            print(MACOS_ADVICE, flush=True)
        return
    if platform == "win32":
        if not pango_on_windows(os.environ):
            print(WINDOWS_ADVICE, flush=True)
        return
    if not platform.startswith("linux"):
        return
    installed: set[str] = set()
    # One round normally suffices (apt brings each package's own dependencies) and the next check
    # confirms it; another round catches a library ldd could only see once its parent was there.
    for _ in range(3):
        missing = missing_libraries(command, root, venv)
        if not missing:
            return
        print(f"Missing system libraries: {' '.join(missing)}", flush=True)
        packages = plan_packages(missing)
        if not set(packages) - installed:
            break
        as_root, interactive = privileges()
        install_packages(packages, as_root=as_root, interactive=interactive)
        installed.update(packages)
    if installed:
        print(f"Still missing after installing {' '.join(sorted(installed))}: {' '.join(missing)}", flush=True)


def plan_packages(missing: list[str]) -> list[str]:
    """The Debian packages for these sonames, saying which have none (or that apt is not there)."""
    if shutil.which("apt-get") is None:
        print("There is no apt-get here: install them with your package manager.", flush=True)
        return []
    if apt_lists_empty():
        as_root, interactive = privileges()
        update_package_lists(as_root=as_root, interactive=interactive)
    candidates = [name for soname in missing for name in package_candidates(soname)]
    packages, unknown = choose_packages(missing, known_packages(candidates))
    for soname in unknown:
        tried = " or ".join(package_candidates(soname))
        print(f"The system library {soname} is missing and no Debian package for it was found (tried {tried}).", flush=True)
    return packages


def pango_on_macos(environment: dict[str, str]) -> bool:
    """Whether a libpango dylib is where WeasyPrint's dlopen looks: Homebrew's lib folder or the DYLD paths."""
    folders = [*MACOS_LIBRARY_DIRS]
    if environment.get("HOMEBREW_PREFIX"):
        folders.append(os.path.join(environment["HOMEBREW_PREFIX"], "lib"))
    for variable in ("DYLD_LIBRARY_PATH", "DYLD_FALLBACK_LIBRARY_PATH"):
        folders += [folder for folder in environment.get(variable, "").split(os.pathsep) if folder]
    return any(any(Path(folder).glob("libpango-1.0*.dylib")) for folder in folders)


def pango_on_windows(environment: dict[str, str]) -> bool:
    """Whether libpango's DLL is in a folder WeasyPrint searches (its DLL folders, or PATH)."""
    configured = environment.get("WEASYPRINT_DLL_DIRECTORIES")
    folders = configured.split(";") if configured else list(WINDOWS_DLL_DIRS)
    folders += [folder for folder in environment.get("PATH", "").split(";") if folder]
    return any((Path(folder) / "libpango-1.0-0.dll").exists() for folder in folders)
