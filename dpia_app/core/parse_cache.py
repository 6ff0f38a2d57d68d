"""A per-user cache of parsed YAML data files (form packs, catalogs), so the app does not parse the
same 500 KB of YAML at every start (0.18 s of the start-up).

The cache holds only the parsed data, never a validated object: whatever it returns is validated by
the same models and checks as a freshly parsed file, so a cache entry is never trusted. An entry is
found by the SHA-256 of the file's bytes and is used only if it was written by this app version and
this cache format; anything unreadable, stale or foreign is ignored and written again.

Validation alone would not notice an entry changed on disk (a damaged sector, a sync conflict, an
edit) that still parses and validates: a citation or a question's wording would change silently. So
an entry is a header line carrying the SHA-256 of the data that follows, checked before the data is
used.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

from .. import __version__
from .app_folders import cache_dir, write_cache_file

CACHE_FORMAT = 2  # 2: a header line with the SHA-256 of the data
# A parsed pack is about 1 MB of JSON; larger entries are not worth keeping.
MAX_ENTRY_BYTES = 16 * 1024 * 1024
MAX_NODES = 2_000_000  # the built-in pack and catalog have about 60,000


def cache_folder() -> Path:
    return cache_dir() / "parsed"


def _entry_path(raw: bytes) -> Path:
    return cache_folder() / f"{hashlib.sha256(raw).hexdigest()}.json"


def _encode(value: Any) -> Any:
    # JSON has no dates; YAML does (effective: 2021-06-01). Tagged, so they come back as dates.
    if isinstance(value, dt.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    raise TypeError(f"cannot cache a {type(value).__name__}")


def _decode(obj: dict[str, Any]) -> Any:
    if len(obj) == 1:
        if "$date" in obj:
            return dt.date.fromisoformat(obj["$date"])
        if "$datetime" in obj:
            return dt.datetime.fromisoformat(obj["$datetime"])
    return obj


def cached(raw: bytes) -> Any | None:
    """The data parsed earlier from exactly these bytes, or None."""
    try:
        entry = _entry_path(raw)
        if not entry.is_file() or entry.stat().st_size > MAX_ENTRY_BYTES:
            return None
        header_line, _, data_bytes = entry.read_bytes().partition(b"\n")
        header = json.loads(header_line)
        if not isinstance(header, dict) or header.get("format") != CACHE_FORMAT or header.get("app_version") != __version__:
            return None
        if header.get("sha256") != hashlib.sha256(data_bytes).hexdigest():
            return None  # changed since it was written
        data = json.loads(data_bytes, object_hook=_decode)
    except (OSError, ValueError, TypeError, RecursionError):
        return None  # damaged or unreadable ({"$date": 5} is a TypeError): parse the file again
    return data if isinstance(data, dict) else None


def remember(raw: bytes, data: Any) -> None:
    """Keep the parsed data for next time, if it survives the trip through JSON unchanged (integer
    keys or other YAML types would not: such a file is simply parsed every time)."""
    if not _plain_tree(data):
        return
    try:
        # One line: JSON escapes every line break inside strings.
        text = json.dumps(data, default=_encode, ensure_ascii=False)
        if len(text) > MAX_ENTRY_BYTES or json.loads(text, object_hook=_decode) != data:
            return
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    except (TypeError, ValueError, RecursionError):
        return  # data JSON cannot hold: the file is simply parsed every time
    header = json.dumps({"format": CACHE_FORMAT, "app_version": __version__, "sha256": digest})
    write_cache_file(_entry_path(raw), header + "\n" + text)


def _plain_tree(data: Any, limit: int = MAX_NODES) -> bool:
    """True if the data is a tree of at most `limit` nodes. YAML aliases make one node appear in
    several places; writing such data out as JSON copies it each time, which for a hostile file
    ("billion laughs") never ends. Such files are not cached."""
    seen: set[int] = set()
    stack = [data]
    count = 0
    while stack:
        node = stack.pop()
        count += 1
        if count > limit:
            return False
        if isinstance(node, (dict, list)):
            if id(node) in seen:
                return False
            seen.add(id(node))
            stack.extend(node.values() if isinstance(node, dict) else node)
    return True


def forget(raw: bytes) -> None:
    """Drop the entry for these bytes (it did not validate: the file is parsed afresh next time)."""
    try:
        _entry_path(raw).unlink(missing_ok=True)
    except OSError:
        pass
