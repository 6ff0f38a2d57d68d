"""What the start screen shows of each recent draft, remembered so that starting needs no models.

Describing a draft means reading and evaluating it, which needs the pack models (a quarter of a
second to build) before the start screen can show. The description is kept in the per-user cache,
keyed by what it depends on: the draft file (size and modification time), the day (a verdict can
change with the date: a review falls due, a filing deadline passes), the interface language, and
the app with its built-in packs. A change to any of them, or a damaged cache, means reading the
draft again; the cache only ever holds text to display, never anything that is acted on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__
from .app_folders import cache_dir, write_cache_file
from .bounded_read import FileTooLarge, NotARegularFile, read_bounded
from .pack_headers import builtin_forms_stamp
from .text import Language
from .times import local_text

if TYPE_CHECKING:
    from .packs import LoadedPack

CACHE_FORMAT = 3  # 2: with the reminders; 3: with the SHA-256 of what it holds
# Ten drafts described in a few hundred bytes each: anything near this is not our cache.
MAX_CACHE_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class RecentDraft:
    path: Path
    title: str
    organisation: str
    verdict: str  # in the interface language; "" when the draft's pack is not available
    modified: str
    problem: str = ""  # why it cannot be opened, in the interface language
    reminders: str = ""  # what is due: review, overdue actions, reassessment, retention


def describe(path: Path, packs: Callable[[], dict[str, LoadedPack]], today: dt.date, language: Language) -> RecentDraft:
    """Read and evaluate the draft (the models are imported here, only when needed)."""
    from ..presentation import draft_error_message, outcome_label, reminders_text
    from .drafts import DraftError, read_draft
    from .evaluation import evaluate

    try:
        opened = read_draft(path)
        loaded = packs().get(opened.assessment.pack.id)
        evaluation = evaluate(loaded, opened.assessment, today) if loaded else None
    except DraftError as error:
        return RecentDraft(path, path.name, "", "", "", problem=draft_error_message(error, language))
    except Exception as error:  # noqa: BLE001 - any file in the recent list must leave the start screen up
        return RecentDraft(path, path.name, "", "", "", problem=f"{type(error).__name__}: {str(error)[:200]}")
    meta = opened.assessment.metadata
    modified = local_text(meta.modified_at)
    if evaluation is None:
        return RecentDraft(path, meta.title or path.name, meta.organisation, "", modified)
    return RecentDraft(path, meta.title or path.name, meta.organisation, outcome_label(evaluation.verdict.outcome, language), modified,
                       reminders=reminders_text(evaluation, opened.assessment, language))


def cache_file() -> Path:
    return cache_dir() / "recent-drafts.json"


def _fingerprint(path: Path, today: dt.date, language: Language, forms: list) -> dict[str, object] | None:
    try:
        stat = path.stat()
    except (OSError, ValueError):  # ValueError: a name the system refuses (a NUL in it)
        return None  # gone or unreadable: read it again, which says why
    return {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "today": today.isoformat(), "language": language,
            "app": __version__, "packs": forms}


def _read_cache() -> dict[str, dict]:
    try:
        # Bounded, and any damage means no cache: it is read at every start, before any window.
        data = json.loads(read_bounded(cache_file(), MAX_CACHE_BYTES).decode("utf-8"))
    except (OSError, ValueError, RecursionError, NotARegularFile, FileTooLarge):
        return {}
    if not isinstance(data, dict) or data.get("format") != CACHE_FORMAT or not isinstance(data.get("drafts"), dict):
        return {}
    # A damaged byte in a title or a verdict would otherwise be shown as the draft's, every start.
    if data.get("sha256") != _digest(data["drafts"]):
        return {}
    return data["drafts"]


def _digest(drafts: dict[str, dict]) -> str:
    text = json.dumps(drafts, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _from_entry(path: Path, entry: object, fingerprint: dict[str, object]) -> RecentDraft | None:
    if not isinstance(entry, dict) or entry.get("fingerprint") != fingerprint:
        return None
    shown = entry.get("shown")
    fields = ("title", "organisation", "verdict", "modified", "problem", "reminders")
    if not isinstance(shown, dict) or set(shown) != set(fields) or not all(isinstance(shown[f], str) for f in fields):
        return None
    return RecentDraft(path, **{f: shown[f] for f in fields})


def recent_drafts(paths: list[Path], packs: Callable[[], dict[str, LoadedPack]], today: dt.date, language: Language) -> list[RecentDraft]:
    """Each draft's description: from the cache when nothing it depends on changed, otherwise read
    (and `packs` called, which loads the models) and remembered for the next start."""
    cached = _read_cache()
    forms = builtin_forms_stamp()
    described, remembered, changed = [], {}, False
    for path in paths:
        key = str(path)
        fingerprint = _fingerprint(path, today, language, forms)
        entry = _from_entry(path, cached.get(key), fingerprint) if fingerprint is not None else None
        if entry is None:
            entry, changed = describe(path, packs, today, language), True
            fingerprint = _fingerprint(path, today, language, forms)  # as read, not as it was before
        described.append(entry)
        if fingerprint is not None:
            shown = {k: v for k, v in asdict(entry).items() if k != "path"}
            remembered[key] = {"fingerprint": fingerprint, "shown": shown}
    if changed or set(remembered) != set(cached):
        _write_cache(remembered)
    return described


def _write_cache(drafts: dict[str, dict]) -> None:
    write_cache_file(cache_file(), json.dumps({"format": CACHE_FORMAT, "sha256": _digest(drafts), "drafts": drafts}, ensure_ascii=False))
