"""macOS packaging: where the report's libraries come from, the app's Info.plist, code signing
(inside-out, hardened runtime), the .dmg, notarisation and stapling.

Called by packaging/build.py and packaging/dpia.spec. Standard library only, and importable on any
OS (the tests run it on Linux); only `package` needs a Mac and its tools (codesign, hdiutil, ditto,
xcrun notarytool/stapler).

Signing and notarisation are optional: with MACOS_SIGNING_IDENTITY (a "Developer ID Application"
certificate in the keychain) the app gets a Developer ID signature with the hardened runtime, and
with notary credentials (APPLE_API_KEY_BASE64 + APPLE_API_KEY_ID + APPLE_API_ISSUER, or APPLE_ID +
APPLE_TEAM_ID + APPLE_APP_PASSWORD) the .dmg is notarised and stapled. Without them the build says
so in one line and the app carries an ad-hoc signature (see packaging/SIGNING.md).
"""

from __future__ import annotations

import base64
import json
import os
import plistlib
import shutil
import struct
import subprocess
import tempfile
from importlib import metadata
from pathlib import Path

PACKAGING = Path(__file__).resolve().parent
ROOT = PACKAGING.parent
ENTITLEMENTS = PACKAGING / "macos" / "entitlements.plist"
ICONS = PACKAGING / "icons"

PRODUCT = "DPIA"
BUNDLE_ID = "org.dpiaapp.dpia"
DOCUMENT_UTI = "org.dpiaapp.dpia-draft"
DOCUMENT_ICON = "dpia-document.icns"
GUI_EXECUTABLE = "dpia-app"
CLI_EXECUTABLE = "dpia"
# Pango's dylib marks a Homebrew lib folder as the one holding the report's libraries.
PANGO_DYLIB = "libpango-1.0.0.dylib"
# Apple Silicon and Intel Homebrew prefixes, for when `brew` itself is not on PATH.
HOMEBREW_LIB_FOLDERS = ("/opt/homebrew/lib", "/usr/local/lib")

# The oldest macOS each PySide6 (Qt) line supports, from Qt's "Qt for macOS" supported
# configurations: 6.8 and 6.9 need macOS 12, 6.10 and 6.11 macOS 13, 6.12 macOS 14.4.
QT_MINIMUM_MACOS = ((6, 12, "14.4"), (6, 10, "13.0"), (6, 8, "12.0"))
FALLBACK_MINIMUM_MACOS = "13.0"  # what the pin in pyproject (<6.12) resolves to today


class PackagingError(RuntimeError):
    """A build step cannot run or failed; the message says what to install or set."""


def native_library_dirs(environ: dict[str, str] | None = None, brew_prefix: str | None = None) -> list[Path]:
    """Homebrew lib folders holding Pango and what it links to, best first; [] if none.

    `brew --prefix` (or HOMEBREW_PREFIX, which `brew shellenv` sets) names the Homebrew in use;
    /opt/homebrew (Apple Silicon) and /usr/local (Intel) are its standard places. A folder counts
    only if Pango is in it (`brew install pango`).
    """
    environ = os.environ if environ is None else environ
    prefixes = [brew_prefix if brew_prefix is not None else _brew_prefix(), environ.get("HOMEBREW_PREFIX")]
    candidates = [Path(prefix) / "lib" for prefix in prefixes if prefix]
    candidates += [Path(folder) for folder in HOMEBREW_LIB_FOLDERS]
    found: list[Path] = []
    for folder in candidates:
        if (folder / PANGO_DYLIB).is_file() and folder not in found:
            found.append(folder)
    return found


def _brew_prefix() -> str | None:
    brew = shutil.which("brew")
    if not brew:
        return None
    result = subprocess.run([brew, "--prefix"], capture_output=True, text=True)
    if result.returncode != 0:
        return None
    return result.stdout.strip() or None


def qt_minimum_macos(pyside_version: str | None = None) -> str:
    """The oldest macOS the installed PySide6 supports, as LSMinimumSystemVersion wants it."""
    if pyside_version is None:
        try:
            pyside_version = metadata.version("PySide6-Essentials")
        except metadata.PackageNotFoundError:
            return FALLBACK_MINIMUM_MACOS
    major, minor = (int(part) for part in pyside_version.split(".")[:2])
    for qt_major, qt_minor, macos in QT_MINIMUM_MACOS:
        if (major, minor) >= (qt_major, qt_minor):
            return macos
    return QT_MINIMUM_MACOS[-1][2]


