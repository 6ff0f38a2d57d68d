"""The installable app: what goes into the bundle, how the bundled libraries are found, the Linux
packages, and (marked) the frozen app's self-test and the install into a fresh Debian.

The marked tests need the Linux build in dist/ (`python3 packaging/build.py`); with
DPIA_BUILD_FROZEN=1 (set by .ci/run) they build it first, and with DPIA_DEBIAN_CHECK=1 they also
install the .deb into a fresh minimal Debian (root, debootstrap, Xvfb).
"""

from __future__ import annotations

import ast
import configparser
import os
import re
import shutil
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ElementTree
from pathlib import Path, PureWindowsPath

import pytest

from dpia_app import bundled_libraries
from dpia_app.bundled_libraries import MANAGED, find_bundled, library_key, use_bundled_libraries

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
sys.path.insert(0, str(PACKAGING))

import build_linux  # noqa: E402
import bundle_contents  # noqa: E402
import debian_check  # noqa: E402

LINUX_ONLY = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux packages are built on Linux")


# --- WeasyPrint's libraries ---------------------------------------------------------------------------

def weasyprint_library_calls() -> dict[str, list[str]]:
    """Every `_dlopen(ffi, "name", ...)` in WeasyPrint's ffi.py: the variable and the spellings it tries."""
    import weasyprint.text.ffi

    tree = ast.parse(Path(weasyprint.text.ffi.__file__).read_text(encoding="utf-8"))
    calls = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and getattr(node.value.func, "id", "") == "_dlopen":
            calls[node.targets[0].id] = [arg.value for arg in node.value.args[1:] if isinstance(arg, ast.Constant)]
    return calls


def test_every_spelling_weasyprint_tries_names_one_managed_library():
    calls = weasyprint_library_calls()
    assert {"pango", "harfbuzz", "harfbuzz_subset", "fontconfig", "pangoft2", "gobject"} <= set(calls)
    for variable, spellings in calls.items():
        keys = {library_key(name) for name in spellings}
        # A new library in a WeasyPrint upgrade fails here until the bundle manages it.
        assert len(keys) == 1 and keys <= set(MANAGED), (variable, spellings, keys)


def test_the_bundle_names_each_library_on_each_os():
    for os_name, files in bundled_libraries.BUNDLED_FILES.items():
        assert {library_key(name) for name in files.values()} == set(files), os_name
        assert set(files) == set(MANAGED) - {"harfbuzz-vector"}  # the only optional one


def test_bundled_copies_are_found_by_file_name(tmp_path):
    for name in ("libpango-1.0.so.0", "libharfbuzz.so.0", "libharfbuzz-vector.so.0", "libQt6Core.so.6"):
        (tmp_path / name).write_bytes(b"")
    found = find_bundled(tmp_path, "linux")
    assert found == {"pango": tmp_path / "libpango-1.0.so.0", "harfbuzz": tmp_path / "libharfbuzz.so.0",
                     "harfbuzz-vector": tmp_path / "libharfbuzz-vector.so.0"}
    (tmp_path / "libpango-1.0-0.dll").write_bytes(b"")
    assert find_bundled(tmp_path, "win32") == {"pango": tmp_path / "libpango-1.0-0.dll"}


def test_a_development_install_is_left_alone(monkeypatch):
    class NotFrozen:
        _MEIPASS = "/somewhere"

    assert bundled_libraries.bundle_folder(NotFrozen) is None
    environ = {"LD_LIBRARY_PATH": "/opt/lib"}
    assert use_bundled_libraries(None, "linux", environ) == {}
    assert environ == {"LD_LIBRARY_PATH": "/opt/lib"}


