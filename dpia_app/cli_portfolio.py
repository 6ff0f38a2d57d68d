"""`dpia portfolio DIR`: every assessment under a folder at a glance, the processors' totals, Excel;
`dpia import-actions BOOK.xlsx`: action statuses changed in that workbook back into the drafts.

Exit status: 0 every file was read (every line of the sheet taken or unchanged); 3 the folder or
workbook cannot be used, a file could not be read or a line could not be taken (each says why).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from functools import partial
from pathlib import Path


def add_command(commands: argparse._SubParsersAction, language_type, date_type, fail) -> None:
    portfolio = commands.add_parser("portfolio", help="every assessment under a folder: verdicts, findings, actions, reviews, filing; Excel")
    portfolio.add_argument("folder", type=Path)
    portfolio.add_argument("--json", action="store_true", help="machine-readable output")
    portfolio.add_argument("--xlsx", type=Path, default=None, metavar="OUT.xlsx", help="also write the portfolio and every action as an Excel workbook")
    portfolio.add_argument("--lang", type=language_type, default="en", help="en or zh (default en)")
    portfolio.add_argument("--today", type=date_type, default=None, help="evaluate as of this date (default: today)")
    portfolio.set_defaults(run=partial(run_portfolio, fail=fail))

    taking = commands.add_parser("import-actions", help="take action statuses changed in the portfolio workbook back into the drafts")
    taking.add_argument("workbook", type=Path, help="a workbook written by dpia portfolio --xlsx, its Actions sheet edited")
    taking.add_argument("--dry-run", action="store_true", help="report what would change, change nothing")
    taking.add_argument("--lang", type=language_type, default="en", help="en or zh (default en)")
    taking.set_defaults(run=run_import_actions)


def run_portfolio(args: argparse.Namespace, *, fail) -> int:
    from .core.portfolio import processor_totals, scan
    from .portfolio_report import as_json, as_text, write_xlsx
    from .presentation import draft_error_message

    if not args.folder.is_dir():
        raise fail(f"{args.folder}: not a folder")
    if args.xlsx is not None and args.xlsx.suffix.lower() != ".xlsx":
        raise fail(f"{args.xlsx}: the workbook's name must end in .xlsx")
    loaded: dict = {}

    def packs() -> dict:
        if not loaded:
            from .core.packs import builtin_pack_paths, load_builtin_pack

            loaded.update({pack_id: load_builtin_pack(pack_id) for pack_id in builtin_pack_paths()})
        return loaded

    def problem_text(error: Exception) -> str:
        from .core.drafts import DraftError

        if isinstance(error, DraftError):
            return draft_error_message(error, args.lang)
        return str(getattr(error, "strerror", None) or error)

    rows = scan(args.folder, packs, args.today or dt.date.today(), problem_text)
    totals = processor_totals(rows)
    if args.json:
        print(json.dumps(as_json(rows, totals, args.lang), ensure_ascii=False, indent=2))
    else:
        print(as_text(rows, totals, args.lang), end="")
    if args.xlsx is not None:
        write_xlsx(args.xlsx, rows, totals, args.lang)
        if not args.json:
            print(f"wrote {args.xlsx}")
    return 3 if any(not row.readable for row in rows) else 0


def run_import_actions(args: argparse.Namespace) -> int:
    from .action_import import import_statuses

    lines = import_statuses(args.workbook, args.lang, dry_run=args.dry_run)
    for line in lines:
        print(line.text)
    changed = sum(1 for line in lines if line.changed)
    print(f"{changed} status change(s) {'found (dry run: nothing written)' if args.dry_run else 'written'}")
    return 3 if any(line.outcome == "refused" for line in lines) else 0
