"""The built-in form packs as the start screen lists them: id, version and title, without the models.

Building the pack models and validating a pack takes a quarter of a second; the start screen needs
only what each pack is called. The full pack is loaded and validated (core/packs.py) when an
assessment is started or opened, and a pack that fails then says so there.
"""

from __future__ import annotations

import importlib.resources
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .text import Language
from .yaml_source import DataFileError, read_yaml


def builtin_forms_dir() -> Path:
    """The forms shipped with the app, found through the package so frozen installers work too."""
    return Path(str(importlib.resources.files("dpia_app.forms")))


@lru_cache(maxsize=1)
def builtin_pack_paths() -> dict[str, Path]:
    """Pack id -> file, for every built-in form pack (catalogs and other YAML are skipped).

    The shipped forms do not change while the app runs, so they are listed once."""
    found: dict[str, Path] = {}
    for path in sorted(builtin_forms_dir().glob("*.yaml")):
        header = _pack_header(path)
        if header is not None:
            found[header] = path
    return found


def builtin_forms_stamp() -> list[list]:
    """Name, size and modification time of every built-in form file (packs and catalogs): what a
    cached evaluation depends on besides the draft. A file that cannot be read is stamped so."""
    stamps: list[list] = []
    for path in sorted(builtin_forms_dir().glob("*.yaml")):
        try:
            status = path.stat()
            stamps.append([path.name, status.st_size, status.st_mtime_ns])
        except OSError:
            stamps.append([path.name, None, None])
    return stamps


_HEADER_KEY = re.compile(r"^(format|id):\s*['\"]?([A-Za-z0-9_.-]+)['\"]?\s*(#.*)?$")


def _pack_header(path: Path) -> str | None:
    """A pack's id from the top-level keys at the head of the file, without parsing all of it.

    Listing the packs happens at start-up, and a full parse of a large pack costs a tenth of a
    second; a file whose head does not say plainly what it is gets the full parse.
    """
    keys: dict[str, str] = {}
    try:
        with path.open(encoding="utf-8") as stream:
            for _number, line in zip(range(60), stream):
                match = _HEADER_KEY.match(line.rstrip("\n"))
                if match:
                    keys.setdefault(match.group(1), match.group(2))
    except (OSError, UnicodeDecodeError):
        return None
    if "format" in keys and "id" in keys:
        return keys["id"] if keys["format"] == "dpia-form-pack" else None
    try:
        _, data = read_yaml(path, with_lines=False)
    except DataFileError:
        return None
    pack_id = data.get("id")
    return pack_id if data.get("format") == "dpia-form-pack" and isinstance(pack_id, str) else None


@dataclass(frozen=True)
class PackHeader:
    id: str
    version: str  # "" when the file does not say
    titles: dict[str, str]  # by language, as the file gives them (not yet validated)
    path: Path

    def title(self, language: Language) -> str:
        return self.titles.get(language) or self.titles.get("en") or self.id


def builtin_pack_headers() -> list[PackHeader]:
    """What each built-in pack is called, read from its parsed data (the parse cache makes that a
    JSON read); a pack that cannot be read is listed by its id and fails when it is loaded."""
    headers = []
    for pack_id, path in builtin_pack_paths().items():
        try:
            _raw, data = read_yaml(path, with_lines=False)
        except DataFileError:
            data = {}
        titles = data.get("title")
        version = data.get("version")
        headers.append(PackHeader(
            id=pack_id,
            version=version if isinstance(version, str) else "",
            titles={k: v for k, v in titles.items() if isinstance(k, str) and isinstance(v, str)} if isinstance(titles, dict) else {},
            path=path,
        ))
    return headers