@LINUX_ONLY
def test_cffi_loads_the_bundled_copy_and_never_a_system_one(tmp_path):
    """In a fresh interpreter (the routing lasts for the process): a copy of HarfBuzz in a 'bundle'
    folder is what every WeasyPrint spelling opens; a managed library the bundle lacks fails as
    absent even though the system has it; other libraries are untouched."""
    system_harfbuzz = bundle_contents._linux_library("libharfbuzz.so.0")
    assert system_harfbuzz is not None
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    shutil.copy(system_harfbuzz, bundle / "libharfbuzz.so.0")
    script = textwrap.dedent(f"""
        import cffi, sys
        from pathlib import Path, PureWindowsPath
        from dpia_app.bundled_libraries import use_bundled_libraries
        found = use_bundled_libraries(Path({str(bundle)!r}), "linux", environ={{}})
        assert list(found) == ["harfbuzz"], found
        ffi = cffi.FFI()
        ffi.cdef("const char *hb_version_string(void);")
        for spelling in ("libharfbuzz-0", "harfbuzz", "harfbuzz-0.0", "libharfbuzz.so.0"):
            ffi.dlopen(spelling).hb_version_string()
        maps = Path("/proc/self/maps").read_text()
        assert {str(bundle / "libharfbuzz.so.0")!r} in maps
        assert {str(system_harfbuzz.resolve())!r} not in maps, "the system's HarfBuzz was loaded"
        try:
            ffi.dlopen("libpango-1.0.so.0")
        except OSError as error:
            assert "not bundled" in str(error)
        else:
            sys.exit("a library missing from the bundle was loaded from the system")
        ffi.dlopen("libm.so.6")  # not one of WeasyPrint's: the usual search
        print("routed")
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "routed"


def test_fontconfig_gets_the_apps_configuration_only_where_the_system_has_none(tmp_path, monkeypatch):
    config = tmp_path / "fontconfig" / "fonts.conf"
    config.parent.mkdir()
    config.write_text("<fontconfig/>")
    monkeypatch.setattr(bundled_libraries, "SYSTEM_FONTCONFIG", tmp_path / "absent.conf")
    environ: dict[str, str] = {}
    bundled_libraries._use_app_fontconfig(tmp_path, environ)
    assert environ == {"FONTCONFIG_FILE": str(config), "FONTCONFIG_PATH": str(config.parent)}
    # The user's own choice wins, and so does a Linux desktop's configuration.
    environ = {"FONTCONFIG_FILE": "/home/me/fonts.conf"}
    bundled_libraries._use_app_fontconfig(tmp_path, environ)
    assert environ == {"FONTCONFIG_FILE": "/home/me/fonts.conf"}
    monkeypatch.setattr(bundled_libraries, "SYSTEM_FONTCONFIG", config)
    environ = {}
    bundled_libraries._use_app_fontconfig(tmp_path, environ)
    assert environ == {}


class FrozenApp:
    frozen = True
    _MEIPASS = "/opt/dpia/_internal"


def test_other_programs_get_the_users_library_path_and_the_app_keeps_the_bundles():
    """The PDF viewer must not load the bundle's libraries; the export process (the app's own
    executable started again) must, so the bundle's path comes back as soon as the viewer started."""
    environ = {"LD_LIBRARY_PATH": "/opt/dpia/_internal", "LD_LIBRARY_PATH_ORIG": "/opt/mine"}
    with bundled_libraries.environment_for_other_programs(environ, FrozenApp, "linux"):
        assert environ["LD_LIBRARY_PATH"] == "/opt/mine"
    assert environ == {"LD_LIBRARY_PATH": "/opt/dpia/_internal", "LD_LIBRARY_PATH_ORIG": "/opt/mine"}
    environ = {"LD_LIBRARY_PATH": "/opt/dpia/_internal"}
    with pytest.raises(RuntimeError), bundled_libraries.environment_for_other_programs(environ, FrozenApp, "linux"):
        assert "LD_LIBRARY_PATH" not in environ
        raise RuntimeError("the viewer could not be started")
    assert environ == {"LD_LIBRARY_PATH": "/opt/dpia/_internal"}
    # A development install, and other systems, are left alone.
    for system, platform in ((sys, "linux"), (FrozenApp, "win32")):
        environ = {"LD_LIBRARY_PATH": "/opt/x"}
        with bundled_libraries.environment_for_other_programs(environ, system, platform):
            assert environ == {"LD_LIBRARY_PATH": "/opt/x"}


def test_routing_the_bundled_libraries_leaves_the_library_path_for_the_apps_own_children(tmp_path, monkeypatch):
    monkeypatch.setattr(bundled_libraries, "_route_cffi_dlopen", lambda bundled, os_name: None)
    environ = {"LD_LIBRARY_PATH": str(tmp_path), "LD_LIBRARY_PATH_ORIG": "/opt/mine", "FONTCONFIG_FILE": "/x.conf"}
    use_bundled_libraries(tmp_path, "linux", environ)
    assert environ == {"LD_LIBRARY_PATH": str(tmp_path), "LD_LIBRARY_PATH_ORIG": "/opt/mine", "FONTCONFIG_FILE": "/x.conf"}


