"""Windows packaging: where the report's DLLs come from, the EXEs' version resources, Authenticode
signing, and the per-user Inno Setup installer (packaging/windows/dpia-app.iss).

Called by packaging/build.py and packaging/dpia.spec. Standard library only, and importable on any
OS (the tests run it on Linux); only `package` and `sign_file` need Windows and its tools.

Signing is optional: with WINDOWS_CERTIFICATE_BASE64 + WINDOWS_CERTIFICATE_PASSWORD (a .pfx) or
WINDOWS_CERTIFICATE_SHA1 (a certificate already in the user's store, e.g. on a hardware token) both
EXEs, the installer and its uninstaller are signed; without them the build says so in one line and
goes on (see packaging/SIGNING.md).

`python packaging/build_windows.py sign FILE` is the sign tool ISCC runs for the installer and the
uninstaller: that way the certificate and its password reach signtool through the environment and
never appear on ISCC's command line or in its log.
"""

from __future__ import annotations

import base64
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

PACKAGING = Path(__file__).resolve().parent
ROOT = PACKAGING.parent
ISS_SCRIPT = PACKAGING / "windows" / "dpia-app.iss"
ICONS = PACKAGING / "icons"

PRODUCT = "DPIA"
GUI_EXE = "dpia-app.exe"
CLI_EXE = "dpia.exe"
# Pango's DLL marks an MSYS2 bin folder as the one holding the report's libraries.
PANGO_DLL = "libpango-1.0-0.dll"
DEFAULT_MSYS2_ROOT = r"C:\msys64"
# Any RFC 3161 time-stamping service works; DigiCert's is free and the one Microsoft's own examples use.
DEFAULT_TIMESTAMP_URL = "http://timestamp.digicert.com"
# The sign tool name the .iss refers to with SignTool=dpiasign when built with /DSign.
ISCC_SIGN_TOOL = "dpiasign"


class PackagingError(RuntimeError):
    """A build step cannot run or failed; the message says what to install or set."""


def native_library_dirs(environ: dict[str, str] | None = None) -> list[Path]:
    r"""MSYS2 UCRT64 `bin` folders that hold Pango and the DLLs it needs, best first; [] if none.

    MSYS2_ROOT is MSYS2's install folder (setup-msys2's `msys2-location`, C:\msys64 by default) or
    already its ucrt64 folder; MSYSTEM_PREFIX is what an MSYS2 shell sets (`/ucrt64`, relative to
    the install folder, or a Windows path). A folder counts only if it has Pango in it, so a bare
    MSYS2 without mingw-w64-ucrt-x86_64-pango is reported as missing rather than bundled half.
    """
    environ = os.environ if environ is None else environ
    roots = [value for value in (environ.get("MSYS2_ROOT"),) if value] or [DEFAULT_MSYS2_ROOT]
    candidates: list[Path] = []
    for root in roots:
        candidates += [Path(root) / "ucrt64" / "bin", Path(root) / "bin"]
    prefix = environ.get("MSYSTEM_PREFIX", "")
    if prefix.startswith("/"):
        # An MSYS2 path such as /ucrt64 lives under the install folder.
        candidates += [Path(root) / prefix.strip("/") / "bin" for root in roots]
    if prefix:
        candidates.append(Path(prefix) / "bin")
    found: list[Path] = []
    for folder in candidates:
        if (folder / PANGO_DLL).is_file() and folder not in found:
            found.append(folder)
    return found


def numeric_version(version: str) -> tuple[int, int, int, int]:
    """The four numbers Windows keeps in a version resource: "0.1.0" -> (0, 1, 0, 0).

    Pre-release and local parts ("1.2.0rc1", "0+unknown") cannot be expressed there and are dropped;
    the text version keeps them.
    """
    release = re.match(r"\d+(?:\.\d+)*", version.strip())
    numbers = [int(part) for part in release.group(0).split(".")][:4] if release else []
    numbers += [0] * (4 - len(numbers))
    return tuple(min(number, 65535) for number in numbers)  # each is a 16-bit field


def publisher() -> str:
    """The publisher shown in Windows' file properties and Apps list: pyproject's first author."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    authors = project.get("authors") or [{"name": PRODUCT}]
    return authors[0].get("name", PRODUCT)


def version_resource(version: str, exe_name: str, description: str, target: Path) -> Path:
    """Write a PyInstaller version file (VSVersionInfo text) for one EXE; return its path.

    Explorer's Details tab, Task Manager and SmartScreen show these strings, and the installer's
    Restart Manager names the running app by FileDescription when it asks to close it.
    """
    exe_file = exe_name if exe_name.lower().endswith(".exe") else exe_name + ".exe"
    numbers = numeric_version(version)
    strings = {
        "CompanyName": publisher(),
        "FileDescription": description,
        "FileVersion": version,
        "InternalName": exe_file[:-4],
        "LegalCopyright": f"© {publisher()}",
        "OriginalFilename": exe_file,
        "ProductName": PRODUCT,
        "ProductVersion": version,
    }
    string_structs = ",\n".join(f"          StringStruct({key!r}, {value!r})" for key, value in strings.items())
    text = f"""# Version resource for {exe_file}, written by packaging/build_windows.py; do not edit.
