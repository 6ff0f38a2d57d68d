"""The Windows and macOS packaging helpers, checked on any OS: paths, version resources, Info.plist,
Mach-O reading, signing plans and command lines, and clear failures where the OS's tools are missing.
What needs Windows or a Mac (ISCC, signtool, codesign, hdiutil, notarytool) runs in the CI workflow.
"""

from __future__ import annotations

import importlib.util
import plistlib
import re
import struct
import sys
import types
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
sys.path.insert(0, str(PACKAGING))

import build_macos  # noqa: E402
import build_windows  # noqa: E402

ISS = PACKAGING / "windows" / "dpia-app.iss"
WORKFLOW = ROOT / ".github" / "workflows" / "package.yml"


# --- Windows -------------------------------------------------------------------------------------

def test_msys2_folders_are_found_from_msys2_root_and_msystem_prefix(tmp_path):
    bin_folder = tmp_path / "msys64" / "ucrt64" / "bin"
    bin_folder.mkdir(parents=True)
    (bin_folder / "libpango-1.0-0.dll").write_bytes(b"")
    root = str(tmp_path / "msys64")
    assert build_windows.native_library_dirs({"MSYS2_ROOT": root}) == [bin_folder]
    # An MSYS2 shell's MSYSTEM_PREFIX is relative to the install folder; the same folder once.
    assert build_windows.native_library_dirs({"MSYS2_ROOT": root, "MSYSTEM_PREFIX": "/ucrt64"}) == [bin_folder]
    assert build_windows.native_library_dirs({"MSYSTEM_PREFIX": str(bin_folder.parent)}) == [bin_folder]


def test_msys2_without_pango_counts_as_missing(tmp_path):
    (tmp_path / "ucrt64" / "bin").mkdir(parents=True)
    assert build_windows.native_library_dirs({"MSYS2_ROOT": str(tmp_path)}) == []


@pytest.mark.parametrize(("version", "numbers"), [
    ("0.1.0", (0, 1, 0, 0)), ("1.2.3rc1", (1, 2, 3, 0)), ("0+unknown", (0, 0, 0, 0)),
    ("1.2.3.4.5", (1, 2, 3, 4)), ("2.0.dev3", (2, 0, 0, 0)),
])
def test_windows_numeric_version(version, numbers):
    assert build_windows.numeric_version(version) == numbers


def _pyinstaller_versioninfo() -> types.ModuleType:
    """PyInstaller's own version-file reader. It imports pefile and win32api at the top (for
    reading and writing EXEs, Windows only); reading the text file needs neither, so on other OSes
    the module is loaded with those two imports left out."""
    spec = importlib.util.find_spec("PyInstaller.utils.win32.versioninfo")
    if spec is None or spec.origin is None:
        pytest.skip("PyInstaller is not installed")
    source = Path(spec.origin).read_text(encoding="utf-8")
    for line in ("import pefile", "from PyInstaller.compat import win32api"):
        assert line in source
        source = source.replace(line, "")
    module = types.ModuleType("versioninfo")
    exec(compile(source, spec.origin, "exec"), module.__dict__)
    return module


def test_version_resource_is_read_by_pyinstaller(tmp_path):
    versioninfo = _pyinstaller_versioninfo()
    path = build_windows.version_resource("0.1.0rc2", "dpia-app", "DPIA impact assessment", tmp_path / "v.txt")
    info = versioninfo.load_version_info_from_text_file(str(path))
    assert (info.ffi.fileVersionMS, info.ffi.fileVersionLS) == (0x00000001, 0x00000000)
    strings = {item.name: item.val for item in info.kids[0].kids[0].kids}
    assert strings["OriginalFilename"] == "dpia-app.exe"
    assert strings["FileVersion"] == "0.1.0rc2"
    assert strings["ProductName"] == "DPIA"
    assert strings["FileDescription"] == "DPIA impact assessment"
    # PyInstaller turns it into the binary resource it embeds in the EXE.
    assert len(info.toRaw()) > 200