@pytest.mark.parametrize("os_name", ["unix", "windows"])
def test_the_apps_fontconfig_files_are_well_formed(os_name):
    tree = ElementTree.parse(PACKAGING / "fontconfig" / os_name / "fonts.conf")
    assert tree.getroot().tag == "fontconfig"
    assert list(tree.getroot().iter("dir")) and list(tree.getroot().iter("cachedir"))


@LINUX_ONLY
def test_fontconfig_reads_the_apps_unix_configuration_without_a_warning(tmp_path):
    """Fontconfig itself loads packaging/fontconfig/unix/fonts.conf (as on a Mac or a bare Linux)."""
    config = PACKAGING / "fontconfig" / "unix" / "fonts.conf"
    script = ("import ctypes; fc = ctypes.CDLL('libfontconfig.so.1'); "
              "assert fc.FcInitLoadConfigAndFonts(), 'no configuration'; print('loaded')")
    environment = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "FONTCONFIG_FILE": str(config)}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=environment)
    assert result.returncode == 0 and result.stdout.strip() == "loaded", result.stderr
    assert "Fontconfig" not in result.stderr, result.stderr
    assert (tmp_path / ".cache" / "fontconfig").is_dir()  # the cache went to the user's folder


# --- what goes into the bundle --------------------------------------------------------------------

def test_only_the_qt_plugins_and_translations_the_app_loads_are_kept():
    def entry(folder, name):
        return (f"/site/PySide6/Qt/{folder}/{name}", f"PySide6/Qt/{folder}")

    kept = {"plugins/platforms": ["libqxcb.so", "libqoffscreen.so", "qwindows.dll", "libqcocoa.dylib"],
            "plugins/platforminputcontexts": ["libibusplatforminputcontextplugin.so"],
            "plugins/platformthemes": ["libqxdgdesktopportal.so"],
            "translations": ["qtbase_zh_CN.qm"],
            "lib": ["libQt6Core.so.6"]}
    dropped = {"plugins/platforms": ["libqwayland.so", "libqvnc.so", "libqeglfs.so", "qdirect2d.dll"],
               "plugins/platformthemes": ["libqgtk3.so"],
               "plugins/imageformats": ["libqsvg.so", "qjpeg.dll"], "plugins/tls": ["libqopensslbackend.so"],
               "plugins/styles": ["qmodernwindowsstyle.dll"], "plugins/xcbglintegrations": ["libqxcb-glx-integration.so"],
               "plugins/qmltooling": ["libqmldbg_debugger.so"],
               "translations": ["qtbase_de.qm", "qtdeclarative_zh_CN.qm", "assistant_zh_CN.qm"]}
    keep = [entry(folder, name) for folder, names in kept.items() for name in names]
    drop = [entry(folder, name) for folder, names in dropped.items() for name in names]
    assert bundle_contents.only_needed_qt_files(keep + drop) == keep
    windows = [("C:\\site\\PySide6\\plugins\\platforms\\qwindows.dll", "PySide6\\plugins\\platforms"),
               ("C:\\site\\PySide6\\plugins\\styles\\qmodernwindowsstyle.dll", "PySide6\\plugins\\styles")]
    assert bundle_contents.only_needed_qt_files(windows) == windows[:1]


def test_windows_opengl_fallbacks_are_left_out_but_icu_stays():
    entries = [(f"C:\\site\\PySide6\\{name}", "PySide6") for name in
               ("opengl32sw.dll", "d3dcompiler_47.dll", "libEGL.dll", "libGLESv2.dll", "icudt73.dll", "icuuc73.dll")]
    assert [PureWindowsPath(source).name for source, _ in bundle_contents.without_opengl_fallbacks(entries)] == ["icudt73.dll", "icuuc73.dll"]


