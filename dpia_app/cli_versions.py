"""`dpia approve` and `dpia diff`: approved versions and what changed, from the command line.

dpia approve FILE      freeze the draft as its next approved version (needs an approver's sign-off
                       and every required answer); exit 0 approved, 1 refused (the reason is printed)
dpia diff FILE         the draft against its last approved version (or --version N)
dpia diff A B          two drafts, each evaluated today
                       exit 0 nothing changed, 1 something changed (as diff(1) does), 3 a file cannot be used
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

# Imported by the commands themselves: building the models is not needed to parse a command line.
if TYPE_CHECKING:
    from .core import drafts
    from .core.packs import LoadedPack

EXIT_SAME = 0
EXIT_CHANGED = 1
EXIT_REFUSED = 1


def add_commands(commands: argparse._SubParsersAction, language_type, date_type, builtin, fail) -> None:
    """The two commands, on the main parser's subcommands; `builtin` loads a built-in pack and
    `fail` is the exception that ends a command with a worded file problem."""
    approve = commands.add_parser("approve", help="freeze the draft as its next approved version (after the approver's sign-off)")
    approve.add_argument("file", type=Path)
    approve.add_argument("--today", type=date_type, default=None, help="approve as of this date (default: today)")
    approve.set_defaults(run=partial(run_approve, builtin=builtin, fail=fail))

    diff = commands.add_parser("diff", help="what changed: the draft against its last approved version, or two drafts")
    diff.add_argument("file", type=Path, help="a draft; alone, it is compared with its last approved version")
    diff.add_argument("other", type=Path, nargs="?", default=None, help="a second draft: what changed from FILE to OTHER")
    diff.add_argument("--version", type=int, default=None, metavar="N", help="compare with approved version N instead of the last")
    diff.add_argument("--json", action="store_true", help="machine-readable output")
    diff.add_argument("--lang", type=language_type, default="en", help="en or zh (default en)")
    diff.add_argument("--today", type=date_type, default=None, help="evaluate as of this date (default: today)")
    diff.set_defaults(run=partial(run_diff, builtin=builtin, fail=fail))


def _open(path: Path, builtin) -> tuple[drafts.OpenedDraft, LoadedPack]:
    from .core import drafts

    opened = drafts.read_draft(path)
    loaded = builtin(opened.assessment.pack.id)
    return drafts.attach_pack(opened, loaded, path), loaded


def run_approve(args: argparse.Namespace, *, builtin, fail) -> int:
    from .core import drafts
    from .core.evaluation import evaluate
    from .core.versions import CannotApprove, approve

    opened, loaded = _open(args.file, builtin)
    if opened.kind != "assessment" or opened.from_pdf:
        raise fail(f"{args.file}: only an assessment draft (.dpia) can be approved, not a template or a report PDF")
    today = args.today or dt.date.today()
    evaluation = evaluate(loaded, opened.assessment, today)
    try:
        approved = approve(opened.assessment, evaluation, dt.datetime.now(dt.timezone.utc))
    except CannotApprove as refusal:
        from .presentation import approval_blocker_text

        print(f"dpia: not approved: {approval_blocker_text(refusal.code, refusal.details, loaded.pack, 'en')}", file=sys.stderr)
        return EXIT_REFUSED
    drafts.save_draft(approved, args.file)
    version = approved.approved_versions[-1]
    print(f"approved version {version.number} of {args.file} ({version.approved_on}, {version.approved_by})")
    return 0


def run_diff(args: argparse.Namespace, *, builtin, fail) -> int:
    from .changes_report import as_json, as_text
    from .core.changes import State, approved_state, compare
    from .core.evaluation import evaluate
    from .core.versions import is_intact, summarise

    today = args.today or dt.date.today()
    opened, loaded = _open(args.file, builtin)

    def now(draft: drafts.OpenedDraft, pack: LoadedPack, name: str = "") -> State:
        return State(draft.assessment, summarise(evaluate(pack, draft.assessment, today)), pack.version, "file" if name else "draft", name=name)

    if args.other is not None:
        if args.version is not None:
            raise fail("--version compares a draft with one of its own approved versions; give one file")
        other, other_loaded = _open(args.other, builtin)
        if other_loaded.id != loaded.id:
            raise fail(f"{args.file} and {args.other} use different form packs ({loaded.id}, {other_loaded.id}); they cannot be compared")
        before, after = now(opened, loaded, str(args.file)), now(other, other_loaded, str(args.other))
    else:
        versions = opened.assessment.approved_versions
        if not versions:
            raise fail(f"{args.file} has no approved version yet: approve it (dpia approve) or give a second draft to compare with")
        number = args.version or versions[-1].number
        if not 1 <= number <= len(versions):
            raise fail(f"{args.file} has approved versions 1 to {len(versions)}; there is no version {number}")
        version = versions[number - 1]
        if not is_intact(version):
            print(f"dpia: warning: approved version {number} has been changed since it was approved (its content hash no longer matches)", file=sys.stderr)
        before, after = approved_state(version), now(opened, loaded)
    changes = compare(before, after, list(loaded.pack.questions))
    if args.json:
        print(json.dumps(as_json(changes, loaded.pack, args.lang), ensure_ascii=False, indent=2, default=str))
    else:
        print(as_text(changes, loaded.pack, args.lang), end="")
    return EXIT_SAME if changes.nothing else EXIT_CHANGED