def info_plist(version: str) -> dict:
    """What PyInstaller's BUNDLE merges into DPIA.app's Info.plist.

    packaging() may still raise LSMinimumSystemVersion to what the bundled libraries require
    (Homebrew builds them for the macOS of the build machine).
    """
    return {
        "CFBundleName": PRODUCT,
        "CFBundleDisplayName": PRODUCT,
        "CFBundleIdentifier": BUNDLE_ID,
        "CFBundleExecutable": GUI_EXECUTABLE,
        "CFBundleShortVersionString": version,
        # Finder and Launch Services compare CFBundleVersion to tell builds apart; the release
        # version is the build number here (one build per release).
        "CFBundleVersion": version,
        "NSHumanReadableCopyright": f"© {_publisher()}",
        "LSApplicationCategoryType": "public.app-category.business",
        "LSMinimumSystemVersion": qt_minimum_macos(),
        # PyInstaller's BUNDLE takes "console" from the last EXE in COLLECT (here the command-line
        # dpia) and then marks the whole app LSBackgroundOnly: no Dock icon, no menu bar, windows
        # that cannot come to the front. The desktop app is a normal foreground app.
        "LSBackgroundOnly": False,
        # Retina rendering; and dark mode: false means the app follows the system appearance.
        "NSHighResolutionCapable": True,
        "NSRequiresAquaSystemAppearance": False,
        "CFBundleDocumentTypes": [
            {
                "CFBundleTypeName": "DPIA assessment draft",
                "CFBundleTypeRole": "Editor",
                # Owner: DPIA is the app that creates these files, so Finder opens them with it.
                "LSHandlerRank": "Owner",
                "LSItemContentTypes": [DOCUMENT_UTI],
                "CFBundleTypeIconFile": DOCUMENT_ICON,
            }
        ],
        # We define the .dpia type, so we export it (not import): Finder then knows its icon,
        # extension and MIME type even before the app has been opened once.
        "UTExportedTypeDeclarations": [
            {
                "UTTypeIdentifier": DOCUMENT_UTI,
                "UTTypeDescription": "DPIA assessment draft",
                # A draft is UTF-8 JSON: Quick Look and text tools may treat it as JSON.
                "UTTypeConformsTo": ["public.json", "public.data"],
                "UTTypeIconFile": DOCUMENT_ICON,
                "UTTypeTagSpecification": {
                    "public.filename-extension": ["dpia"],
                    "public.mime-type": ["application/x-dpia"],
                },
            }
        ],
    }


def _publisher() -> str:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    authors = project.get("authors") or [{"name": PRODUCT}]
    return authors[0].get("name", PRODUCT)


# --- Mach-O: which files to sign, the architecture, the oldest macOS the binaries run on ---------

_MH_MAGIC_64 = 0xFEEDFACF
_MH_MAGIC = 0xFEEDFACE
_FAT_MAGIC = 0xCAFEBABE
_FAT_MAGIC_64 = 0xCAFEBABF
_LC_VERSION_MIN_MACOSX = 0x24
_LC_BUILD_VERSION = 0x32
_PLATFORM_MACOS = 1
_CPU_NAMES = {0x0100000C: "arm64", 0x01000007: "x86_64"}


def _slices(data: bytes) -> list[bytes]:
    """The thin Mach-O images in a file: itself, or each architecture of a universal binary."""
    if len(data) < 8:
        return []
    (magic,) = struct.unpack_from(">I", data)
    if magic in (_FAT_MAGIC, _FAT_MAGIC_64):
        (count,) = struct.unpack_from(">I", data, 4)
        if count > 16:  # 0xCAFEBABE is also a Java class file; those have a large version here
            return []
        images = []
        for index in range(count):
            if magic == _FAT_MAGIC:
                _, _, offset, size, _ = struct.unpack_from(">5I", data, 8 + 20 * index)
            else:
                _, _, offset, size, _, _ = struct.unpack_from(">2I2QII", data, 8 + 32 * index)
            images.append(data[offset:offset + size])
        return images
    (little,) = struct.unpack_from("<I", data)
    return [data] if little in (_MH_MAGIC_64, _MH_MAGIC) else []


def is_macho(path: Path) -> bool:
    try:
        with open(path, "rb") as file:
            head = file.read(8)
    except OSError:
        return False
    if len(head) < 8:
        return False
    (big,) = struct.unpack_from(">I", head)
    (little,) = struct.unpack_from("<I", head)
    if big in (_FAT_MAGIC, _FAT_MAGIC_64):
        return struct.unpack_from(">I", head, 4)[0] <= 16
    return little in (_MH_MAGIC_64, _MH_MAGIC)