def test_a_build_without_the_report_libraries_stops_with_what_to_install(monkeypatch):
    monkeypatch.setattr(bundle_contents, "os_key", lambda: "linux")
    complete = [(name, f"/usr/lib/{name}", "BINARY") for name in bundled_libraries.BUNDLED_FILES["linux"].values()]
    bundle_contents.check_report_libraries(complete)
    with pytest.raises(SystemExit, match="libharfbuzz-subset.so.0.*apt-get install"):
        bundle_contents.check_report_libraries([entry for entry in complete if "subset" not in entry[0]])


# --- Linux desktop integration ------------------------------------------------------------------------

def read_desktop_entry(text: str) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # keys are case-sensitive (Name[zh_CN])
    parser.read_string(text)
    return dict(parser["Desktop Entry"])


def test_desktop_entry_opens_dpia_drafts_with_the_app(tmp_path):
    build_linux._add_desktop_integration(tmp_path, exec_line="dpia-app %f")
    entry = read_desktop_entry((tmp_path / "applications" / "dpia-app.desktop").read_text(encoding="utf-8"))
    assert entry["Type"] == "Application" and entry["Exec"] == "dpia-app %f" and entry["Icon"] == "dpia-app"
    assert "application/x-dpia" in entry["MimeType"].split(";")
    assert entry["Name[zh_CN]"] and entry["Comment[zh_CN]"]
    mime = ElementTree.parse(tmp_path / "mime" / "packages" / "dpia-app.xml").getroot()
    namespace = {"m": "http://www.freedesktop.org/standards/shared-mime-info"}
    kind = mime.find("m:mime-type", namespace)
    assert kind.get("type") == "application/x-dpia"
    assert kind.find("m:glob", namespace).get("pattern") == "*.dpia"
    assert kind.find("m:icon", namespace).get("name") == "application-x-dpia"
    if shutil.which("desktop-file-validate"):  # desktop-file-utils: the freedesktop.org checker, where installed
        checked = subprocess.run(["desktop-file-validate", tmp_path / "applications" / "dpia-app.desktop"],
                                 capture_output=True, text=True)
        assert checked.returncode == 0 and not checked.stdout.strip(), checked.stdout + checked.stderr
    for size in build_linux.ICON_SIZES:
        assert (tmp_path / f"icons/hicolor/{size}x{size}/apps/dpia-app.png").stat().st_size > 0
        assert (tmp_path / f"icons/hicolor/{size}x{size}/mimetypes/application-x-dpia.png").stat().st_size > 0


@LINUX_ONLY
def test_tarball_script_adds_the_app_to_the_users_menu_and_removes_it(tmp_path):
    app = tmp_path / "unpacked here" / "dpia-app-1.0"  # a folder name with a space
    app.mkdir(parents=True)
    build_linux._add_desktop_integration(app / "share", exec_line="@APP_DIR@/dpia-app %f")
    shutil.copy(PACKAGING / "linux" / "install-desktop-entry.sh", app)
    home = tmp_path / "home"
    environment = {"HOME": str(home), "PATH": os.environ["PATH"]}
    subprocess.run(["sh", str(app / "install-desktop-entry.sh")], env=environment, check=True, capture_output=True)
    data = home / ".local" / "share"
    entry = read_desktop_entry((data / "applications" / "dpia-app.desktop").read_text(encoding="utf-8"))
    assert entry["Exec"] == f'"{app}/dpia-app" %f'
    assert (data / "mime/packages/dpia-app.xml").exists()
    assert (data / "icons/hicolor/48x48/apps/dpia-app.png").exists()
    assert os.readlink(home / ".local/bin/dpia") == str(app / "dpia")
    subprocess.run(["sh", str(app / "install-desktop-entry.sh"), "--remove"], env=environment, check=True, capture_output=True)
    assert not (data / "applications" / "dpia-app.desktop").exists()
    assert not (home / ".local/bin/dpia").exists()
    assert not list((data / "icons").rglob("dpia-app.png"))
    assert (app / "install-desktop-entry.sh").exists()  # the app folder itself is the user's to delete


# --- the frozen app and its packages (marked) -----------------------------------------------------------

