"""Recovery copies of unsaved work, written after a few idle seconds and offered after a crash.

A copy is a small JSON envelope holding the draft document and the file it belongs to; it lives in
the app's state folder, never next to the user's files, and is deleted after a save or a clean close.
"""

from __future__ import annotations

import datetime as dt
import json
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

    def _copy_for(self, assessment_id: str) -> Path:
        safe = "".join(ch for ch in assessment_id if ch.isalnum() or ch == "-")[:80] or "unnamed"
        return self.folder / f"{safe}{SUFFIX}"

    def write(self, assessment: Assessment, kind: DraftKind, original: Path | None) -> Path:
        from ..core import drafts

        self.folder.mkdir(parents=True, exist_ok=True)
        envelope = {
            "format": FORMAT,
            "original": str(original) if original else None,
            "saved_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "draft": drafts.to_document(assessment, kind),
        }
        copy = self._copy_for(assessment.metadata.assessment_id)
        drafts.write_atomically(copy, json.dumps(envelope, ensure_ascii=False).encode("utf-8"), keep_backup=False)
        return copy

    def discard(self, assessment_id: str) -> None:
        self._copy_for(assessment_id).unlink(missing_ok=True)

    def pending(self) -> tuple[list[RecoveredWork], list[str]]:
        """Recoverable copies, newest first, and a message for each copy that cannot be read."""
        found: list[RecoveredWork] = []
        problems: list[str] = []
        copies = sorted(self.folder.glob(f"*{SUFFIX}")) if self.folder.is_dir() else []
        if not copies:
            return found, problems
        from ..core import drafts
        from ..core.drafts import DraftError

        for copy in copies:
            try:
                envelope = json.loads(copy.read_text(encoding="utf-8"))
                if not isinstance(envelope, dict) or envelope.get("format") != FORMAT:
                    raise DraftError(copy, "not_a_draft", "not a recovery copy")
                opened = drafts.from_document(envelope.get("draft"), copy)
                original = envelope.get("original")
                saved_at = dt.datetime.fromisoformat(envelope.get("saved_at", ""))
            except (OSError, ValueError, TypeError, RecursionError, DraftError) as error:
                problems.append(f"{copy}: {error}")
                continue
            found.append(RecoveredWork(copy, opened.assessment, opened.kind, Path(original) if isinstance(original, str) else None, saved_at))
        found.sort(key=lambda work: work.saved_at, reverse=True)
        return found, problems
