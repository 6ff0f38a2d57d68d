"""`dpia portfolio DIR`: every assessment under a folder at a glance, the processors' totals, Excel.

Exit status: 0 every file was read; 3 the folder cannot be used or a file could not be read (it is
a row that says why; the others are listed as usual).
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