@pytest.fixture(scope="session")
def linux_build() -> dict[str, Path]:
    if not sys.platform.startswith("linux"):
        pytest.skip("the Linux build is made on Linux")
    app = ROOT / "dist" / "dpia-app"
    packages = ROOT / "dist" / "packages"
    output = ""
    if os.environ.get("DPIA_BUILD_FROZEN"):
        # The build runs the Debian install check itself (and installs its tools) when asked to.
        options = [] if os.environ.get("DPIA_DEBIAN_CHECK") else ["--no-install-check"]
        result = subprocess.run([sys.executable, str(PACKAGING / "build.py"), *options], capture_output=True, text=True)
        assert result.returncode == 0, f"packaging/build.py failed:\n{result.stdout[-5000:]}\n{result.stderr[-5000:]}"
        output = result.stdout
    elif not (app / "dpia").exists():
        pytest.skip("no frozen app in dist/: run python3 packaging/build.py (or set DPIA_BUILD_FROZEN=1)")
    debs = sorted(packages.glob("dpia-app_*.deb"))
    tarballs = sorted(packages.glob("dpia-app-*-linux-*.tar.gz"))
    return {"app": app, "deb": debs[-1] if debs else None, "tarball": tarballs[-1] if tarballs else None,
            "output": output}


@pytest.mark.frozen
@pytest.mark.parametrize("program", ["dpia", "dpia-app"])
def test_frozen_program_passes_its_self_test_without_a_display(linux_build, program, tmp_path):
    environment = {key: value for key, value in os.environ.items()
                   if key not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "PYTHONPATH")}
    environment["HOME"] = str(tmp_path)
    result = subprocess.run([linux_build["app"] / program, "--self-test"], cwd=tmp_path, env=environment,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    line = result.stdout.strip().splitlines()[0]
    assert line.startswith("dpia self-test: OK") and "HarfBuzz subsetter used" in line and "frozen" in line


@pytest.mark.frozen
def test_deb_declares_only_what_the_bundle_lacks(linux_build):
    deb = linux_build["deb"]
    assert deb is not None, "the build made no .deb"
    depends = subprocess.run(["dpkg-deb", "-f", deb, "Depends"], capture_output=True, text=True, check=True).stdout
    packages = {re.split(r"[ (]", item.strip())[0] for item in depends.split(",")}
    assert {"libc6", "libgl1", "libxcb1"} <= packages
    assert not packages & {"libpango-1.0-0", "libharfbuzz0b", "libglib2.0-0", "libfontconfig1"}, "bundled, yet required"
    listing = subprocess.run(["dpkg-deb", "-c", deb], capture_output=True, text=True, check=True).stdout
    for path in ("./usr/bin/dpia -> ../lib/dpia-app/dpia", "./usr/share/applications/dpia-app.desktop",
                 "./usr/share/mime/packages/dpia-app.xml", "./usr/share/icons/hicolor/256x256/apps/dpia-app.png",
                 "./usr/share/icons/hicolor/48x48/mimetypes/application-x-dpia.png", "./usr/lib/dpia-app/_internal/"):
        assert path in listing, path


@pytest.mark.frozen
def test_tarball_holds_the_app_folder_and_its_desktop_files(linux_build):
    import tarfile

    tarball = linux_build["tarball"]
    assert tarball is not None, "the build made no .tar.gz"
    with tarfile.open(tarball) as archive:
        names = set(archive.getnames())
    top = tarball.name.split("-linux-")[0]
    for name in ("dpia", "dpia-app", "install-desktop-entry.sh", "README-linux.txt",
                 "share/applications/dpia-app.desktop", "share/mime/packages/dpia-app.xml"):
        assert f"{top}/{name}" in names, name


@pytest.mark.debian_install
def test_deb_installs_and_runs_on_a_fresh_debian(linux_build):
    if not os.environ.get("DPIA_DEBIAN_CHECK"):
        pytest.skip("set DPIA_DEBIAN_CHECK=1 to install the .deb into a fresh Debian (root, debootstrap, Xvfb)")
    skipped = re.search(r"^install check skipped: (.*)$", linux_build["output"], re.MULTILINE)
    reason = skipped.group(1) if skipped else debian_check.why_not_possible()
    if reason:
        pytest.skip(f"cannot install into a fresh Debian here: {reason}")
    if linux_build["output"]:
        summary = next(line for line in linux_build["output"].splitlines() if line.startswith("installed dpia-app"))
    else:
        summary = debian_check.check(linux_build["deb"])
    assert "dpia self-test: OK" in summary and "app window shown" in summary and "removed cleanly" in summary
