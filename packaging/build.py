#!/usr/bin/env python3
"""Build the installable app for the OS this runs on: `python3 packaging/build.py` (`py` on Windows).

From a clean clone it:
1. makes a build environment in build/venv with the app (installed from source, not editable, as
   users get it) and PyInstaller;
2. freezes the app with packaging/dpia.spec into dist/dpia-app (dist/DPIA.app on macOS);
3. runs the frozen app's own self-test (`dpia --self-test`, `dpia-app --self-test`);
4. makes the packages in dist/packages: Linux .deb and .tar.gz, Windows setup .exe, macOS .dmg
   (signed and notarised when the signing secrets are present; see packaging/SIGNING.md);
5. on Linux, installs the .deb into a fresh minimal Debian and starts it there (packaging/debian_check.py;
   needs root, skipped with a line saying so otherwise, or with --no-install-check).

Options: --skip-freeze (reuse dist/ from the last run), --no-self-test, --no-install-check.
Stdlib only: it runs before any environment exists.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import time
import tomllib
import venv
from pathlib import Path

PACKAGING = Path(__file__).resolve().parent
ROOT = PACKAGING.parent
BUILD = ROOT / "build"
DIST = ROOT / "dist"
PACKAGES = DIST / "packages"
BUILD_VENV = BUILD / "venv"
sys.path.insert(0, str(PACKAGING))


def version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def step(message: str) -> None:
    print(f"\n== {message}", flush=True)


def venv_python() -> Path:
    return BUILD_VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def prepare_build_environment() -> Path:
    """build/venv with the build tools; the app itself is reinstalled from source every time."""
    python = venv_python()
    if not python.exists():
        step(f"creating the build environment in {BUILD_VENV.relative_to(ROOT)}")
        venv.EnvBuilder(with_pip=True, clear=True).create(BUILD_VENV)
    stamp = BUILD_VENV / ".dpia-build-requirements"
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    quiet = ["--quiet", "--disable-pip-version-check"]
    if not stamp.exists() or stamp.read_text().strip() != wanted:
        step("installing the app's dependencies and PyInstaller")
        subprocess.run([python, "-m", "pip", "install", *quiet, "--upgrade", "pip"], check=True)
        subprocess.run([python, "-m", "pip", "install", *quiet, f"{ROOT}[build]"], check=True)
        stamp.write_text(wanted)
    step("installing the app from source")
    # Not editable: PyInstaller must see the package exactly as a wheel lays it out (forms/ and
    # report_templates/ become dpia_app.forms and dpia_app.report_templates).
    subprocess.run([python, "-m", "pip", "install", *quiet, "--no-deps", "--force-reinstall", str(ROOT)], check=True)
    return python


def ensure_linux_build_requirements(with_install_check: bool) -> None:
    """Linux: the system libraries the bundle copies, and the tools that make and check the .deb.

    PyInstaller can only bundle a library this machine has, so Qt's X11 plugin's libraries and the
    report's must be installed here; dev.py's own check reads them off the wheels in build/venv.
    """
    sys.path.insert(0, str(ROOT / "tools"))
    import system_deps

    system_deps.CALLER = "packaging/build.py"
    system_deps.ensure_libraries("app", ROOT, BUILD_VENV)
    tools = {"dpkg-deb": "dpkg", "dpkg-shlibdeps": "dpkg-dev"}
    if with_install_check and os.geteuid() == 0:
        tools |= {"debootstrap": "debootstrap", "Xvfb": "xvfb", "xwininfo": "x11-utils"}
    missing = sorted({package for tool, package in tools.items() if shutil.which(tool) is None})
    if missing:
        step(f"installing the build tools: {' '.join(missing)}")
        as_root, interactive = system_deps.privileges()
        system_deps.install_packages(missing, as_root=as_root, interactive=interactive)


def freeze(python: Path) -> None:
    step("freezing the app with PyInstaller (packaging/dpia.spec)")
    subprocess.run([python, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
                    "--distpath", str(DIST), "--workpath", str(BUILD / "pyinstaller"),
                    str(PACKAGING / "dpia.spec")], check=True, cwd=BUILD)


def frozen_app() -> Path:
    """The finished app: the onedir folder, or the .app bundle on macOS."""
    return DIST / "DPIA.app" if sys.platform == "darwin" else DIST / "dpia-app"


def frozen_executables() -> dict[str, Path]:
    suffix = ".exe" if os.name == "nt" else ""
    folder = frozen_app() / "Contents" / "MacOS" if sys.platform == "darwin" else frozen_app()
    return {name: folder / f"{name}{suffix}" for name in ("dpia", "dpia-app")}


def self_test() -> None:
    step("self-test of the frozen app")
    for name, executable in frozen_executables().items():
        # Through a file: the Windows desktop app has no console, so its printed line may go nowhere.
        summary = BUILD / f"self-test-{name}.txt"
        summary.unlink(missing_ok=True)
        started = time.monotonic()
        result = subprocess.run([executable, "--self-test", "--self-test-output", summary], capture_output=True,
                                text=True, cwd=BUILD)
        said = summary.read_text(encoding="utf-8").strip() if summary.exists() else result.stdout.strip()
        print(said or result.stderr.strip(), f"[{name}, {time.monotonic() - started:.1f} s]")
        if result.returncode != 0:
            sys.exit(f"The frozen {name} failed its self-test (exit {result.returncode}):\n{said}\n{result.stderr}")


def make_packages(app_version: str) -> list[Path]:
    step("making the packages")
    PACKAGES.mkdir(parents=True, exist_ok=True)
    if sys.platform.startswith("linux"):
        import build_linux

        return build_linux.package(frozen_app(), app_version, PACKAGES)
    if sys.platform == "win32":
        import build_windows

        return build_windows.package(frozen_app(), app_version, PACKAGES)
    if sys.platform == "darwin":
        import build_macos

        return build_macos.package(frozen_app(), app_version, PACKAGES)
    sys.exit(f"No installer is made for {sys.platform}.")


def install_check(packages: list[Path]) -> None:
    import debian_check

    deb = next(path for path in packages if path.suffix == ".deb")
    step("installing the .deb into a fresh minimal Debian and starting it there")
    reason = debian_check.why_not_possible()
    if reason:
        print(f"install check skipped: {reason}")
        return
    try:
        print(debian_check.check(deb))
    except debian_check.CheckFailed as failure:
        sys.exit(f"The .deb does not work on a fresh Debian: {failure}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skip-freeze", action="store_true", help="reuse the frozen app in dist/ from the last build")
    parser.add_argument("--no-self-test", action="store_true", help="do not run the frozen app's self-test")
    parser.add_argument("--no-install-check", action="store_true", help="Linux: do not install the .deb into a fresh Debian")
    options = parser.parse_args(argv)
    app_version = version()
    started = time.monotonic()
    BUILD.mkdir(exist_ok=True)
    if not options.skip_freeze:
        shutil.rmtree(frozen_app(), ignore_errors=True)
        python = prepare_build_environment()
        if sys.platform.startswith("linux"):
            ensure_linux_build_requirements(not options.no_install_check)
        freeze(python)
    elif not frozen_app().exists():
        sys.exit(f"--skip-freeze: there is no {frozen_app().relative_to(ROOT)} from an earlier build.")
    if not options.no_self_test:
        self_test()
    packages = make_packages(app_version)
    if sys.platform.startswith("linux") and not options.no_install_check:
        install_check(packages)
    step(f"DPIA {app_version} built in {time.monotonic() - started:.0f} s")
    for package in packages:
        print(f"  {package.relative_to(ROOT)}  {package.stat().st_size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
