"""Recovery copies of unsaved work, written after a few idle seconds and offered after a crash.

A copy is a small JSON envelope holding the draft document and the file it belongs to; it lives in
the app's state folder, never next to the user's files, and is deleted after a save or a clean close.
Each window has its own copy (named after the assessment, plus a token of its own): two windows on
drafts with the same assessment id (a file copied in the file manager) must never share one, or
saving one would delete the other's unsaved work.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .preferences import state_dir

# The draft models are imported when a copy is written or read, not when the app starts.
if TYPE_CHECKING:
    from ..core.assessment import Assessment
    from ..core.drafts import DraftKind

FORMAT = "dpia-recovery"
SUFFIX = ".dpia-recovery"


@dataclass(frozen=True)
class RecoveredWork:
    copy: Path
    assessment: Assessment
    kind: DraftKind
    original: Path | None  # the draft file it was unsaved work for, if it had one
    saved_at: dt.datetime


class RecoveryStore:
    def __init__(self, folder: Path | None = None):
        self.folder = folder or state_dir() / "recovery"

    def new_copy(self, assessment_id: str) -> Path:
        """Where one window keeps its recovery copy: never the same file as another window's."""
        safe = "".join(ch for ch in assessment_id if ch.isascii() and (ch.isalnum() or ch == "-"))[:60] or "unnamed"
        return self.folder / f"{safe}.{uuid.uuid4().hex[:12]}{SUFFIX}"

    def write(self, copy: Path, assessment: Assessment, kind: DraftKind, original: Path | None) -> Path:
        from ..core import drafts

        self.folder.mkdir(parents=True, exist_ok=True)
        envelope = {
            "format": FORMAT,
            # Another instance of the app, still running, must not be offered this window's copy.
            "pid": os.getpid(),
            "original": str(original) if original else None,
            "saved_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "draft": drafts.to_document(assessment, kind),
        }
        drafts.write_atomically(copy, json.dumps(envelope, ensure_ascii=False, allow_nan=False).encode("utf-8"), keep_backup=False)
        return copy

    def discard(self, copy: Path) -> None:
        try:
            copy.unlink(missing_ok=True)
        except OSError:
            pass  # the folder became read-only: the copy is offered once more at the next start

    def pending(self) -> tuple[list[RecoveredWork], list[str]]:
        """Recoverable copies, newest first, and a message for each copy that cannot be read."""
        found: list[RecoveredWork] = []
        problems: list[str] = []
        copies = sorted(self.folder.glob(f"*{SUFFIX}")) if self.folder.is_dir() else []
        if not copies:
            return found, problems
        from ..core import drafts
        from ..core.bounded_read import FileTooLarge, NotARegularFile, read_bounded
        from ..core.drafts import DraftError
        from ..core.times import as_aware

        for copy in copies:
            try:
                # Bounded: a device, pipe or giant file left in the folder is refused, not read forever.
                text = read_bounded(copy, drafts.MAX_DRAFT_BYTES * 2).decode("utf-8")
                envelope = drafts.parse_json(text, copy)
                if drafts.may_hold_lone_surrogates(text):
                    envelope, _replaced = drafts.without_unwritable_text(envelope)
                if not isinstance(envelope, dict) or envelope.get("format") != FORMAT:
                    raise DraftError(copy, "not_a_draft", "not a recovery copy")
                if _written_by_another_running_app(envelope.get("pid")):
                    continue  # its window is open right now: not unsaved work of a crash
                opened = drafts.from_document(envelope.get("draft"), copy)
                original = envelope.get("original")
                # A time without a zone (written by hand or another program) is sorted with ours as UTC.
                saved_at = as_aware(dt.datetime.fromisoformat(envelope.get("saved_at", "")))
            except (OSError, ValueError, TypeError, RecursionError, DraftError) as error:
                problems.append(f"{copy}: {error}")
                continue
            except NotARegularFile:
                problems.append(f"{copy}: not a recovery copy: not a file")
                continue
            except FileTooLarge:
                problems.append(f"{copy}: not a recovery copy: far larger than any draft")
                continue
            # A name no file can have (empty, or with a NUL: a damaged copy) is no original: saved as a new file.
            known = isinstance(original, str) and original != "" and "\0" not in original
            found.append(RecoveredWork(copy, opened.assessment, opened.kind, Path(original) if known else None, saved_at))
        found.sort(key=lambda work: work.saved_at, reverse=True)
        return found, problems


def _written_by_another_running_app(pid: object) -> bool:
    from ..core.draft_lock import process_running

    # This process starts with no windows, so a copy with its own id is from an earlier run.
    return isinstance(pid, int) and not isinstance(pid, bool) and pid != os.getpid() and process_running(pid)
