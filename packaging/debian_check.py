"""Install the .deb into a fresh minimal Debian and use it there, as a new user's machine would.

A minimal Debian root (debootstrap --variant=minbase: no X, no fonts, no Pango, no Qt libraries)
is made once and cached as a tarball; every check unpacks a fresh copy. In it:
`apt-get install ./dpia-app_*.deb` (nothing else is installed by hand), then `dpia --self-test`,
a Chinese PDF from the command line (copied out for a person to look at), the desktop app started
on a virtual X display (Xvfb on the host, its socket shared with the root) with a screenshot of its
window, and finally `apt-get remove`, which must leave the user's files alone.

Needs root (chroot, mounts), debootstrap and Xvfb; `why_not_possible()` says what is missing.
Run by `packaging/build.py` on Linux, and by tests/test_packaging.py when DPIA_DEBIAN_CHECK=1.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

PACKAGING = Path(__file__).resolve().parent
ROOT = PACKAGING.parent
RESULTS = ROOT / "build" / "debian-check"
SUITE = "bookworm"
MIRROR = os.environ.get("DPIA_DEBIAN_MIRROR", "http://deb.debian.org/debian")
# Outside the clone, so that fresh clones on the same machine reuse it (debootstrap takes minutes).
CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "dpia-app-build"
DISPLAY_NUMBER = 87
TIMEOUT = 600


class CheckFailed(RuntimeError):
    pass


def why_not_possible() -> str:
    """Empty when the check can run here; otherwise what is missing, in words."""
    if not sys.platform.startswith("linux"):
        return "it needs Linux"
    if os.geteuid() != 0:
        return "it needs root (debootstrap, chroot and mounts): run the build as root or with sudo"
    missing = [tool for tool, package in (("debootstrap", "debootstrap"), ("Xvfb", "xvfb"), ("xwininfo", "x11-utils"))
               if shutil.which(tool) is None]
    if missing:
        return f"it needs {', '.join(missing)}: apt-get install debootstrap xvfb x11-utils"
    if not _can_mount():
        return "this machine does not allow mounting (a container without CAP_SYS_ADMIN), which chroot needs for /proc and /dev"
    return ""


def _can_mount() -> bool:
    with tempfile.TemporaryDirectory(prefix="dpia-mount-probe-") as folder:
        if subprocess.run(["mount", "-t", "tmpfs", "tmpfs", folder], capture_output=True).returncode != 0:
            return False
        subprocess.run(["umount", folder], check=False)
        return True


def check(deb: Path) -> str:
    """Run the whole check; returns a summary line, raises CheckFailed saying which step failed."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with fresh_root() as root, mounted(root):
        run_in(root, "apt-get", "update", "-qq")
        shutil.copy(deb, root / "tmp" / deb.name)
        run_in(root, "apt-get", "install", "-y", "-qq", f"/tmp/{deb.name}")
        installed = run_in(root, "dpkg-query", "-W", "-f=${Version}", "dpia-app").stdout.strip()
        if not shutil.which("dpia", path=str(root / "usr/bin")):
            raise CheckFailed("the dpia command is not in /usr/bin after installing the .deb")
        self_test = run_in(root, "dpia", "--self-test", timeout=300).stdout.strip().splitlines()[0]
        pdf = chinese_report(root)
        window = start_app_on_virtual_display(root)
        uninstall_keeps_user_files(root)
    return (f"installed dpia-app {installed} into a fresh Debian {SUITE} (minbase) with apt: {self_test}; "
            f"Chinese PDF {pdf.relative_to(ROOT)}; {window}; removed cleanly ({time.monotonic() - started:.0f} s)")


# --- the root ----------------------------------------------------------------------------------------

@contextlib.contextmanager
def fresh_root() -> Iterator[Path]:
    tarball = cached_minbase()
    with tempfile.TemporaryDirectory(prefix="dpia-debian-") as folder:
        root = Path(folder) / "root"
        root.mkdir()
        # tar keeps the owners, modes and device nodes of a root file system exactly.
        subprocess.run(["tar", "-C", str(root), "-xf", str(tarball)], check=True)
        shutil.copy("/etc/resolv.conf", root / "etc" / "resolv.conf")
        yield root


def cached_minbase() -> Path:
    tarball = CACHE / f"debian-{SUITE}-minbase.tar"
    if tarball.exists():
        return tarball
    CACHE.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="dpia-debootstrap-") as folder:
        print(f"debootstrap --variant=minbase {SUITE} (once; cached in {tarball})", flush=True)
        subprocess.run(["debootstrap", "--variant=minbase", SUITE, folder, MIRROR], check=True,
                       stdout=subprocess.DEVNULL, timeout=TIMEOUT)
        partial = tarball.with_suffix(".partial")
        subprocess.run(["tar", "-C", folder, "-cf", str(partial), "."], check=True)
        partial.rename(tarball)
    return tarball