def architectures(path: Path) -> list[str]:
    """The CPU architectures in a Mach-O file, e.g. ["arm64"] or ["x86_64", "arm64"]."""
    names = []
    for image in _slices(Path(path).read_bytes()):
        (cpu,) = struct.unpack_from("<i", image, 4)
        names.append(_CPU_NAMES.get(cpu & 0xFFFFFFFF, hex(cpu & 0xFFFFFFFF)))
    return names


def minimum_macos_of(path: Path) -> tuple[int, int, int] | None:
    """The oldest macOS a Mach-O file says it runs on (LC_BUILD_VERSION or LC_VERSION_MIN_MACOSX)."""
    found: list[tuple[int, int, int]] = []
    for image in _slices(Path(path).read_bytes()):
        (magic,) = struct.unpack_from("<I", image)
        header_size = 32 if magic == _MH_MAGIC_64 else 28
        (command_count,) = struct.unpack_from("<I", image, 16)
        offset = header_size
        for _ in range(command_count):
            command, size = struct.unpack_from("<II", image, offset)
            if command == _LC_BUILD_VERSION:
                platform, minos = struct.unpack_from("<II", image, offset + 8)
                if platform == _PLATFORM_MACOS:
                    found.append(_decode_version(minos))
            elif command == _LC_VERSION_MIN_MACOSX:
                (version,) = struct.unpack_from("<I", image, offset + 8)
                found.append(_decode_version(version))
            if size <= 0:
                break
            offset += size
    return max(found) if found else None


def _decode_version(packed: int) -> tuple[int, int, int]:
    # xxxx.yy.zz in nibbles: 0x000E0000 is 14.0.0.
    return packed >> 16, (packed >> 8) & 0xFF, packed & 0xFF


def bundle_minimum_macos(app_bundle: Path) -> tuple[int, int, int] | None:
    """The newest of the minimum macOS versions of every binary in the bundle."""
    versions = [minimum_macos_of(path) for path in _macho_files(app_bundle)]
    versions = [version for version in versions if version]
    return max(versions) if versions else None


def _macho_files(app_bundle: Path) -> list[Path]:
    return [path for path in sorted(Path(app_bundle).rglob("*"))
            if path.is_file() and not path.is_symlink() and is_macho(path)]


def format_version(version: tuple[int, int, int]) -> str:
    major, minor, patch = version
    return f"{major}.{minor}.{patch}" if patch else f"{major}.{minor}"


def _parse_version(text: str) -> tuple[int, int, int]:
    numbers = [int(part) for part in text.split(".")[:3]]
    return tuple(numbers + [0] * (3 - len(numbers)))  # type: ignore[return-value]


def bundle_architecture(app_bundle: Path) -> str:
    """arm64, x86_64 or universal2, from the app's main executable: the .dmg's name says it."""
    names = architectures(Path(app_bundle) / "Contents" / "MacOS" / GUI_EXECUTABLE)
    if set(names) == {"arm64", "x86_64"}:
        return "universal2"
    if len(names) == 1:
        return names[0]
    raise PackagingError(f"cannot tell the architecture of {app_bundle} (found {names or 'no Mach-O'})")


# --- Signing -------------------------------------------------------------------------------------

def signing_plan(app_bundle: Path) -> list[tuple[Path, bool]]:
    """What to sign, in order, and whether with the app's entitlements.

    Apple wants nested code signed from the inside out, each item on its own, and not with
    `codesign --deep` (which gives every item the same options): first every loose library and
    Python extension, then each .framework bundle (Qt's, Python's) as a whole, then the command-line
    executable, and the app bundle last, which signs its main executable and seals the resources.
    Entitlements go on executables only; libraries run with those of the process that loads them.
    """
    app_bundle = Path(app_bundle)
    macos_folder = app_bundle / "Contents" / "MacOS"
    frameworks = sorted((path for path in app_bundle.rglob("*.framework") if path.is_dir() and not path.is_symlink()),
                        key=lambda path: -len(path.parts))
    loose = []
    for path in _macho_files(app_bundle):
        if path.parent == macos_folder:
            continue
        if _framework_main_binary(path):
            continue  # signed with its framework
        loose.append(path)
    loose.sort(key=lambda path: -len(path.parts))
    plan = [(path, False) for path in loose] + [(path, False) for path in frameworks]
    cli = macos_folder / CLI_EXECUTABLE
    if cli.exists():
        plan.append((cli, True))
    plan.append((app_bundle, True))
    return plan


