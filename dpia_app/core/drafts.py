"""Draft files (*.dpia): versioned JSON, atomic saves with a backup, migrations, templates.

A compliance officer e-mails a draft, keeps it on a shared drive and opens it two years later, so:
- one UTF-8 JSON document with a `format` name and a `format_version`;
- saving writes a temporary file in the same folder, flushes and fsyncs it and renames it over the
  old one, after copying the old one to `<name>.bak`; a failed save leaves the old file as it was;
- opening never writes; a file that is not a draft, is damaged, or comes from a newer app is
  refused with a message that says what is wrong and where; what JSON can say but no draft can be
  written with (NaN, Infinity, 1e400) is refused, and text no file can hold (a lone UTF-16
  surrogate, written as "\\udc00") is replaced by U+FFFD and reported, so that it can be saved;
- answers to questions a newer pack renamed move to the new id; answers to removed questions stay
  in the file and are reported by the evaluation.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import math
import os
import re
import stat
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from .. import __version__
from .assessment import (
    Action,
    ApprovedVersion,
    Assessment,
    ChangeLogEntry,
    Metadata,
    PackReference,
    RiskOverride,
    SignOff,
)
from .bounded_read import FileTooLarge, NotARegularFile, read_bounded
from .draft_in_pdf import NoDraftInPdf, draft_from_pdf, is_pdf
from .packs import LoadedPack

FORMAT_NAME = "dpia-draft"
CURRENT_FORMAT_VERSION = 2
MAX_DRAFT_BYTES = 50 * 1024 * 1024
BACKUP_SUFFIX = ".bak"

DraftKind = Literal["assessment", "template"]

# format_version n -> function turning a version-n document into version n+1. Each migration is
# pure and keeps every value it does not understand, so nothing a user typed is lost on the way.
def _add_approved_versions(document: dict[str, Any]) -> dict[str, Any]:
    """Format 1 -> 2: approved versions are kept inside the draft; a format-1 draft has none."""
    document.setdefault("approved_versions", [])
    return document


MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _add_approved_versions}


def N_(message: str) -> str:
    """Marks a message for translation where it is shown (core itself speaks English only)."""
    return message


class DraftError(Exception):
    """A draft that cannot be opened or saved; the message names the file and what is wrong.

    The message is an English template with named parameters, so a front end can show it in the
    user's language (presentation.draft_error_text); str() gives the English.
    """

    def __init__(self, path: Path | str, code: str, message: str, **params: object):
        self.path = Path(path)
        self.code = code
        self.message = message
        self.params = params
        super().__init__(f"{path}: {message % params if params else message}")


@dataclass(frozen=True)
class OpenedDraft:
    assessment: Assessment
    kind: DraftKind
    # The format version the file was written in (older ones were migrated in memory only).
    format_version: int
    # Old question id -> new id for answers moved because the pack renamed the question.
    renamed: dict[str, str]
    # Read out of an exported report (PDF): saving must go to a new .dpia, never over the PDF.
    from_pdf: bool = False
    # SHA-256 of the file as read: a save checks the file is still this one (another user, a sync).
    file_sha256: str = ""
    # Characters no file can hold (lone surrogates) replaced by U+FFFD on reading: the assessment
    # differs from the file, and the user is told.
    replaced_characters: int = 0


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def adopt_pack(assessment: Assessment, loaded: LoadedPack) -> Assessment:
    """Record that the answers are now kept against this pack (after renames were applied)."""
    reference = PackReference(id=loaded.id, version=loaded.version, sha256=loaded.sha256)
    return assessment if assessment.pack == reference else assessment.model_copy(update={"pack": reference})


def new_assessment(loaded: LoadedPack, **metadata: Any) -> Assessment:
    return Assessment(
        metadata=Metadata(**metadata),
        pack=PackReference(id=loaded.id, version=loaded.version, sha256=loaded.sha256),
    )


# --- reading ----------------------------------------------------------------------------------


def read_draft(path: Path | str, pack: LoadedPack | None = None) -> OpenedDraft:
    """Open a draft without touching the file; with a pack, move answers of renamed questions."""
    path = Path(path)
    document, from_pdf, digest, replaced = _read_document(path)
    opened = dataclasses.replace(from_document(document, path), from_pdf=from_pdf, file_sha256=digest, replaced_characters=replaced)
    return opened if pack is None else attach_pack(opened, pack, path)


def from_document(document: dict[str, Any], path: Path | str) -> OpenedDraft:
    """A draft from its parsed JSON document (a file's, or one kept inside a recovery copy)."""
    path = Path(path)
    if not isinstance(document, dict) or document.get("format") != FORMAT_NAME:
        raise DraftError(path, "not_a_draft", N_("this is not a DPIA draft: it is JSON, but not in the draft format"))
    _check_version(path, document)
    format_version = document["format_version"]
    document = _migrate(path, document)
    kind = document.pop("kind", "assessment")
    if kind not in ("assessment", "template"):
        raise DraftError(path, "damaged", N_("the draft says it is a %(kind)r, which this app does not know"), kind=kind)
    for key in ("format", "format_version", "app_version"):
        document.pop(key, None)
    try:
        errors = _validate_records_in_place(document)
        if not errors:
            assessment = Assessment.model_validate(document)
    except ValidationError as error:
        errors = error.errors(include_url=False)
    except RecursionError as error:
        raise DraftError(path, "damaged", N_("the draft is damaged: it is nested more deeply than any draft can be")) from error
    if errors:
        raise DraftError(path, "damaged", N_("the draft is damaged: %(detail)s"), detail=_describe(errors))
    return OpenedDraft(assessment, kind, format_version, {})


# The lists of records in a draft. They are validated one record at a time, each record's JSON
# replaced by its model at once (the assessment then takes the models as they are): a draft of
# 100,000 actions is not held twice over, as JSON and as models, at the peak of opening it.
_RECORD_LISTS = {"risk_overrides": RiskOverride, "actions": Action, "signoffs": SignOff, "changelog": ChangeLogEntry,
                 "approved_versions": ApprovedVersion}


def _validate_records_in_place(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Validate each record of the draft's record lists in place; the errors found, located as the
    whole draft's validation would locate them."""
    errors: list[dict[str, Any]] = []
    for name, model in _RECORD_LISTS.items():
        records = document.get(name)
        if not isinstance(records, list):
            continue  # missing or not a list: the assessment's own validation says so
        for index, record in enumerate(records):
            if isinstance(record, model):
                continue
            try:
                records[index] = model.model_validate(record)
            except ValidationError as error:
                errors += [{**detail, "loc": (name, index, *detail["loc"])} for detail in error.errors(include_url=False)]
    return errors


def attach_pack(opened: OpenedDraft, pack: LoadedPack, path: Path | str = "") -> OpenedDraft:
    """Check the draft belongs to this pack and move answers of questions the pack renamed."""
    if opened.assessment.pack.id != pack.id:
        raise DraftError(path, "other_pack", N_("the draft was answered with form pack %(draft_pack)r, not %(pack)r"),
                         draft_pack=opened.assessment.pack.id, pack=pack.id)
    assessment, renamed = _apply_renames(opened.assessment, pack)
    return dataclasses.replace(opened, assessment=assessment, renamed=renamed)


def _read_document(path: Path) -> tuple[dict[str, Any], bool, str, int]:
    """The draft's JSON document, whether it came out of an exported report (PDF), the SHA-256 of
    the file's bytes, and how many characters no file can hold were replaced."""
    try:
        raw = read_bounded(path, MAX_DRAFT_BYTES)
    except FileNotFoundError as error:
        raise DraftError(path, "not_found", N_("the file does not exist")) from error
    except ValueError as error:  # a NUL in the name: no file is called that
        raise DraftError(path, "not_found", N_("the file does not exist")) from error
    except OSError as error:
        raise DraftError(path, "unreadable", N_("the file cannot be read (%(reason)s)"), reason=str(error.strerror or error)) from error
    except NotARegularFile as error:
        # A device (/dev/zero), a pipe or a folder reports no size and may never end.
        raise DraftError(path, "not_a_draft", N_("this is not a DPIA draft: it is not a file but a folder, device or pipe")) from error
    except FileTooLarge as error:
        raise DraftError(path, "too_large", N_("the file is %(size).0f MB; a draft is never larger than %(limit)d MB, so this is not a draft"),
                         size=error.size / 1024 / 1024, limit=MAX_DRAFT_BYTES // 1024 // 1024) from error
    if not raw.strip():
        raise DraftError(path, "empty", N_("the file is empty; it may have been cut off while copying"))
    digest = hashlib.sha256(raw).hexdigest()
    from_pdf = is_pdf(raw)
    if from_pdf:
        try:
            raw = draft_from_pdf(raw)
        except NoDraftInPdf as error:
            if error.public_summary:
                raise DraftError(path, "not_a_draft", N_("this is the public summary of an assessment, which carries no draft: "
                                                         "open the draft (.dpia) or its filing report instead")) from error
            if error.too_large:
                raise DraftError(path, "too_large", N_("this is a PDF, but the file attached to it is larger than any draft (%(limit)d MB)"),
                                 limit=MAX_DRAFT_BYTES // 1024 // 1024) from error
            if error.damaged:
                raise DraftError(path, "damaged", N_("this PDF is damaged: the draft attached to it cannot be read (%(detail)s)"),
                                 detail=error.detail) from error
            raise DraftError(path, "not_a_draft", N_("this is a PDF, but %(detail)s"), detail=str(error)) from error
    try:
        # utf-8-sig: a draft re-saved by Windows Notepad starts with a byte-order mark.
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DraftError(path, "not_a_draft", N_("this is not a DPIA draft: it is not a text file (a PDF, an image or an office document?)")) from error
    # A draft may be 50 MB: the bytes and the text go as soon as they are used, so that the file is
    # never in memory three times over while its document is built.
    del raw
    surrogates = may_hold_lone_surrogates(text)
    document = parse_json(text, path)
    del text
    document, replaced = without_unwritable_text(document) if surrogates else (document, 0)
    if not isinstance(document, dict) or document.get("format") != FORMAT_NAME:
        raise DraftError(path, "not_a_draft", N_("this is not a DPIA draft: it is JSON, but not in the draft format"))
    return document, from_pdf, digest, replaced


class _NotAFiniteNumber(ValueError):
    pass


def _refuse_constant(name: str) -> float:
    raise _NotAFiniteNumber(name)


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _NotAFiniteNumber(text[:20])  # 1e400: JSON allows it, but it reads as infinity
    return value


def parse_json(text: str, path: Path) -> Any:
    """The JSON document of a draft (or of a recovery copy), or DraftError saying what is wrong.

    NaN, Infinity and numbers beyond a float's range are refused: json.dumps would write them back
    as tokens no JSON reader accepts, and no answer needs them.
    """
    try:
        return json.loads(text, parse_constant=_refuse_constant, parse_float=_finite_float)
    except RecursionError as error:
        raise DraftError(path, "damaged", N_("the draft is damaged: it is nested more deeply than any draft can be")) from error
    except json.JSONDecodeError as error:
        stripped = text.strip()
        if stripped.startswith("{") and not stripped.endswith("}"):
            # Drafts are written whole and end with "}": anything else was cut off on the way.
            raise DraftError(path, "truncated", N_("the draft is incomplete: it ends too early (line %(line)d, column %(column)d); it may have been cut off while copying. The previous version may be in %(backup)s"),
                             line=error.lineno, column=error.colno, backup=f"{path.name}{BACKUP_SUFFIX}") from error
        if not stripped.startswith("{"):
            raise DraftError(path, "not_a_draft", N_("this is not a DPIA draft: it is not a JSON draft file")) from error
        raise DraftError(path, "damaged", N_("the draft is damaged at line %(line)d, column %(column)d: %(detail)s"),
                         line=error.lineno, column=error.colno, detail=error.msg) from error
    except _NotAFiniteNumber as error:
        raise DraftError(path, "damaged", N_("the draft is damaged: it holds %(value)s where a number belongs, which no answer can be"),
                         value=str(error)) from error
    except ValueError as error:
        # Python refuses integers of more than 4,300 digits: no answer of a draft has one.
        raise DraftError(path, "damaged", N_("the draft is damaged: it holds a number far too long for any answer")) from error


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
REPLACEMENT_CHARACTER = "\ufffd"


def may_hold_lone_surrogates(text: str) -> bool:
    """Whether JSON text escapes a surrogate; only then may its document hold a lone one (UTF-8
    itself cannot carry one), so the common case costs one scan of the text and no walk."""
    return _SURROGATE_ESCAPE.search(text) is not None


def without_unwritable_text(document: Any) -> tuple[Any, int]:
    """The document with every lone surrogate (in keys and values) replaced by U+FFFD, and how many
    were replaced. JSON can escape one ("\\udc00") but UTF-8 cannot encode it, so a draft holding
    one could be opened but never saved, exported or copied for recovery."""
    replaced = 0

    def clean(value: str) -> str:
        nonlocal replaced
        cleaned, count = _LONE_SURROGATE.subn(REPLACEMENT_CHARACTER, value)
        replaced += count
        return cleaned

    # Iterative: the document may be nested as deeply as json.loads allows.
    root: list[Any] = [document]
    stack: list[tuple[list[Any] | dict[str, Any], Any]] = [(root, 0)]
    while stack:
        parent, key = stack.pop()
        value = parent[key]
        if isinstance(value, str):
            parent[key] = clean(value)
        elif isinstance(value, list):
            stack.extend((value, index) for index in range(len(value)))
        elif isinstance(value, dict):
            for name in list(value):
                if isinstance(name, str) and _LONE_SURROGATE.search(name):
                    value[clean(name)] = value.pop(name)
            stack.extend((value, name) for name in value)
    return root[0], replaced


def _check_version(path: Path, document: dict[str, Any]) -> None:
    version = document.get("format_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise DraftError(path, "damaged", N_("the draft is damaged: its format version %(version)r is not valid"), version=version)
    if version > CURRENT_FORMAT_VERSION:
        saved_by = document.get("app_version")
        if isinstance(saved_by, str):
            raise DraftError(path, "newer_format", N_("the draft was made by a newer version of this app (saved by version %(saved_by)s): draft format %(version)s, this app reads up to %(current)s. Update the app to open it; the file has not been changed"),
                             saved_by=saved_by, version=version, current=CURRENT_FORMAT_VERSION)
        raise DraftError(path, "newer_format", N_("the draft was made by a newer version of this app: draft format %(version)s, this app reads up to %(current)s. Update the app to open it; the file has not been changed"),
                         version=version, current=CURRENT_FORMAT_VERSION)


def _migrate(path: Path, document: dict[str, Any]) -> dict[str, Any]:
    version = document["format_version"]
    while version < CURRENT_FORMAT_VERSION:
        migration = MIGRATIONS.get(version)
        if migration is None:
            raise DraftError(path, "damaged", N_("there is no way to read draft format %(version)s"), version=version)
        document = migration(dict(document))
        version += 1
        document["format_version"] = version
    return document


def _describe(errors: list[Any], limit: int = 5) -> str:
    parts = []
    for detail in errors[:limit]:
        where = ".".join(str(p) for p in detail["loc"]) or "(top level)"
        parts.append(f"{where}: {detail['msg'].removeprefix('Value error, ')}")
    more = len(errors) - limit
    if more > 0:
        parts.append(f"and {more} more")
    return "; ".join(parts)


def _apply_renames(assessment: Assessment, pack: LoadedPack) -> tuple[Assessment, dict[str, str]]:
    renamed: dict[str, str] = {}
    answers = dict(assessment.answers)
    notes = dict(assessment.notes)
    for old, new in pack.pack.renamed_questions.items():
        if old in answers and new not in answers:
            answers[new] = answers.pop(old)
            renamed[old] = new
            if old in notes and new not in notes:
                notes[new] = notes.pop(old)
    if not renamed:
        return assessment, renamed
    return assessment.model_copy(update={"answers": answers, "notes": notes}), renamed


# --- writing ----------------------------------------------------------------------------------


def to_document(assessment: Assessment, kind: DraftKind = "assessment") -> dict[str, Any]:
    return {
        "format": FORMAT_NAME,
        "format_version": CURRENT_FORMAT_VERSION,
        "kind": kind,
        "app_version": __version__,
        **assessment.model_dump(mode="json"),
    }


def serialise(assessment: Assessment, kind: DraftKind = "assessment") -> bytes:
    """The draft file's bytes. Raises ValueError for what no JSON reader could read back (NaN,
    infinity) and UnicodeEncodeError for text UTF-8 cannot hold (a lone surrogate): never written."""
    return (json.dumps(to_document(assessment, kind), ensure_ascii=False, indent=2, allow_nan=False) + "\n").encode("utf-8")


UNCHECKED = object()


def file_sha256(path: Path) -> str | None:
    """SHA-256 of a file's bytes; None if there is no file."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except FileNotFoundError:
        return None


def save_draft(
    assessment: Assessment,
    path: Path | str,
    *,
    kind: DraftKind = "assessment",
    author: str = "",
    previous: Assessment | None = None,
    now: dt.datetime | None = None,
    on_disk: str | None | object = UNCHECKED,
) -> Assessment:
    """Save atomically, keep the old file as a backup, and return the assessment as saved.

    With `previous` (the assessment as last saved), a change-log entry summarising what changed is
    added; the returned assessment carries it and the new modification time. With `on_disk` (the
    SHA-256 of the file as it was opened or last saved, None if it did not exist), a file that
    someone or something else has changed since is not overwritten: DraftError "changed_on_disk".
    """
    path = Path(path)
    if on_disk is not UNCHECKED:
        try:
            current = file_sha256(path)
        except OSError as error:
            raise DraftError(path, "unreadable", N_("the file cannot be read (%(reason)s)"), reason=str(error.strerror or error)) from error
        if current != on_disk:
            raise DraftError(path, "changed_on_disk", N_("the file was changed by someone or something else since it was opened here "
                                                         "(another user on the shared drive, a sync program); it has not been overwritten"))
    now = now or _now()
    changes = describe_changes(previous, assessment) if previous is not None else ""
    update: dict[str, Any] = {"metadata": assessment.metadata.model_copy(update={"modified_at": now})}
    if changes:
        update["changelog"] = [*assessment.changelog, ChangeLogEntry(at=now, by=author, summary=changes)]
    saved = assessment.model_copy(update=update)
    try:
        data = serialise(saved, kind)
    except ValueError as error:  # UnicodeEncodeError is one too
        raise DraftError(path, "unwritable_content", N_("the assessment holds a value no draft file can hold (%(detail)s); nothing was "
                                                        "saved and the file on disk is unchanged"), detail=str(error)[:200]) from error
    write_atomically(path, data)
    return saved


def write_atomically(path: Path, data: bytes, *, keep_backup: bool = True) -> None:
    """Replace the file with `data` all at once: after a failure it is as it was before.

    A symlink is followed: the file it points to is replaced, the link stays. A read-only file
    (its permissions, or Windows' read-only attribute) is refused, as every editor does: the
    person or program that made it read-only meant it.
    """
    path = _target_of(path)
    _refuse_read_only(path)
    folder = path.parent if str(path.parent) else Path(".")
    _remove_stale_temporaries(folder)
    try:
        # A short name: the draft's own name may already be near the 255-byte limit of a file name.
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=TEMPORARY_PREFIX, suffix=TEMPORARY_SUFFIX)
    except OSError as error:
        raise DraftError(path, "unwritable", N_("cannot save in %(folder)s (%(reason)s)"), folder=str(folder), reason=str(error.strerror or error)) from error
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        # mkstemp makes owner-only files; a draft on a shared drive must stay readable as before.
        os.chmod(temporary, _mode_for(path))
        if keep_backup and path.exists():
            _keep_backup(path)
        os.replace(temporary, path)
    except OSError as error:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise DraftError(path, "unwritable", N_("cannot save the draft (%(reason)s); the file on disk is unchanged"), reason=str(error.strerror or error)) from error
    # The file is replaced now, whatever happens next: a folder that cannot be synced (no read
    # permission, a network share) only makes the rename less certain to survive a power cut.
    _sync_folder(folder)


def _target_of(path: Path) -> Path:
    """The file a save writes: through a symlink (a draft linked into a project folder), the file it
    points to, so that the link is not replaced by a copy."""
    if not path.is_symlink():
        return path
    return Path(os.path.realpath(path))


def _refuse_read_only(path: Path) -> None:
    try:
        mode = path.stat().st_mode
    except OSError:
        return  # a new file, or one that cannot be looked at: the save itself will say
    # The permission bits, not os.access: an administrator (root, as CI runs) may write anything,
    # but a file marked read-only was marked so on purpose.
    if stat.S_ISREG(mode) and not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        raise DraftError(path, "read_only_file", N_("the file is read-only, so it was not replaced; the file on disk is unchanged. "
                                                    "Save under another name, or make the file writable first"))


TEMPORARY_PREFIX = ".dpia-save-"
TEMPORARY_SUFFIX = ".tmp"
STALE_TEMPORARY_SECONDS = 10 * 60


def _remove_stale_temporaries(folder: Path) -> None:
    """Remove what a save killed half-way left behind: our own temporary files only, and only those
    older than any save takes (another app may be saving into the same folder right now)."""
    try:
        candidates = list(folder.glob(f"{TEMPORARY_PREFIX}*{TEMPORARY_SUFFIX}"))
    except OSError:
        return
    now = dt.datetime.now().timestamp()
    for candidate in candidates:
        try:
            if candidate.is_file() and now - candidate.stat().st_mtime > STALE_TEMPORARY_SECONDS:
                candidate.unlink()
        except OSError:
            pass


def _mode_for(path: Path) -> int:
    """The permissions a saved file should have: those of the file it replaces, else the umask's."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


MAX_NAME_BYTES = 255  # of one file name, on every file system the app supports


def _keep_backup(path: Path) -> None:
    backup = path.with_name(path.name + BACKUP_SUFFIX)
    if len(os.fsencode(backup.name)) > MAX_NAME_BYTES:
        return  # no room in the name for ".bak": saving matters more than the one-generation backup
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=TEMPORARY_PREFIX, suffix=TEMPORARY_SUFFIX)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(path.read_bytes())
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, _mode_for(path))
        os.replace(temporary, backup)
    except OSError:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def _sync_folder(folder: Path) -> None:
    # Makes the rename itself durable on POSIX; Windows cannot open folders and does not need it.
    # Best effort: a folder without read permission cannot be opened, and then the rename stands
    # without this extra guarantee.
    if os.name != "posix":
        return
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass  # some network file systems refuse fsync on a folder
    finally:
        os.close(descriptor)


def describe_changes(before: Assessment, after: Assessment) -> str:
    """A one-line change-log summary: which answers, actions, overrides and sign-offs changed."""
    parts: list[str] = []
    changed = sorted(q for q in set(before.answers) | set(after.answers) if before.answers.get(q) != after.answers.get(q))
    if changed:
        shown = ", ".join(changed[:8]) + (f" and {len(changed) - 8} more" if len(changed) > 8 else "")
        parts.append(f"answers changed: {shown}")
    for label, old, new in (
        ("actions", before.actions, after.actions),
        ("risk overrides", before.risk_overrides, after.risk_overrides),
        ("sign-offs", before.signoffs, after.signoffs),
    ):
        if old != new:
            parts.append(f"{label}: {len(old)} → {len(new)}" if len(old) != len(new) else f"{label} edited")
    if before.metadata.model_dump(exclude={"modified_at"}) != after.metadata.model_dump(exclude={"modified_at"}):
        parts.append("details edited")
    if before.notes != after.notes:
        parts.append("notes edited")
    if before.acceptance_policy != after.acceptance_policy:
        parts.append("acceptance policy changed")
    return "; ".join(parts)


# --- templates and derived assessments ------------------------------------------------------


def make_template(assessment: Assessment, pack: LoadedPack) -> Assessment:
    """Keep what can be reused at another site; drop identity, people, dates and sign-offs."""
    identifying = {q.id for q in pack.pack.questions.values() if q.identifying}
    return Assessment(
        metadata=Metadata(system=assessment.metadata.system, title=assessment.metadata.title),
        pack=assessment.pack,
        answers={q: v for q, v in assessment.answers.items() if q not in identifying},
        notes={q: v for q, v in assessment.notes.items() if q not in identifying},
        acceptance_policy=assessment.acceptance_policy,
        risk_overrides=[RiskOverride(**o.model_dump(exclude={"by", "on"})) for o in assessment.risk_overrides],
        actions=[
            Action(id=a.id, measure=a.measure, finding_ids=a.finding_ids, risk_ids=a.risk_ids, effect=a.effect)
            for a in assessment.actions
            if a.status != "cancelled"
        ],
    )


def new_from(source: Assessment, source_label: str, **metadata: Any) -> Assessment:
    """A fresh assessment starting from a template's or an earlier draft's answers."""
    now = _now()
    fresh = Metadata(
        title=metadata.pop("title", source.metadata.title),
        system=metadata.pop("system", source.metadata.system),
        derived_from=source_label,
        **metadata,
    )
    return Assessment(
        metadata=fresh,
        pack=source.pack,
        answers=dict(source.answers),
        notes=dict(source.notes),
        acceptance_policy=source.acceptance_policy,
        risk_overrides=[RiskOverride(**o.model_dump(exclude={"by", "on"})) for o in source.risk_overrides],
        actions=[
            Action(measure=a.measure, finding_ids=a.finding_ids, risk_ids=a.risk_ids, effect=a.effect)
            for a in source.actions
            if a.status != "cancelled"
        ],
        changelog=[ChangeLogEntry(at=now, summary=f"created from {source_label}")],
    )