VSVersionInfo(
  ffi=FixedFileInfo(
    filevers={numbers},
    prodvers={numbers},
    mask=0x3f,
    flags=0x0,
    OS=0x40004,
    fileType=0x1,
    subtype=0x0,
    date=(0, 0)
  ),
  kids=[
    StringFileInfo([
      StringTable(
        '040904B0',
        [
{string_structs}
        ])
    ]),
    VarFileInfo([VarStruct('Translation', [1033, 1200])])
  ]
)
"""
    # OS 0x40004 = VOS_NT_WINDOWS32, fileType 1 = VFT_APP; 040904B0 / [1033, 1200] = US English, Unicode.
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target


@dataclass(frozen=True)
class Signing:
    """How signtool finds the certificate: a .pfx given in base64, or a thumbprint in the store."""

    pfx_base64: str | None
    password: str | None
    thumbprint: str | None
    timestamp_url: str


def signing_configuration(environ: dict[str, str] | None = None) -> tuple[Signing | None, str]:
    """The signing set-up the environment asks for, or None and the one line that says why not."""
    environ = os.environ if environ is None else environ
    timestamp_url = environ.get("WINDOWS_TIMESTAMP_URL") or DEFAULT_TIMESTAMP_URL
    thumbprint = (environ.get("WINDOWS_CERTIFICATE_SHA1") or "").replace(" ", "")
    pfx = environ.get("WINDOWS_CERTIFICATE_BASE64") or ""
    if pfx:
        if "WINDOWS_CERTIFICATE_PASSWORD" not in environ:
            raise PackagingError("WINDOWS_CERTIFICATE_BASE64 is set but WINDOWS_CERTIFICATE_PASSWORD is not "
                                 "(use an empty value for a .pfx without password)")
        return Signing(pfx, environ["WINDOWS_CERTIFICATE_PASSWORD"], None, timestamp_url), ""
    if thumbprint:
        return Signing(None, None, thumbprint, timestamp_url), ""
    return None, ("signing skipped: WINDOWS_CERTIFICATE_BASE64 not set (the installer will show "
                  "SmartScreen's unknown-publisher warning)")


def signtool_arguments(signing: Signing, file: Path, pfx_file: Path | None = None) -> list[str]:
    """signtool's arguments after the program name: SHA-256 file digest, RFC 3161 timestamp."""
    arguments = ["sign", "/fd", "SHA256", "/tr", signing.timestamp_url, "/td", "SHA256", "/d", PRODUCT]
    if signing.thumbprint:
        arguments += ["/sha1", signing.thumbprint]
    else:
        if pfx_file is None:
            raise ValueError("a .pfx signing set-up needs the certificate file")
        arguments += ["/f", str(pfx_file)]
        if signing.password:
            arguments += ["/p", signing.password]
    return arguments + [str(file)]


def find_signtool(environ: dict[str, str] | None = None) -> Path | None:
    """signtool.exe: SIGNTOOL, PATH, or the newest x64 one in the Windows 10/11 SDK."""
    environ = os.environ if environ is None else environ
    if environ.get("SIGNTOOL"):
        return Path(environ["SIGNTOOL"])
    on_path = shutil.which("signtool")
    if on_path:
        return Path(on_path)
    kits = Path(environ.get("ProgramFiles(x86)", r"C:\Program Files (x86)")) / "Windows Kits" / "10" / "bin"
    found = sorted(kits.glob("10.*/x64/signtool.exe"), key=lambda path: _version_key(path.parent.parent.name))
    return found[-1] if found else None


def sign_file(file: Path, environ: dict[str, str] | None = None) -> bool:
    """Sign one file with Authenticode when the environment has a certificate; False if skipped."""
    signing, _ = signing_configuration(environ)
    if signing is None:
        return False
    signtool = find_signtool(environ)
    if signtool is None:
        raise PackagingError("signing was asked for but signtool.exe was not found: install the Windows SDK's "
                             "signing tools or set SIGNTOOL to signtool.exe")
    with tempfile.TemporaryDirectory(prefix="dpia-sign-") as folder:
        pfx_file = None
        if signing.pfx_base64:
            pfx_file = Path(folder) / "certificate.pfx"
            pfx_file.write_bytes(base64.b64decode(signing.pfx_base64))
        # The arguments (with the password) go to signtool only; print the file, not the command.
        result = subprocess.run([str(signtool), *signtool_arguments(signing, Path(file), pfx_file)],
                                capture_output=True, text=True)
    if result.returncode != 0:
        raise PackagingError(f"signtool could not sign {file}:\n{result.stdout}{result.stderr}")
    print(f"signed {file}")
    return True