def _framework_main_binary(path: Path) -> bool:
    # Name.framework/Versions/X/Name, or the Name.framework/Name form.
    for ancestor in path.parents:
        if ancestor.suffix == ".framework":
            name = ancestor.stem
            return path.name == name and (path.parent == ancestor or path.parent.parent.name == "Versions")
    return False


def codesign_arguments(path: Path, identity: str, entitlements: Path | None) -> list[str]:
    """`codesign` arguments for one item: Developer ID with hardened runtime and secure timestamp
    (both required for notarisation), or an ad-hoc signature ("-") where no identity is set."""
    arguments = ["codesign", "--force", "--sign", identity]
    if identity != "-":
        arguments += ["--timestamp", "--options", "runtime"]
        if entitlements is not None:
            arguments += ["--entitlements", str(entitlements)]
    return arguments + [str(path)]


def signing_identity(environ: dict[str, str] | None = None) -> tuple[str, str]:
    """The codesign identity and, when there is none, the line that says what that means."""
    environ = os.environ if environ is None else environ
    identity = (environ.get("MACOS_SIGNING_IDENTITY") or "").strip()
    if identity:
        return identity, ""
    return "-", ("signing skipped: MACOS_SIGNING_IDENTITY not set (ad-hoc signature only: Gatekeeper "
                 "will block the first start; users open it with right-click > Open, or on macOS 15+ "
                 "with System Settings > Privacy & Security > Open Anyway)")


def notary_credentials(environ: dict[str, str] | None = None) -> tuple[list[str] | None, str]:
    """notarytool's authentication arguments (key file written by the caller) or the skip line.

    An App Store Connect API key is preferred (no personal Apple ID, revocable on its own); an
    Apple ID with an app-specific password works too.
    """
    environ = os.environ if environ is None else environ
    if all(environ.get(name) for name in ("APPLE_API_KEY_BASE64", "APPLE_API_KEY_ID", "APPLE_API_ISSUER")):
        return ["--key", "{key_file}", "--key-id", environ["APPLE_API_KEY_ID"],
                "--issuer", environ["APPLE_API_ISSUER"]], ""
    if all(environ.get(name) for name in ("APPLE_ID", "APPLE_TEAM_ID", "APPLE_APP_PASSWORD")):
        return ["--apple-id", environ["APPLE_ID"], "--team-id", environ["APPLE_TEAM_ID"],
                "--password", environ["APPLE_APP_PASSWORD"]], ""
    return None, ("notarisation skipped: neither APPLE_API_KEY_BASE64/APPLE_API_KEY_ID/APPLE_API_ISSUER "
                  "nor APPLE_ID/APPLE_TEAM_ID/APPLE_APP_PASSWORD set (Gatekeeper will not recognise the "
                  "app as notarised)")


# --- The package ---------------------------------------------------------------------------------

def dmg_name(version: str, architecture: str) -> str:
    return f"DPIA-{version}-macos-{architecture}.dmg"


def hdiutil_create_arguments(staging: Path, dmg: Path, version: str) -> list[str]:
    """A read-only compressed disk image of the staging folder (the app and an Applications link).

    ULMO (LZMA) is hdiutil's smallest read-only format, readable since macOS 10.15, far below
    the app's own minimum.
    """
    return ["hdiutil", "create", "-volname", f"{PRODUCT} {version}", "-srcfolder", str(staging),
            "-format", "ULMO", "-ov", str(dmg)]