def test_windows_signing_is_skipped_with_one_line_without_a_certificate():
    signing, line = build_windows.signing_configuration({})
    assert signing is None
    assert line == ("signing skipped: WINDOWS_CERTIFICATE_BASE64 not set (the installer will show "
                    "SmartScreen's unknown-publisher warning)")


def test_windows_signing_with_a_pfx_or_a_thumbprint():
    signing, _ = build_windows.signing_configuration(
        {"WINDOWS_CERTIFICATE_BASE64": "AAAA", "WINDOWS_CERTIFICATE_PASSWORD": "p w"})
    arguments = build_windows.signtool_arguments(signing, Path("dpia.exe"), Path("c.pfx"))
    assert arguments[:7] == ["sign", "/fd", "SHA256", "/tr", build_windows.DEFAULT_TIMESTAMP_URL, "/td", "SHA256"]
    assert arguments[-5:] == ["/f", "c.pfx", "/p", "p w", "dpia.exe"]
    signing, _ = build_windows.signing_configuration(
        {"WINDOWS_CERTIFICATE_SHA1": "ab cd", "WINDOWS_TIMESTAMP_URL": "http://ts.example"})
    arguments = build_windows.signtool_arguments(signing, Path("dpia.exe"))
    assert arguments[4] == "http://ts.example"
    assert arguments[-3:] == ["/sha1", "abcd", "dpia.exe"]
    with pytest.raises(build_windows.PackagingError, match="WINDOWS_CERTIFICATE_PASSWORD"):
        build_windows.signing_configuration({"WINDOWS_CERTIFICATE_BASE64": "AAAA"})


def test_iscc_command_passes_what_the_script_requires(tmp_path):
    command = build_windows.iscc_command(Path("ISCC.exe"), tmp_path / "dpia-app", "1.2.0", tmp_path / "out",
                                         sign=True, python="python.exe")
    defines = {argument[2:].split("=")[0] for argument in command if argument.startswith("/D")}
    script = ISS.read_text(encoding="utf-8")
    required = set(re.findall(r"^#ifndef (\w+)\s*\n\s*#error", script, re.M))
    assert required and required <= defines
    assert "/DNumericVersion=1.2.0.0" in command
    sign_tool = next(argument for argument in command if argument.startswith("/S"))
    # $q and $f are ISCC's quote and file placeholders: no literal quotes reach its command line.
    assert sign_tool.startswith("/Sdpiasign=$qpython.exe$q $q") and sign_tool.endswith(" sign $f")
    assert '"' not in sign_tool
    assert command[-1] == str(ISS)
    assert not any(argument.startswith("/S") for argument in
                   build_windows.iscc_command(Path("ISCC.exe"), tmp_path, "1.2.0", tmp_path, sign=False))


def test_inno_script_is_per_user_and_keeps_the_users_files():
    script = ISS.read_text(encoding="utf-8")
    assert script.isascii()  # no BOM needed, whatever Inno Setup 6.x reads it
    setup = dict(re.findall(r"^(\w+)=(.*)$", script.split("[Setup]")[1].split("\n[")[0], re.M))
    assert setup["PrivilegesRequired"] == "lowest"
    assert "PrivilegesRequiredOverridesAllowed" not in setup
    assert setup["DefaultDirName"] == r"{autopf}\{#AppName}"
    assert re.fullmatch(r"\{\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}", setup["AppId"])
    assert setup["ChangesAssociations"] == "yes" and setup["CloseApplications"] == "yes"
    assert setup["OutputBaseFilename"].replace("{#AppVersion}", "1.2.0") == build_windows.installer_name("1.2.0")
    assert setup["ArchitecturesInstallIn64BitMode"] == "x64compatible"
    # Only the current user's registry, and whole keys deleted only where they are ours alone.
    registry = [line for line in script.split("[Registry]")[1].split("\n[")[0].splitlines()
                if line.startswith("Root:")]
    assert registry and all(line.startswith("Root: HKA;") for line in registry)
    for line in registry:
        if "uninsdeletekey;" in line or line.rstrip().endswith("uninsdeletekey"):
            assert re.search(r'Subkey: "Software\\Classes\\(\{#DraftProgId\}|Applications\\\{#AppExeName\})"', line)
    assert "HKLM" not in script and "HKCR" not in script
    # Whatever is deleted is inside the program folder.
    for section in ("[InstallDelete]", "[UninstallDelete]"):
        body = script.split(section)[1].split("\n[")[0]
        names = re.findall(r'Name: "([^"]+)"', body)
        assert names and all(name.startswith("{app}\\") for name in names)