def find_iscc(environ: dict[str, str] | None = None) -> Path | None:
    """Inno Setup 6's command-line compiler: INNO_SETUP_COMPILER, PATH, or its usual install folders."""
    environ = os.environ if environ is None else environ
    if environ.get("INNO_SETUP_COMPILER"):
        return Path(environ["INNO_SETUP_COMPILER"])
    on_path = shutil.which("iscc")
    if on_path:
        return Path(on_path)
    folders = [environ.get("ProgramFiles(x86)"), environ.get("ProgramFiles"),
               str(Path(environ["LOCALAPPDATA"]) / "Programs") if environ.get("LOCALAPPDATA") else None]
    for folder in filter(None, folders):
        candidate = Path(folder) / "Inno Setup 6" / "ISCC.exe"
        if candidate.is_file():
            return candidate
    return None


def installer_name(version: str) -> str:
    """The installer's file name without .exe; dpia-app.iss builds the same name from AppVersion."""
    return f"DPIA-{version}-windows-x64-setup"


def iscc_command(iscc: Path, app_dir: Path, version: str, out_dir: Path, sign: bool,
                 python: str = sys.executable) -> list[str]:
    """The ISCC command line that compiles dpia-app.iss for this build."""
    command = [
        str(iscc), "/Qp",
        f"/DAppVersion={version}",
        "/DNumericVersion={}.{}.{}.{}".format(*numeric_version(version)),
        f"/DSourceDir={Path(app_dir).resolve()}",
        f"/DIconsDir={ICONS}",
        f"/DOutputDir={Path(out_dir).resolve()}",
        f"/DPublisher={publisher()}",
    ]
    if sign:
        # ISCC runs this for Setup and the uninstaller, replacing $f with the quoted file and $q
        # with a quote (for paths with spaces); it inherits the environment, so the secrets stay there.
        tool = f"$q{python}$q $q{Path(__file__).resolve()}$q sign $f"
        command += [f"/S{ISCC_SIGN_TOOL}={tool}", "/DSign"]
    return command + [str(ISS_SCRIPT)]


def package(app_dir: Path, version: str, out_dir: Path) -> list[Path]:
    """Sign the EXEs (if a certificate is set), compile the installer, return [installer path]."""
    app_dir, out_dir = Path(app_dir), Path(out_dir)
    missing = [name for name in (GUI_EXE, CLI_EXE, "_internal") if not (app_dir / name).exists()]
    if missing:
        raise PackagingError(f"{app_dir} is not a PyInstaller onedir folder of the app: "
                             f"{', '.join(missing)} missing (run packaging/dpia.spec first)")
    iscc = find_iscc()
    if iscc is None:
        raise PackagingError("Inno Setup's compiler ISCC.exe was not found: install Inno Setup 6 "
                             "(winget install JRSoftware.InnoSetup, or choco install innosetup) "
                             "or set INNO_SETUP_COMPILER to the full path of ISCC.exe")
    signing, skipped = signing_configuration()
    if signing is None:
        print(skipped)
    else:
        for exe in (GUI_EXE, CLI_EXE):
            sign_file(app_dir / exe)
    out_dir.mkdir(parents=True, exist_ok=True)
    installer = out_dir / f"{installer_name(version)}.exe"
    installer.unlink(missing_ok=True)
    result = subprocess.run(iscc_command(iscc, app_dir, version, out_dir, sign=signing is not None))
    if result.returncode != 0:
        raise PackagingError(f"ISCC failed with exit code {result.returncode} (2: the script did not compile)")
    if not installer.is_file():
        raise PackagingError(f"ISCC finished but {installer} is not there")
    if signing is not None:
        _verify_signature(installer)
    return [installer]


def _verify_signature(file: Path) -> None:
    # /pa: the Authenticode ("default authentication") policy that applies to downloaded programs.
    signtool = find_signtool()
    result = subprocess.run([str(signtool), "verify", "/pa", str(file)], capture_output=True, text=True)
    if result.returncode != 0:
        raise PackagingError(f"the signature of {file} does not verify:\n{result.stdout}{result.stderr}")


def _version_key(name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", name))


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "sign":
        try:
            if not sign_file(Path(argv[1])):
                # ISCC only calls this when the build found a certificate; an unsigned result would pass unseen.
                raise PackagingError("no certificate in the environment (WINDOWS_CERTIFICATE_BASE64 or "
                                     "WINDOWS_CERTIFICATE_SHA1)")
        except PackagingError as error:
            print(error, file=sys.stderr)
            return 1
        return 0
    print("usage: build_windows.py sign FILE   (the sign tool ISCC runs; the build runs packaging/build.py)",
          file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