def package(app_bundle: Path, version: str, out_dir: Path) -> list[Path]:
    """Sign DPIA.app, put it in a .dmg with an Applications link, sign, notarise and staple it."""
    app_bundle, out_dir = Path(app_bundle), Path(out_dir)
    missing_tools = [tool for tool in ("codesign", "hdiutil", "ditto") if shutil.which(tool) is None]
    if missing_tools:
        raise PackagingError(f"the macOS package needs {', '.join(missing_tools)} from macOS and its Xcode "
                             "Command Line Tools (xcode-select --install); build the .dmg on a Mac")
    main_executable = app_bundle / "Contents" / "MacOS" / GUI_EXECUTABLE
    if not main_executable.is_file():
        raise PackagingError(f"{app_bundle} is not the app bundle PyInstaller makes: {main_executable} missing")

    _complete_bundle(app_bundle)
    identity, skipped = signing_identity()
    if skipped:
        print(skipped)
    _sign_bundle(app_bundle, identity)

    out_dir.mkdir(parents=True, exist_ok=True)
    dmg = out_dir / dmg_name(version, bundle_architecture(app_bundle))
    with tempfile.TemporaryDirectory(prefix="dpia-dmg-") as folder:
        staging = Path(folder) / PRODUCT
        staging.mkdir()
        # ditto keeps the bundle's symlinks, permissions and extended attributes (the signature).
        _run(["ditto", str(app_bundle), str(staging / app_bundle.name)])
        (staging / "Applications").symlink_to("/Applications")
        _run(hdiutil_create_arguments(staging, dmg, version))

    if identity == "-":
        print("notarisation skipped: the app has no Developer ID signature")
        return [dmg]
    _run(["codesign", "--force", "--sign", identity, "--timestamp", str(dmg)])
    _notarise_and_staple(dmg)
    return [dmg]


def _complete_bundle(app_bundle: Path) -> None:
    """What PyInstaller's BUNDLE leaves to us, done before signing seals the bundle."""
    resources = app_bundle / "Contents" / "Resources"
    icon = resources / DOCUMENT_ICON
    if not icon.exists():
        # Info.plist names this icon for .dpia files; BUNDLE only copies the app's own icon.
        shutil.copyfile(ICONS / DOCUMENT_ICON, icon)
    plist_file = app_bundle / "Contents" / "Info.plist"
    with open(plist_file, "rb") as file:
        plist = plistlib.load(file)
    needed = bundle_minimum_macos(app_bundle)
    declared = _parse_version(plist.get("LSMinimumSystemVersion", "0"))
    if needed and needed > declared:
        # Homebrew's bottles are built for the macOS they were built on (e.g. 14 on a macos-14
        # runner); claiming less would let the app start and then fail to load them.
        print(f"LSMinimumSystemVersion raised from {format_version(declared)} to {format_version(needed)}: "
              "the bundled libraries require it")
        plist["LSMinimumSystemVersion"] = format_version(needed)
        with open(plist_file, "wb") as file:
            plistlib.dump(plist, file)


def _sign_bundle(app_bundle: Path, identity: str) -> None:
    for path, with_entitlements in signing_plan(app_bundle):
        _run(codesign_arguments(path, identity, ENTITLEMENTS if with_entitlements else None))
    # --deep is right for verifying (not for signing): it checks every nested item as Gatekeeper does.
    _run(["codesign", "--verify", "--deep", "--strict", "--verbose=2", str(app_bundle)])


def _notarise_and_staple(dmg: Path) -> None:
    credentials, skipped = notary_credentials()
    if credentials is None:
        print(skipped)
        return
    with tempfile.TemporaryDirectory(prefix="dpia-notary-") as folder:
        if "{key_file}" in credentials:
            key_file = Path(folder) / "AuthKey.p8"
            key_file.write_bytes(base64.b64decode(os.environ["APPLE_API_KEY_BASE64"]))
            credentials = [str(key_file) if item == "{key_file}" else item for item in credentials]
        # --wait polls until Apple has an answer (usually minutes); the JSON says Accepted or not.
        result = subprocess.run(["xcrun", "notarytool", "submit", str(dmg), "--wait",
                                 "--output-format", "json", *credentials], capture_output=True, text=True)
        try:
            answer = json.loads(result.stdout or "{}")
        except json.JSONDecodeError:
            answer = {}
        if result.returncode != 0 or answer.get("status") != "Accepted":
            log = ""
            if answer.get("id"):
                log = subprocess.run(["xcrun", "notarytool", "log", answer["id"], *credentials],
                                     capture_output=True, text=True).stdout
            raise PackagingError(f"notarisation of {dmg.name} failed ({answer.get('status', 'no answer')}):\n"
                                 f"{result.stderr}{log}")
    print(f"notarised {dmg.name} (submission {answer.get('id')})")
    # Stapling puts the ticket in the .dmg, so Gatekeeper accepts it offline too.
    _run(["xcrun", "stapler", "staple", str(dmg)])
    _run(["xcrun", "stapler", "validate", str(dmg)])


def _run(command: list[str]) -> None:
    result = subprocess.run(command)
    if result.returncode != 0:
        raise PackagingError(f"{command[0]} failed (exit code {result.returncode}): {' '.join(command)}")
