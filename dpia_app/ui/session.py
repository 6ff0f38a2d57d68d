"""The open assessment: applies the user's edits, re-evaluates, and tells the widgets what changed.

No compliance logic lives here: every finding, risk and verdict comes from core.evaluate(). The
session only owns the editing state (file path, unsaved changes) and turns edits into new
Assessment values, so the widgets never touch the model directly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from ..core import draft_lock, drafts, versions
from ..core.assessment import Action, Assessment, RiskOverride, SignOff
from ..core.draft_lock import DraftLock
from ..core.drafts import DraftKind
from ..core.evaluation import Evaluation, evaluate
from ..core.packs import LoadedPack
from ..core.shared_facts import (
    answers_following_details,
    answers_following_tables,
    details_following_answer,
)


class AssessmentSession(QObject):
    """One assessment being edited in one window."""

    evaluated = Signal(object)  # Evaluation, after every change
    dirty_changed = Signal(bool)
    path_changed = Signal(object)  # Path | None
    replaced = Signal()  # the whole assessment was replaced (recovery, reload)

    def __init__(self, loaded: LoadedPack, assessment: Assessment, path: Path | None = None,
                 kind: DraftKind = "assessment", today: Callable[[], dt.date] = dt.date.today,
                 renamed: dict[str, str] | None = None, file_sha256: str | None = None,
                 lock: DraftLock | None = None, read_only: bool = False):
        super().__init__()
        self.loaded = loaded
        self._assessment = drafts.adopt_pack(assessment, loaded)
        self._saved = assessment  # as on disk, for the change log
        self._path = path
        # The file as read or last written here; a save first checks it is still that file.
        self._disk_sha256 = file_sha256
        # The lock this window holds on its file, or read-only when someone else holds it.
        self.lock = lock
        self.read_only = read_only
        self.kind: DraftKind = kind
        self._today = today
        self._dirty = path is None or self._assessment != assessment
        # Answers moved from renamed questions when the draft was opened, to tell the user once.
        self.renamed = dict(renamed or {})
        self._evaluation = evaluate(loaded, self._assessment, today())

    # --- reading ----------------------------------------------------------------------------

    @property
    def pack(self):
        return self.loaded.pack

    @property
    def assessment(self) -> Assessment:
        return self._assessment

    @property
    def evaluation(self) -> Evaluation:
        return self._evaluation

    @property
    def path(self) -> Path | None:
        return self._path

    @property
    def dirty(self) -> bool:
        return self._dirty

    def answer(self, question_id: str) -> Any:
        return self._assessment.answers.get(question_id)

    def note(self, question_id: str) -> str:
        return self._assessment.notes.get(question_id, "")

    # --- editing ------------------------------------------------------------------------------

    def set_answer(self, question_id: str, value: Any) -> None:
        """Record an answer; None or an empty text/list clears it (the draft keeps no empty answers)."""
        if value is None or value == "" or value == []:
            if question_id not in self._assessment.answers:
                return
            answers = {k: v for k, v in self._assessment.answers.items() if k != question_id}
        else:
            if self._assessment.answers.get(question_id) == value:
                return
            answers = {**self._assessment.answers, question_id: value}
        # Questions a table answers (devices in total, where faces are stored) follow it.
        answers = answers_following_tables(self.pack, self._assessment.answers, answers)
        details = details_following_answer(self.pack, question_id, self._assessment.answers.get(question_id), value, self._assessment.metadata)
        if details:
            # One fact, one place: the details step shows what was just typed here.
            self._replace(answers=answers, metadata=self._assessment.metadata.model_copy(update=details))
            return
        self._replace(answers=answers)

    def set_note(self, question_id: str, text: str) -> None:
        notes = dict(self._assessment.notes)
        if text.strip():
            notes[question_id] = text
        else:
            notes.pop(question_id, None)
        if notes != self._assessment.notes:
            self._replace(notes=notes)

    def update_metadata(self, **fields: Any) -> None:
        """Change details such as title or organisation; raises ValueError for invalid values."""
        metadata = self._assessment.metadata.model_copy(update=fields)
        type(metadata).model_validate(metadata.model_dump())
        if metadata != self._assessment.metadata:
            # Questions asking the same fact (the processor's name, the system) follow the details.
            answers = answers_following_details(self.pack, self._assessment.metadata, metadata, self._assessment.answers)
            if answers != self._assessment.answers:
                self._replace(metadata=metadata, answers=answers)
            else:
                self._replace(metadata=metadata)

    def set_actions(self, actions: list[Action]) -> None:
        self._replace(actions=list(actions))

    def set_signoffs(self, signoffs: list[SignOff]) -> None:
        self._replace(signoffs=list(signoffs))

    def set_risk_overrides(self, overrides: list[RiskOverride]) -> None:
        self._replace(risk_overrides=list(overrides))

    def set_acceptance_policy(self, policy: dict[str, str] | None) -> None:
        self._replace(acceptance_policy=policy)

    def approve(self, now: dt.datetime) -> None:
        """Freeze the assessment as it stands as its next approved version (kept in the file at the
        next save); raises core.versions.CannotApprove, and then nothing changes."""
        self._assessment = versions.approve(self._assessment, self._evaluation, now)
        self._evaluate()
        self._set_dirty(True)

    def _replace(self, **update: Any) -> None:
        if set(update) <= {"answers", "notes"}:
            # Answers are free JSON values checked by the evaluation, not by the model, and this
            # runs on every keystroke: no need to re-validate the whole assessment.
            candidate = self._assessment.model_copy(update=update)
        else:
            # Actions, sign-offs, overrides: validated, so an invalid edit raises before anything changes.
            candidate = Assessment.model_validate({**self._assessment.model_dump(), **{k: _dump(v) for k, v in update.items()}})
        self._assessment = candidate
        self._evaluate()
        self._set_dirty(True)

    def replace_assessment(self, assessment: Assessment) -> None:
        """Swap in a whole assessment (e.g. a recovered copy), keeping the file it belongs to."""
        self._assessment = drafts.adopt_pack(assessment, self.loaded)
        self._evaluate()
        self._set_dirty(True)
        self.replaced.emit()

    def today(self) -> dt.date:
        return self._today()

    def refresh(self) -> None:
        """Re-evaluate as of today (dates move on while a window stays open)."""
        self._evaluate()

    def _evaluate(self) -> None:
        self._evaluation = evaluate(self.loaded, self._assessment, self._today())
        self.evaluated.emit(self._evaluation)

    def _set_dirty(self, dirty: bool) -> None:
        if dirty != self._dirty:
            self._dirty = dirty
            self.dirty_changed.emit(dirty)

    # --- files --------------------------------------------------------------------------------

    def save(self, path: Path | None = None, author: str = "") -> Path:
        """Save as an assessment (to `path`, or where it came from); raises DraftError."""
        target = path or self._path
        if target is None:
            raise ValueError("no file chosen")
        if self.read_only and target == self._path:
            raise drafts.DraftError(target, "read_only", drafts.N_("the draft is open for editing by someone else, so it was opened "
                                                               "read-only here: save your changes as a copy"))
        # Saving over the file this window opened: only if nobody else changed it meanwhile. A new
        # file chosen in Save As was confirmed by the user in the file dialog.
        check = {"on_disk": self._disk_sha256} if target == self._path and self._disk_sha256 is not None else {}
        saved = drafts.save_draft(self._assessment, target, kind="assessment", author=author, previous=self._saved, **check)
        self._disk_sha256 = drafts.file_sha256(target)
        self._assessment = saved
        self._saved = saved
        self.kind = "assessment"
        if target != self._path:
            self._take_lock(target)
            self._path = target
            self.path_changed.emit(target)
        self._set_dirty(False)
        return target

    def _take_lock(self, target: Path) -> None:
        """Saved under a new name: the old file's lock goes, the new one is this window's."""
        self.release_lock()
        self.read_only = False
        try:
            self.lock = draft_lock.acquire(target)
        except draft_lock.DraftLocked:
            self.lock = None  # someone opened the new file meanwhile: the save check still guards it

    def release_lock(self) -> None:
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    def reload(self, opened: drafts.OpenedDraft) -> None:
        """Take the file as it now is on disk (someone else's changes); this window's are dropped."""
        self._assessment = drafts.adopt_pack(opened.assessment, self.loaded)
        self._saved = opened.assessment
        self._disk_sha256 = opened.file_sha256
        self._evaluate()
        self._set_dirty(False)
        self.replaced.emit()

    def save_template(self, path: Path) -> None:
        """Write a reusable template; the assessment itself stays as it is (and still unsaved)."""
        drafts.save_draft(drafts.make_template(self._assessment, self.loaded), path, kind="template")

    def recovery_bytes(self) -> bytes:
        return drafts.serialise(self._assessment, self.kind)


def _dump(value: Any) -> Any:
    if isinstance(value, list):
        return [_dump(item) for item in value]
    if hasattr(value, "model_dump"):
        return value.model_dump()
    return value
