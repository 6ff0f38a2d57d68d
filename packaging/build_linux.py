"""The Linux packages: a .deb (dpkg-deb) and a plain .tar.gz of the app folder.

Both carry the same frozen folder, a desktop entry, icons and a shared-mime-info type for .dpia
drafts. The frozen folder brings its own libraries (Qt, Pango, HarfBuzz, GLib, Fontconfig...); the
.deb declares the few it does not bundle (libc, OpenGL, libxcb), which dpkg-shlibdeps reads off
the bundled programs and libraries, so `apt install ./dpia-app_*.deb` on a fresh Debian pulls them in.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
from pathlib import Path

PACKAGING = Path(__file__).resolve().parent
ROOT = PACKAGING.parent
ICONS = PACKAGING / "icons"
LINUX = PACKAGING / "linux"
ICON_SIZES = (16, 32, 48, 64, 128, 256, 512)
INSTALL_DIR = "usr/lib/dpia-app"  # where the .deb puts the frozen folder
PACKAGE = "dpia-app"


def package(app_dir: Path, version: str, out_dir: Path) -> list[Path]:
    _require_tools()
    architecture = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True, check=True).stdout.strip()
    machine = os.uname().machine
    return [build_deb(app_dir, version, architecture, out_dir), build_tarball(app_dir, version, machine, out_dir)]


# --- .deb -----------------------------------------------------------------------------------------

def build_deb(app_dir: Path, version: str, architecture: str, out_dir: Path) -> Path:
    stage = ROOT / "build" / "deb" / PACKAGE
    shutil.rmtree(stage, ignore_errors=True)
    shutil.copytree(app_dir, stage / INSTALL_DIR, symlinks=True)
    bin_dir = stage / "usr/bin"
    bin_dir.mkdir(parents=True)
    for name in ("dpia", "dpia-app"):
        # Relative links: PyInstaller's launcher follows them (/proc/self/exe) to find _internal.
        (bin_dir / name).symlink_to(f"../lib/dpia-app/{name}")
    _add_desktop_integration(stage / "usr/share", exec_line="dpia-app %f")
    doc = stage / "usr/share/doc" / PACKAGE
    doc.mkdir(parents=True)
    shutil.copy(LINUX / "copyright", doc / "copyright")
    control = stage / "DEBIAN"
    control.mkdir()
    fields = {
        "Package": PACKAGE,
        "Version": version,
        "Architecture": architecture,
        "Maintainer": "DPIA app team <maintainers@dpiaapp.org>",
        "Installed-Size": str(_size_kib(stage)),
        "Depends": shared_library_depends(stage),
        "Section": "utils",
        "Priority": "optional",
        "Description": "impact assessment (PIPIA) for facial recognition in China\n"
                       " A desktop wizard for compliance officers and DPOs: it walks through the\n"
                       " personal-information protection impact assessment the PIPL and the CAC/MPS\n"
                       " facial-recognition measures require, raises findings with their legal\n"
                       " citations, scores risks (GB/T 39335) and exports the report as a PDF.\n"
                       " English and Simplified Chinese.",
    }
    (control / "control").write_text("".join(f"{key}: {value}\n" for key, value in fields.items()), encoding="utf-8")
    _normalise_permissions(stage)
    target = out_dir / f"{PACKAGE}_{version}_{architecture}.deb"
    target.unlink(missing_ok=True)
    # xz is what Debian itself uses; --root-owner-group so files belong to root, not the builder.
    subprocess.run(["dpkg-deb", "--root-owner-group", "-Zxz", "--build", str(stage), str(target)], check=True,
                   stdout=subprocess.DEVNULL)
    return target


def shared_library_depends(stage: Path) -> str:
    """The Depends line for the system libraries the bundle links to but does not carry.

    dpkg-shlibdeps reads every bundled program and library; -S and -l make it treat libraries
    inside the bundle as the package's own, so only libraries found on the system (libc, libGL,
    libxcb...) become dependencies, each with the lowest version that has the symbols used.
    """
    install = Path("/") / INSTALL_DIR
    elf_files = [path for path in (stage / INSTALL_DIR).rglob("*") if path.is_file() and not path.is_symlink() and _is_elf(path)]
    private_dirs = {install / path.parent.relative_to(stage / INSTALL_DIR) for path in elf_files}
    work = ROOT / "build" / "deb" / "shlibdeps"
    (work / "debian").mkdir(parents=True, exist_ok=True)
    # dpkg-shlibdeps insists on a debian/control naming the binary package.
    (work / "debian" / "control").write_text(f"Source: {PACKAGE}\n\nPackage: {PACKAGE}\nArchitecture: any\n")
    result = subprocess.run(["dpkg-shlibdeps", "-O", "--ignore-missing-info", f"-S{stage}",
                             *[f"-l{directory}" for directory in sorted(private_dirs)],
                             *[str(path) for path in elf_files]],
                            cwd=work, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"dpkg-shlibdeps could not work out the .deb's dependencies:\n{result.stderr}")
    for line in result.stdout.splitlines():
        if line.startswith("shlibs:Depends="):
            return line.split("=", 1)[1]
    raise SystemExit(f"dpkg-shlibdeps printed no dependencies:\n{result.stdout}\n{result.stderr}")


# --- .tar.gz ------------------------------------------------------------------------------------

def build_tarball(app_dir: Path, version: str, machine: str, out_dir: Path) -> Path:
    """dpia-app-<version>/ with the app, and a script that adds it to the user's desktop menu."""
    top = f"dpia-app-{version}"
    target = out_dir / f"dpia-app-{version}-linux-{machine}.tar.gz"
    share = ROOT / "build" / "tarball-share"
    shutil.rmtree(share, ignore_errors=True)
    # The menu entry's Exec and icon paths are filled in by install-desktop-entry.sh, which knows
    # where the user unpacked the folder.
    _add_desktop_integration(share, exec_line="@APP_DIR@/dpia-app %f")
    with tarfile.open(target, "w:gz", compresslevel=9) as archive:
        archive.add(app_dir, arcname=top, filter=_owned_by_root)
        archive.add(share, arcname=f"{top}/share", filter=_owned_by_root)
        for name in ("install-desktop-entry.sh", "README-linux.txt"):
            archive.add(LINUX / name, arcname=f"{top}/{name}", filter=_owned_by_root)
    return target