@contextlib.contextmanager
def mounted(root: Path) -> Iterator[None]:
    """/proc, /dev, /dev/pts, and the host's X socket folder, unmounted again whatever happens."""
    x11 = root / "tmp" / ".X11-unix"
    x11.mkdir(parents=True, exist_ok=True)
    Path("/tmp/.X11-unix").mkdir(mode=0o1777, exist_ok=True)
    mounts = [(["-t", "proc", "proc"], root / "proc"), (["--bind", "/dev"], root / "dev"),
              (["--bind", "/dev/pts"], root / "dev/pts"), (["--bind", "/tmp/.X11-unix"], x11)]
    done = []
    try:
        for options, target in mounts:
            subprocess.run(["mount", *options, str(target)], check=True)
            done.append(target)
        yield
    finally:
        for target in reversed(done):
            subprocess.run(["umount", "-l", str(target)], check=False)


def run_in(root: Path, *command: str, timeout: int = TIMEOUT, env: dict | None = None) -> subprocess.CompletedProcess:
    environment = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "HOME": "/root", "LANG": "C.UTF-8",
                   "DEBIAN_FRONTEND": "noninteractive", **(env or {})}
    result = subprocess.run([_chroot(), str(root), *command], capture_output=True, text=True, timeout=timeout,
                            env=environment)
    if result.returncode != 0:
        raise CheckFailed(f"`{' '.join(command)}` failed in the fresh Debian (exit {result.returncode}):\n"
                          f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result


# --- the steps ----------------------------------------------------------------------------------------

def chinese_report(root: Path) -> Path:
    example = "/usr/lib/dpia-app/_internal/dpia_app/examples/s2-mall-vip-recognition.dpia"
    run_in(root, "dpia", "render", example, "-o", "/tmp/s2-zh.pdf", "--lang", "zh", timeout=300)
    # The PDF carries its draft: reading it back proves the file is whole, not only that it exists.
    run_in(root, "dpia", "import-pdf", "/tmp/s2-zh.pdf", "-o", "/tmp/s2-again.dpia")
    if (root / "tmp/s2-again.dpia").read_bytes() != (root / example.lstrip("/")).read_bytes():
        raise CheckFailed("the Chinese PDF made in the fresh Debian does not carry its draft unchanged")
    target = RESULTS / "s2-zh.pdf"
    shutil.copy(root / "tmp/s2-zh.pdf", target)
    return target


def start_app_on_virtual_display(root: Path) -> str:
    display = f":{DISPLAY_NUMBER}"
    server = subprocess.Popen(["Xvfb", display, "-screen", "0", "1440x900x24", "-nolisten", "tcp"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    app = None
    try:
        _wait_for(lambda: Path(f"/tmp/.X11-unix/X{DISPLAY_NUMBER}").exists(), 20, "Xvfb did not start")
        log = (RESULTS / "app-output.txt").open("w")
        app = subprocess.Popen([_chroot(), str(root), "dpia-app"], stdout=log, stderr=subprocess.STDOUT,
                               env={"PATH": "/usr/bin:/bin", "HOME": "/root", "LANG": "zh_CN.UTF-8", "DISPLAY": display})
        _wait_for(lambda: app.poll() is not None or "DPIA" in _window_names(display), 60,
                  "the app's window did not appear on the virtual display within 60 s")
        if app.poll() is not None:
            raise CheckFailed(f"the app exited (code {app.returncode}) instead of showing its window:\n"
                              + (RESULTS / "app-output.txt").read_text(errors="replace")[-3000:])
        time.sleep(2)  # let it finish painting before the picture is taken
        picture = _screenshot(display)
        return f"app window shown on X11 ({picture.relative_to(ROOT) if picture.is_absolute() else picture})"
    finally:
        if app is not None and app.poll() is None:
            app.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                app.wait(10)
            if app.poll() is None:
                app.kill()
        server.terminate()
        server.wait(10)


def uninstall_keeps_user_files(root: Path) -> None:
    settings = root / "root/.config/dpia-app"
    draft = root / "root/my-assessment.dpia"
    shutil.copy(root / "tmp/s2-again.dpia", draft)
    run_in(root, "apt-get", "remove", "-y", "-qq", "dpia-app")
    leftovers = [path for path in ("usr/bin/dpia", "usr/bin/dpia-app", "usr/lib/dpia-app") if (root / path).exists()]
    if leftovers:
        raise CheckFailed(f"apt-get remove left {', '.join(leftovers)} behind")
    if not draft.exists() or not settings.exists():
        raise CheckFailed("apt-get remove took the user's draft or settings with it")


def _chroot() -> str:
    # Found on the host's PATH: the environments given to the commands below are the root's.
    return shutil.which("chroot") or "/usr/sbin/chroot"


def _window_names(display: str) -> str:
    result = subprocess.run(["xwininfo", "-root", "-tree", "-display", display], capture_output=True, text=True)
    return result.stdout


def _screenshot(display: str) -> Path:
    """The virtual screen as PNG, for a person to look at (ImageMagick's import; skipped without it)."""
    png = RESULTS / "app-window.png"
    if shutil.which("import") is None:
        return Path("(no screenshot: apt-get install imagemagick)")
    subprocess.run(["import", "-display", display, "-window", "root", str(png)], check=True)
    return png


def _wait_for(condition, seconds: float, message: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.5)
    raise CheckFailed(message)


if __name__ == "__main__":
    reason = why_not_possible()
    if reason:
        sys.exit(f"cannot check here: {reason}")
    packages = sorted((ROOT / "dist" / "packages").glob("dpia-app_*.deb"))
    if not packages:
        sys.exit("no dist/packages/dpia-app_*.deb: run python3 packaging/build.py first")
    print(check(packages[-1]))
