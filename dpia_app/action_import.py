"""Action statuses changed in the portfolio workbook, taken back into the drafts, line by line.

Action plans are followed up in Excel. The Actions sheet written by `dpia portfolio --xlsx` names
each action by its draft file and id; whoever follows them up changes the Status column, and
`dpia import-actions` writes those statuses back. Every line of the sheet gets a line of the
report (changed, unchanged, or why it was not taken), nothing is changed silently, a draft
someone else has open or changed meanwhile is left as it is, and `--dry-run` only reports.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from .core.text import Language
from .i18n import gettext_for
from .presentation import action_status_labels

HEADER_FILE = "File"
HEADER_ACTION = "Action id"
HEADER_STATUS = "Status"


@dataclass(frozen=True)
class ImportLine:
    row: int  # the sheet's row number, as Excel shows it
    text: str
    outcome: Literal["changed", "unchanged", "refused"] = "refused"

    @property
    def changed(self) -> bool:
        return self.outcome == "changed"


def _headers(language: Language) -> dict[str, str]:
    _ = gettext_for(language)
    return {_(HEADER_FILE): "file", _(HEADER_ACTION): "action", _(HEADER_STATUS): "status"}


def _status_codes() -> dict[str, str]:
    """Status words in either language (the workbook may have been written in the other) -> code."""
    codes: dict[str, str] = {}
    for language in ("en", "zh-Hans"):
        for code, label in action_status_labels(language).items():  # type: ignore[arg-type]
            codes[label.casefold()] = code
            codes[code] = code
    return codes


def import_statuses(workbook: Path, language: Language, *, dry_run: bool = False, now: dt.datetime | None = None) -> list[ImportLine]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    _ = gettext_for(language)
    try:
        book = load_workbook(workbook, read_only=True, data_only=True)
    except (OSError, InvalidFileException, KeyError, ValueError, zipfile.BadZipFile) as error:
        return [ImportLine(0, _("%(file)s cannot be read as an Excel workbook: %(problem)s") % {"file": workbook, "problem": error})]
    sheet, columns = None, {}
    for candidate in book.worksheets:
        header = [str(cell.value or "").strip() for cell in next(candidate.iter_rows(min_row=1, max_row=1), ())]
        for header_language in ("en", "zh-Hans"):
            names = _headers(header_language)  # type: ignore[arg-type]
            found = {names[text]: index for index, text in enumerate(header) if text in names}
            if set(found) == {"file", "action", "status"}:
                sheet, columns = candidate, found
                break
        if sheet is not None:
            break
    if sheet is None:
        return [ImportLine(0, _("No sheet of %(file)s has the columns File, Action id and Status of the portfolio's action sheet.") % {"file": workbook})]

    wanted: dict[Path, list[tuple[int, str, str]]] = {}
    lines: list[ImportLine] = []
    codes = _status_codes()
    for number, values in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        file, action, status = (values[columns[k]] if columns[k] < len(values) else None for k in ("file", "action", "status"))
        if not file and not action and not status:
            continue
        code = codes.get(str(status or "").strip().casefold())
        if not file or not action:
            lines.append(ImportLine(number, _("row %(row)d: the file or the action id is empty") % {"row": number}))
        elif code is None:
            lines.append(ImportLine(number, _("row %(row)d: %(action)s: the status %(status)r is not one of: %(known)s") % {
                "row": number, "action": action, "status": status, "known": ", ".join(action_status_labels(language).values())}))
        else:
            wanted.setdefault(Path(str(file)), []).append((number, str(action), code))
    book.close()
    for path, changes in wanted.items():
        lines += _apply(path, changes, language, dry_run, now)
    return sorted(lines, key=lambda line: line.row)


def _apply(path: Path, changes: list[tuple[int, str, str]], language: Language, dry_run: bool, now: dt.datetime | None) -> list[ImportLine]:
    from .core import drafts
    from .core.draft_lock import DraftLocked, acquire
    from .presentation import draft_error_message

    _ = gettext_for(language)
    labels = action_status_labels(language)

    def every(text: str) -> list[ImportLine]:
        return [ImportLine(row, _("row %(row)d: %(action)s: %(problem)s") % {"row": row, "action": action, "problem": text}) for row, action, _code in changes]

    try:
        lock = None if dry_run else acquire(path)
    except DraftLocked as locked:
        return every(_("not taken: %(draft)s is open for editing (%(who)s)") % {"draft": path.name, "who": locked})
    try:
        try:
            opened = drafts.read_draft(path)
        except drafts.DraftError as error:
            return every(_("not taken: %(problem)s") % {"problem": draft_error_message(error, language)})
        actions = {action.id: action for action in opened.assessment.actions}
        lines, updated = [], dict(actions)
        for row, action_id, code in changes:
            action = actions.get(action_id)
            if action is None:
                lines.append(ImportLine(row, _("row %(row)d: %(draft)s has no action %(action)s") % {"row": row, "draft": path.name, "action": action_id}))
            elif action.status == code:
                lines.append(ImportLine(row, _("row %(row)d: %(action)s in %(draft)s: unchanged (%(status)s)") % {
                    "row": row, "action": action_id, "draft": path.name, "status": labels[code]}, "unchanged"))
            else:
                updated[action_id] = action.model_copy(update={"status": code})
                lines.append(ImportLine(row, _("row %(row)d: %(action)s in %(draft)s: %(before)s → %(after)s") % {
                    "row": row, "action": action_id, "draft": path.name, "before": labels[action.status], "after": labels[code]}, "changed"))
        if any(line.changed for line in lines) and not dry_run:
            assessment = opened.assessment.model_copy(update={"actions": [updated[a.id] for a in opened.assessment.actions]})
            try:
                drafts.save_draft(assessment, path, previous=opened.assessment, author="import-actions", now=now, on_disk=opened.file_sha256)
            except drafts.DraftError as error:
                return every(_("not taken: %(problem)s") % {"problem": draft_error_message(error, language)})
        return lines
    finally:
        if lock is not None:
            lock.release()