# --- shared ----------------------------------------------------------------------------------------

def _add_desktop_integration(share: Path, exec_line: str) -> None:
    """Desktop entry, hicolor icons for the app and for .dpia files, and the MIME type."""
    applications = share / "applications"
    applications.mkdir(parents=True, exist_ok=True)
    desktop = (LINUX / "dpia-app.desktop").read_text(encoding="utf-8").replace("@EXEC@", exec_line)
    (applications / "dpia-app.desktop").write_text(desktop, encoding="utf-8")
    mime = share / "mime" / "packages"
    mime.mkdir(parents=True, exist_ok=True)
    shutil.copy(LINUX / "dpia-app-mime.xml", mime / "dpia-app.xml")
    for size in ICON_SIZES:
        for source, kind, name in (("dpia-app", "apps", "dpia-app"), ("dpia-document", "mimetypes", "application-x-dpia")):
            folder = share / "icons" / "hicolor" / f"{size}x{size}" / kind
            folder.mkdir(parents=True, exist_ok=True)
            shutil.copy(ICONS / f"{source}-{size}.png", folder / f"{name}.png")


def _require_tools() -> None:
    missing = [tool for tool in ("dpkg-deb", "dpkg-shlibdeps") if shutil.which(tool) is None]
    if missing:
        raise SystemExit(f"Making the .deb needs {', '.join(missing)}: sudo apt-get install dpkg-dev")


def _is_elf(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(4) == b"\x7fELF"


def _size_kib(folder: Path) -> int:
    return sum(path.lstat().st_size for path in folder.rglob("*")) // 1024 + 1


def _normalise_permissions(stage: Path) -> None:
    """Whatever the builder's umask: folders and programs 755, everything else 644."""
    for path in stage.rglob("*"):
        if path.is_symlink():
            continue
        executable = path.is_dir() or os.access(path, os.X_OK)
        path.chmod(0o755 if executable else 0o644)


def _owned_by_root(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.uid = info.gid = 0
    info.uname = info.gname = "root"
    return info

