"""Command line: create, check and template assessments; check form packs; write the JSON Schemas.

Exit status, so that scripts can rely on it:
  0  the file is valid; the verdict is "may proceed" or "proceed with conditions"
  1  the file is valid; the verdict is "must not proceed"
  2  the command line is wrong
  3  a file could not be used (damaged, foreign or newer draft; broken form pack)
  4  the file is valid but incomplete: required questions are unanswered or unusable, so there
     is no conclusion yet (nothing found so far blocks; a blocking finding gives 1 instead)
`dpia --self-test` (or `dpia self-test`) checks this installation: 0 it works, 1 a step failed.
`dpia approve` and `dpia diff` have their own (see cli_versions.py): approve 0 approved, 1 refused;
diff 0 nothing changed, 1 something changed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .core.pack_headers import builtin_pack_paths
from .core.text import Language, normalise_language
from .core.yaml_source import DataFileError

# The draft and pack models are imported by the commands that read drafts or packs, not here:
# building them takes longer than `dpia portfolio` needs for a folder it has scanned before.
if TYPE_CHECKING:
    from .core.packs import LoadedPack

EXIT_OK = 0
EXIT_MUST_NOT_PROCEED = 1
EXIT_USAGE = 2
EXIT_BAD_FILE = 3
# Required questions are unanswered or unusable (and nothing found blocks): no conclusion yet.
EXIT_INCOMPLETE = 4
# A report carries a draft of at most 50 MB and some pages: anything far larger is not one of ours.
MAX_PDF_BYTES = 200 * 1024 * 1024


class _Fail(Exception):
    """A file problem already worded for the user; ends the command with exit status 3."""


def main(argv: list[str] | None = None) -> int:
    import multiprocessing

    # The self-test starts the wizard's export process, which in the frozen app is this executable
    # started again: let that child run its task here instead of parsing a command line.
    multiprocessing.freeze_support()
    _make_console_safe()
    parser = _parser()
    args = parser.parse_args(argv)
    if args.self_test:
        return _run_self_test(args)
    if not hasattr(args, "run"):
        parser.print_help()
        return EXIT_USAGE
    try:
        return args.run(args)
    except _Fail as failure:
        print(f"dpia: {failure}", file=sys.stderr)
        return EXIT_BAD_FILE
    except DataFileError as error:
        print(f"dpia: {error}", file=sys.stderr)
        return EXIT_BAD_FILE
    except Exception as error:
        from .core.drafts import DraftError

        if not isinstance(error, DraftError):
            raise
        print(f"dpia: {error}", file=sys.stderr)
        return EXIT_BAD_FILE


def _make_console_safe() -> None:
    # A Windows console in a legacy code page cannot print Chinese; replace rather than crash.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")


def _language(value: str) -> Language:
    try:
        return normalise_language(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from error


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from error


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dpia",
        description="Facial recognition impact assessments (PIPIA) for China: create, check, template.",
        epilog="Exit status: 0 valid (may proceed / with conditions), 1 must not proceed, 2 usage error, 3 file cannot be used, "
               "4 incomplete (required questions unanswered: no conclusion yet).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    # A flag as well as a command: `dpia-app --self-test` and `dpia --self-test` read the same.
    parser.add_argument("--self-test", action="store_true", help="check that this installation works (same as: dpia self-test)")
    parser.add_argument("--self-test-output", type=Path, default=None, metavar="FILE", help="also write the self-test's result to FILE")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    new = commands.add_parser("new", help="create a new assessment draft")
    source = new.add_mutually_exclusive_group(required=True)
    source.add_argument("--pack", help="form pack id, e.g. cn-frt-2025 (see: dpia forms list)")
    source.add_argument("--from", dest="from_file", type=Path, metavar="DRAFT", help="start from a template or an earlier draft")
    new.add_argument("-o", "--output", type=Path, required=True, help="the new .dpia file")
    new.add_argument("--title", default=None)
    new.add_argument("--organisation", default="")
    new.add_argument("--force", action="store_true", help="overwrite an existing file (a backup is kept)")
    new.set_defaults(run=_run_new)

    check = commands.add_parser("check", help="completeness, findings, risks, verdict, filing duty and next review")
    check.add_argument("file", type=Path)
    check.add_argument("--json", action="store_true", help="machine-readable output")
    check.add_argument("--lang", type=_language, default="en", help="en or zh (default en)")
    check.add_argument("--today", type=_date, default=None, help="evaluate as of this date (default: today)")
    check.add_argument("--pack-file", type=Path, default=None, help="evaluate against this form pack file instead of the built-in one")
    check.set_defaults(run=_run_check)

    template = commands.add_parser("template", help="save a draft as a reusable template (drops identity, sign-offs and dates)")
    template.add_argument("file", type=Path)
    template.add_argument("-o", "--output", type=Path, required=True)
    template.add_argument("--force", action="store_true")
    template.set_defaults(run=_run_template)

    forms = commands.add_parser("forms", help="form packs: list or check").add_subparsers(title="forms commands", metavar="COMMAND")
    forms_check = forms.add_parser("check", help="check a form pack and print every problem with its line")
    forms_check.add_argument("file", type=Path)
    forms_check.set_defaults(run=_run_forms_check)
    forms_list = forms.add_parser("list", help="list the built-in form packs")
    forms_list.set_defaults(run=_run_forms_list)

    render = commands.add_parser("render", help="export the PDF impact-assessment report (PDF/A-3 with the draft attached)")
    render.add_argument("file", type=Path, help="a .dpia draft (or a report PDF made by this app)")
    render.add_argument("-o", "--output", type=Path, required=True, help="the PDF to write")
    render.add_argument("--lang", choices=("en", "zh", "bilingual"), default="en", help="report language (default en)")
    render.add_argument("--edition", choices=("filing", "full", "public"), default="filing",
                        help="filing: the report to file (default); full: with every answer by id, each risk's "
                             "derivation and the change log; public: a short summary to publish")
    render.add_argument("--pdf-ua", action="store_true", help="tag the report for screen readers and declare PDF/UA-1 (the public summary is tagged either way)")
    render.add_argument("--today", type=_date, default=None, help="evaluate as of this date (default: today)")
    render.add_argument("--version", type=int, default=None, metavar="N",
                        help="the report of approved version N, as approved and concluded on its approval date")
    render.add_argument("--force", action="store_true", help="overwrite an existing file")
    render.set_defaults(run=_run_render)

    import_pdf = commands.add_parser("import-pdf", help="take the draft back out of a report PDF, byte for byte")
    import_pdf.add_argument("file", type=Path, help="a report PDF exported by this app")
    import_pdf.add_argument("-o", "--output", type=Path, required=True, help="the .dpia file to write")
    import_pdf.add_argument("--force", action="store_true", help="overwrite an existing file (a backup is kept)")
    import_pdf.set_defaults(run=_run_import_pdf)

    self_test = commands.add_parser("self-test", help="check that this installation works: pack, examples, PDF report, window")
    self_test.add_argument("-o", "--output", dest="self_test_output", type=Path, default=argparse.SUPPRESS, metavar="FILE",
                           help="also write the result to FILE")
    self_test.set_defaults(run=_run_self_test)

    from .cli_versions import add_commands as add_version_commands

    add_version_commands(commands, _language, _date, _builtin, _Fail)
    from .cli_portfolio import add_command as add_portfolio_command

    add_portfolio_command(commands, _language, _date, _Fail)

    schema = commands.add_parser("schema", help="write the JSON Schemas of form packs and drafts")
    schema.add_argument("-o", "--output", type=Path, default=Path("schemas"), help="folder (default: ./schemas)")
    schema.set_defaults(run=_run_schema)
    return parser


# --- commands -------------------------------------------------------------------------------


def _refuse_overwrite(path: Path, force: bool) -> None:
    from .core import drafts

    if path.exists() and not force:
        raise _Fail(f"{path} already exists; use --force to replace it (the old file is kept as {path.name}{drafts.BACKUP_SUFFIX})")


def _run_new(args: argparse.Namespace) -> int:
    from .core import drafts

    _refuse_overwrite(args.output, args.force)
    if args.pack:
        loaded = _builtin(args.pack)
        assessment = drafts.new_assessment(loaded, title=args.title or "", organisation=args.organisation)
    else:
        opened = drafts.read_draft(args.from_file)
        loaded = _builtin(opened.assessment.pack.id)
        opened = drafts.attach_pack(opened, loaded, args.from_file)
        metadata: dict[str, Any] = {"organisation": args.organisation}
        if args.title is not None:
            metadata["title"] = args.title
        assessment = drafts.new_from(drafts.adopt_pack(opened.assessment, loaded), args.from_file.name, **metadata)
    drafts.save_draft(assessment, args.output)
    print(f"created {args.output} ({loaded.id} {loaded.version})")
    return EXIT_OK


def _run_template(args: argparse.Namespace) -> int:
    from .core import drafts

    _refuse_overwrite(args.output, args.force)
    opened = drafts.read_draft(args.file)
    loaded = _builtin(opened.assessment.pack.id)
    opened = drafts.attach_pack(opened, loaded, args.file)
    template = drafts.make_template(drafts.adopt_pack(opened.assessment, loaded), loaded)
    drafts.save_draft(template, args.output, kind="template")
    print(f"saved template {args.output}")
    return EXIT_OK


def _run_forms_check(args: argparse.Namespace) -> int:
    from .core.packs import load_pack

    try:
        loaded = load_pack(args.file)
    except DataFileError as error:
        for problem in error.problems:
            print(problem)
        print(f"{error.total} problem(s) found", file=sys.stderr)
        return EXIT_BAD_FILE
    pack = loaded.pack
    print(f"{args.file}: OK: {pack.id} {pack.version}: {len(pack.sections)} sections, {len(pack.questions)} questions, "
          f"{len(pack.rules)} rules, {len(pack.risks)} risk scenarios; sha256 {loaded.sha256}")
    return EXIT_OK


def _run_forms_list(args: argparse.Namespace) -> int:
    from .core.packs import load_builtin_pack

    for pack_id, path in builtin_pack_paths().items():
        loaded = load_builtin_pack(pack_id)
        print(f"{pack_id}\t{loaded.version}\t{loaded.pack.title.en}\t{path.name}")
    return EXIT_OK


def _run_self_test(args: argparse.Namespace) -> int:
    from .selftest import run_and_report

    return run_and_report(args.self_test_output)


def _run_schema(args: argparse.Namespace) -> int:
    from .core.schemas import write_schemas

    for path in write_schemas(args.output):
        print(f"wrote {path}")
    return EXIT_OK


def _builtin(pack_id: str) -> LoadedPack:
    from .core.packs import load_builtin_pack

    try:
        return load_builtin_pack(pack_id)
    except KeyError as error:
        raise _Fail(error.args[0]) from error


def _run_check(args: argparse.Namespace) -> int:
    from .core import drafts
    from .core.evaluation import evaluate

    opened = drafts.read_draft(args.file)
    if args.pack_file is not None:
        from .core.packs import load_pack

        loaded = load_pack(args.pack_file)
    else:
        loaded = _builtin(opened.assessment.pack.id)
    opened = drafts.attach_pack(opened, loaded, args.file)
    today = args.today or dt.date.today()
    evaluation = evaluate(loaded, opened.assessment, today)
    if args.json:
        from .check_report import as_json

        print(json.dumps(as_json(args.file, opened, loaded, evaluation, args.lang), ensure_ascii=False, indent=2))
    else:
        from .check_report import text_lines

        width = min(shutil.get_terminal_size((100, 20)).columns, 110)
        for line in text_lines(args.file, opened, loaded, evaluation, args.lang, width):
            print(line)
    return {"must_not_proceed": EXIT_MUST_NOT_PROCEED, "incomplete": EXIT_INCOMPLETE}.get(evaluation.verdict.outcome, EXIT_OK)


def _run_render(args: argparse.Namespace) -> int:
    from .core import drafts
    from .core.draft_in_pdf import draft_from_pdf, is_pdf
    from .report import MissingReportLibrary, make_report, report_libraries

    if args.output.exists() and not args.force:
        raise _Fail(f"{args.output} already exists; use --force to replace it")
    if args.output.resolve() == args.file.resolve():
        raise _Fail("the report would overwrite the draft it is made from; choose another output file")
    opened = drafts.read_draft(args.file)
    loaded = _builtin(opened.assessment.pack.id)
    opened = drafts.attach_pack(opened, loaded, args.file)
    raw = args.file.read_bytes()
    # The PDF carries the draft exactly as saved; a report made from a report carries the same draft.
    draft_bytes = draft_from_pdf(raw) if is_pdf(raw) else raw
    approved = None
    if args.version is not None:
        versions = opened.assessment.approved_versions
        if not 1 <= args.version <= len(versions):
            raise _Fail(f"{args.file} has {len(versions)} approved version(s); there is no version {args.version}")
        # What was approved, concluded as it was on its day (a later date moves reviews and deadlines).
        approved = versions[args.version - 1]
    status = report_libraries()
    if status.warning:
        print(f"dpia: warning: {status.warning}", file=sys.stderr)
    try:
        made = make_report(loaded, opened.assessment, draft_bytes, args.lang, args.today or dt.date.today(),
                           edition=args.edition, pdf_ua=args.pdf_ua, approved=approved)
    except MissingReportLibrary as error:
        raise _Fail(str(error)) from error
    drafts.write_atomically(args.output, made.pdf, keep_backup=False)
    print(f"wrote {args.output} ({len(made.pdf) // 1024} KB, {made.report.verdict_label.main})")
    return EXIT_OK


def _run_import_pdf(args: argparse.Namespace) -> int:
    from .core import drafts
    from .core.bounded_read import FileTooLarge, NotARegularFile, read_bounded
    from .core.draft_in_pdf import NoDraftInPdf, draft_from_pdf

    try:
        _refuse_overwrite(args.output, args.force)
    except OSError as error:  # a name the system refuses (too long, say)
        raise _Fail(f"{args.output}: cannot be written ({error.strerror or error})") from error
    try:
        data = read_bounded(args.file, MAX_PDF_BYTES)  # whatever the file claims
    except (NotARegularFile, FileNotFoundError) as error:
        raise _Fail(f"{args.file}: not a file (a folder, device or pipe, or it does not exist)") from error
    except FileTooLarge as error:
        raise _Fail(f"{args.file}: larger than any report this app writes ({MAX_PDF_BYTES // 1024 // 1024} MB)") from error
    except OSError as error:
        raise _Fail(f"{args.file}: the file cannot be read ({error.strerror or error})") from error
    try:
        # Whatever the PDF holds, this gives the draft (at most drafts.MAX_DRAFT_BYTES) or NoDraftInPdf.
        draft_bytes = draft_from_pdf(data)
    except NoDraftInPdf as error:
        raise _Fail(f"{args.file}: {error}; nothing was written") from error
    # Checked again here: nothing larger than a draft is ever written, whatever the reader gives.
    if len(draft_bytes) > drafts.MAX_DRAFT_BYTES:
        raise _Fail(f"{args.file}: the attached file is larger than any draft ({drafts.MAX_DRAFT_BYTES // 1024 // 1024} MB); nothing was written")
    # Check it is a draft this app can open before writing it anywhere.
    drafts.from_document(_json_document(args.file, draft_bytes), args.file)
    drafts.write_atomically(args.output, draft_bytes)
    print(f"wrote {args.output} ({len(draft_bytes)} bytes, as attached to {args.file.name})")
    return EXIT_OK


def _json_document(path: Path, data: bytes) -> Any:
    try:
        return json.loads(data.decode("utf-8-sig"))
    except RecursionError as error:
        raise _Fail(f"{path}: the attached draft is damaged (nested more deeply than any draft can be)") from error
    except (UnicodeDecodeError, ValueError) as error:  # ValueError: bad JSON, or a number of 4,300+ digits
        raise _Fail(f"{path}: the attached draft is damaged ({str(error)[:200]})") from error


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