def test_windows_package_says_what_is_missing(tmp_path, monkeypatch):
    with pytest.raises(build_windows.PackagingError, match=r"dpia-app\.exe, dpia\.exe, _internal missing"):
        build_windows.package(tmp_path, "1.0.0", tmp_path / "out")
    for name in ("dpia-app.exe", "dpia.exe"):
        (tmp_path / name).write_bytes(b"MZ")
    (tmp_path / "_internal").mkdir()
    for name in ("INNO_SETUP_COMPILER", "ProgramFiles(x86)", "ProgramFiles", "LOCALAPPDATA"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(build_windows.PackagingError, match="ISCC.exe was not found: install Inno Setup 6"):
        build_windows.package(tmp_path, "1.0.0", tmp_path / "out")


def test_windows_sign_command_refuses_to_pass_unsigned(monkeypatch, capsys):
    for name in ("WINDOWS_CERTIFICATE_BASE64", "WINDOWS_CERTIFICATE_SHA1"):
        monkeypatch.delenv(name, raising=False)
    assert build_windows.main(["sign", "setup.exe"]) == 1
    assert "no certificate" in capsys.readouterr().err


# --- macOS ---------------------------------------------------------------------------------------

def test_info_plist_declares_the_draft_type_and_survives_plistlib():
    plist = plistlib.loads(plistlib.dumps(build_macos.info_plist("1.2.0")))
    assert plist["CFBundleIdentifier"] == "org.dpiaapp.dpia"
    assert plist["CFBundleShortVersionString"] == plist["CFBundleVersion"] == "1.2.0"
    assert plist["NSHighResolutionCapable"] is True
    assert plist["LSBackgroundOnly"] is False  # overrides what BUNDLE infers from the console EXE
    assert plist["NSRequiresAquaSystemAppearance"] is False
    assert plist["LSApplicationCategoryType"] == "public.app-category.business"
    assert re.fullmatch(r"\d+\.\d+", plist["LSMinimumSystemVersion"])
    (document,) = plist["CFBundleDocumentTypes"]
    (exported,) = plist["UTExportedTypeDeclarations"]
    assert document["LSItemContentTypes"] == [exported["UTTypeIdentifier"]] == ["org.dpiaapp.dpia-draft"]
    assert document["LSHandlerRank"] == "Owner"
    assert document["CFBundleTypeIconFile"] == exported["UTTypeIconFile"] == "dpia-document.icns"
    assert (PACKAGING / "icons" / "dpia-document.icns").is_file()
    assert exported["UTTypeConformsTo"] == ["public.json", "public.data"]
    assert exported["UTTypeTagSpecification"] == {"public.filename-extension": ["dpia"],
                                                  "public.mime-type": ["application/x-dpia"]}


@pytest.mark.parametrize(("pyside", "macos"), [("6.8.1", "12.0"), ("6.9.0", "12.0"), ("6.10.2", "13.0"),
                                               ("6.11.3", "13.0"), ("6.12.0", "14.4")])
def test_minimum_macos_follows_qt(pyside, macos):
    assert build_macos.qt_minimum_macos(pyside) == macos


def test_entitlements_are_a_valid_plist_without_false_values():
    entitlements = plistlib.loads((PACKAGING / "macos" / "entitlements.plist").read_bytes())
    assert isinstance(entitlements, dict)
    assert all(value is True for value in entitlements.values())  # Apple: leave out what is false


def _thin_macho(cpu: int, minos: tuple[int, int, int] | None, old_style: bool = False) -> bytes:
    """A minimal 64-bit Mach-O image: header and one version load command."""
    commands = b""
    if minos:
        packed = (minos[0] << 16) | (minos[1] << 8) | minos[2]
        if old_style:
            commands = struct.pack("<4I", 0x24, 16, packed, packed)  # LC_VERSION_MIN_MACOSX
        else:
            commands = struct.pack("<6I", 0x32, 24, 1, packed, packed, 0)  # LC_BUILD_VERSION, macOS
    count = 1 if commands else 0
    header = struct.pack("<7I I", 0xFEEDFACF, cpu, 0, 6, count, len(commands), 0, 0)
    return header + commands


def _fat(*images: bytes) -> bytes:
    header = struct.pack(">2I", 0xCAFEBABE, len(images))
    offset = 8 + 20 * len(images)
    entries, body = b"", b""
    for image in images:
        (cpu,) = struct.unpack_from("<I", image, 4)
        entries += struct.pack(">5I", cpu, 0, offset + len(body), len(image), 0)
        body += image
    return header + entries + body


ARM64, X86_64 = 0x0100000C, 0x01000007


def test_macho_versions_and_architectures(tmp_path):
    thin = tmp_path / "thin"
    thin.write_bytes(_thin_macho(ARM64, (14, 0, 0)))
    old = tmp_path / "old"
    old.write_bytes(_thin_macho(X86_64, (10, 13, 0), old_style=True))
    fat = tmp_path / "fat"
    fat.write_bytes(_fat(_thin_macho(X86_64, (12, 0, 0)), _thin_macho(ARM64, (13, 3, 1))))
    text = tmp_path / "text"
    text.write_text("not a binary")
    assert build_macos.minimum_macos_of(thin) == (14, 0, 0)
    assert build_macos.minimum_macos_of(old) == (10, 13, 0)
    assert build_macos.minimum_macos_of(fat) == (13, 3, 1)
    assert build_macos.architectures(fat) == ["x86_64", "arm64"]
    assert [build_macos.is_macho(path) for path in (thin, old, fat, text)] == [True, True, True, False]
    assert build_macos.format_version((14, 0, 0)) == "14.0" and build_macos.format_version((13, 3, 1)) == "13.3.1"


def _fake_bundle(tmp_path: Path, gui: bytes) -> Path:
    app = tmp_path / "DPIA.app"
    macos = app / "Contents" / "MacOS"
    frameworks = app / "Contents" / "Frameworks"
    qt = frameworks / "PySide6" / "Qt" / "lib" / "QtCore.framework"
    (qt / "Versions" / "A").mkdir(parents=True)
    (qt / "Versions" / "Current").symlink_to("A")
    (qt / "QtCore").symlink_to("Versions/Current/QtCore")
    (qt / "Versions" / "A" / "QtCore").write_bytes(_thin_macho(ARM64, (13, 0, 0)))
    macos.mkdir(parents=True)
    (macos / "dpia-app").write_bytes(gui)
    (macos / "dpia").write_bytes(gui)
    (frameworks / "libpango-1.0.0.dylib").write_bytes(_thin_macho(ARM64, (14, 0, 0)))
    (frameworks / "PySide6").mkdir(exist_ok=True)
    (frameworks / "PySide6" / "QtCore.abi3.so").write_bytes(_thin_macho(ARM64, (13, 0, 0)))
    (app / "Contents" / "Resources").mkdir()
    (app / "Contents" / "Resources" / "base_library.zip").write_bytes(b"PK")
    return app


def test_signing_plan_goes_inside_out_with_entitlements_on_executables_only(tmp_path):
    app = _fake_bundle(tmp_path, _thin_macho(ARM64, (13, 0, 0)))
    plan = [(path.relative_to(tmp_path).as_posix(), entitled) for path, entitled in build_macos.signing_plan(app)]
    contents = "DPIA.app/Contents/"
    assert plan == [
        (contents + "Frameworks/PySide6/QtCore.abi3.so", False),
        (contents + "Frameworks/libpango-1.0.0.dylib", False),
        (contents + "Frameworks/PySide6/Qt/lib/QtCore.framework", False),
        (contents + "MacOS/dpia", True),
        ("DPIA.app", True),
    ]
    assert build_macos.bundle_minimum_macos(app) == (14, 0, 0)
    assert build_macos.bundle_architecture(app) == "arm64"


def test_universal_bundle_is_named_universal2(tmp_path):
    app = _fake_bundle(tmp_path, _fat(_thin_macho(X86_64, (13, 0, 0)), _thin_macho(ARM64, (13, 0, 0))))
    assert build_macos.bundle_architecture(app) == "universal2"
    assert build_macos.dmg_name("1.0.0", "universal2") == "DPIA-1.0.0-macos-universal2.dmg"


def test_codesign_arguments_developer_id_and_ad_hoc():
    entitlements = PACKAGING / "macos" / "entitlements.plist"
    assert build_macos.codesign_arguments(Path("DPIA.app"), "Developer ID Application: X (T)", entitlements) == [
        "codesign", "--force", "--sign", "Developer ID Application: X (T)", "--timestamp",
        "--options", "runtime", "--entitlements", str(entitlements), "DPIA.app"]
    assert build_macos.codesign_arguments(Path("lib.dylib"), "-", None) == [
        "codesign", "--force", "--sign", "-", "lib.dylib"]


def test_macos_signing_and_notarisation_skip_with_one_line_each():
    identity, line = build_macos.signing_identity({})
    assert identity == "-" and line.startswith("signing skipped: MACOS_SIGNING_IDENTITY not set (ad-hoc")
    assert "right-click > Open" in line
    credentials, line = build_macos.notary_credentials({"APPLE_ID": "a@b.c"})
    assert credentials is None and line.startswith("notarisation skipped:")
    credentials, _ = build_macos.notary_credentials(
        {"APPLE_API_KEY_BASE64": "AA==", "APPLE_API_KEY_ID": "KEY", "APPLE_API_ISSUER": "ISS"})
    assert credentials == ["--key", "{key_file}", "--key-id", "KEY", "--issuer", "ISS"]
    credentials, _ = build_macos.notary_credentials(
        {"APPLE_ID": "a@b.c", "APPLE_TEAM_ID": "TEAM", "APPLE_APP_PASSWORD": "pw"})
    assert credentials == ["--apple-id", "a@b.c", "--team-id", "TEAM", "--password", "pw"]


def test_homebrew_folders_need_pango(tmp_path):
    lib = tmp_path / "lib"
    lib.mkdir()
    assert tmp_path / "lib" not in build_macos.native_library_dirs({}, brew_prefix=str(tmp_path))
    (lib / "libpango-1.0.0.dylib").write_bytes(b"")
    assert build_macos.native_library_dirs({"HOMEBREW_PREFIX": str(tmp_path)}, brew_prefix=str(tmp_path))[0] == lib


def test_hdiutil_makes_a_compressed_read_only_image():
    arguments = build_macos.hdiutil_create_arguments(Path("stage"), Path("out.dmg"), "1.0.0")
    assert arguments[:2] == ["hdiutil", "create"]
    assert arguments[arguments.index("-format") + 1] == "ULMO"
    assert arguments[arguments.index("-srcfolder") + 1] == "stage" and arguments[-1] == "out.dmg"


def test_macos_package_says_what_is_missing(tmp_path, monkeypatch):
    monkeypatch.setattr(build_macos.shutil, "which", lambda name: None)
    with pytest.raises(build_macos.PackagingError, match="needs codesign, hdiutil, ditto .*build the .dmg on a Mac"):
        build_macos.package(tmp_path / "DPIA.app", "1.0.0", tmp_path / "out")


# --- The workflow --------------------------------------------------------------------------------

def test_workflow_parses_and_uses_secrets_only_through_env():
    from ruamel.yaml import YAML

    text = WORKFLOW.read_text(encoding="utf-8")
    workflow = YAML(typ="safe").load(text)
    assert set(workflow["jobs"]) == {"linux", "windows", "macos"}
    assert {"workflow_dispatch", "push"} <= set(workflow["on"])
    assert workflow["on"]["push"]["tags"] == ["v*"]
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            # Secrets reach commands as environment variables, never pasted into a script.
            assert "secrets." not in str(step.get("run", "")), step
            assert "secrets." not in str(step.get("with", "")), step
        assert any("upload-artifact" in step.get("uses", "") for step in job["steps"])
    assert "python packaging/build.py" in text or "python3 packaging/build.py" in text
