"""Robustness run: mutated drafts, recovery copies, form packs, PDFs and hostile report text.

    .venv/bin/python bench/robustness.py [--seed N] [--scale 0.1] [--only drafts,pdfs]

Every trial feeds one damaged or hostile input to the code a user's file goes through, and sorts
the result into:
  accepted   the input was read (and then evaluated, printed, saved and read back without loss);
  refused    the input was refused with the app's own error, which names the file;
  FAILED     anything else: a traceback, a hang (over --timeout seconds), a file changed by reading
             it, a saved draft that does not read back, a network connection or a read outside the
             app's resources while rendering.
Targets (issue 13): failures 0, tracebacks 0, hangs 0. Each failure is printed with its traceback
and its input is kept in a folder for reproduction. The same --seed gives the same inputs.
POSIX only: a hang is caught with SIGALRM.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import json
import os
import random
import re
import resource
import shutil
import signal
import socket
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dpia_app.core import drafts  # noqa: E402
from dpia_app.core.draft_in_pdf import NoDraftInPdf, draft_from_pdf  # noqa: E402
from dpia_app.core.evaluation import evaluate  # noqa: E402
from dpia_app.core.packs import builtin_pack_paths, load_pack  # noqa: E402
from dpia_app.core.yaml_source import DataFileError  # noqa: E402

TODAY = dt.date(2026, 12, 3)
EXAMPLES = sorted((ROOT / "examples").glob("*.dpia"))
MINI_PACK = ROOT / "tests" / "data" / "mini" / "mini-pack.yaml"
TRIALS = {"drafts": 5000, "recovery": 1000, "locks": 1000, "startup": 600, "windows": 150, "packs": 600, "pdfs": 600, "answers": 2000,
          "report": 12}


class TrialTimedOut(BaseException):
    """Raised by the alarm inside a trial that runs too long (a BaseException so no catch hides it)."""


@dataclass
class Failure:
    section: str
    trial: int
    mutation: str
    problem: str
    details: str = ""


@dataclass
class Tally:
    trials: int = 0
    accepted: int = 0
    refused: int = 0
    failures: list[Failure] = field(default_factory=list)
    seconds: float = 0.0


class Run:
    """Counts per section and keeps each failing input under `kept`."""

    def __init__(self, kept: Path, timeout: float):
        self.kept = kept
        self.timeout = timeout
        self.tallies: dict[str, Tally] = {}

    def trial(self, section: str, number: int, mutation: str, data: bytes | str, suffix: str, body: Callable[[], str]) -> None:
        """Run `body`, which returns "accepted" or "refused" or raises; anything else is a failure."""
        tally = self.tallies.setdefault(section, Tally())
        tally.trials += 1
        start = time.perf_counter()
        details = ""
        signal.setitimer(signal.ITIMER_REAL, self.timeout)
        try:
            outcome = body()
        except TrialTimedOut:
            outcome = f"hang: over {self.timeout:g} s"
        except BrokenInvariant as broken:
            outcome, details = str(broken), broken.details
        except Exception as error:  # noqa: BLE001 - counting these is the point of the run
            outcome, details = f"traceback: {type(error).__name__}: {str(error)[:300]}", traceback.format_exc()
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            tally.seconds += time.perf_counter() - start
        if outcome == "accepted":
            tally.accepted += 1
        elif outcome == "refused":
            tally.refused += 1
        else:
            tally.failures.append(Failure(section, number, mutation, outcome, details))
            self._keep(section, number, data, suffix)

    def _keep(self, section: str, number: int, data: bytes | str, suffix: str) -> None:
        self.kept.mkdir(parents=True, exist_ok=True)
        target = self.kept / f"{section}-{number:05d}{suffix}"
        target.write_bytes(data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data)


class BrokenInvariant(Exception):
    """The code did not crash but broke a promise: file changed, draft lost, something fetched."""

    def __init__(self, problem: str, details: str = ""):
        super().__init__(problem)
        self.details = details


def _on_alarm(_signum, _frame):
    raise TrialTimedOut()


# --- hostile values ------------------------------------------------------------------------------

# JSON text that Python's json module would never write: each is spliced in as raw text.
RAW_TOKENS = [
    "NaN", "Infinity", "-Infinity", "1e400", "-1e400", "1" * 5000, "-" + "9" * 4400, '"\\udc00"', '"\\ud800"',
    '"x\\ud83d"', "[" * 1500 + "]" * 1500, '{"a":' * 1200 + "1" + "}" * 1200, "[" * 100_000, "null", "true", "0", "-1",
    "1e308", "0.0000001", '"\\u0000"', '""', "{}", "[]", '"' + "x" * 200_000 + '"', '"9999-12-31"', '"0001-01-01"',
    '"2025-02-30"', '"2026-01-01T00:00:00"', '"2026-01-01T00:00:00+14:00"', '"0001-01-01T00:00:00+14:00"', '"9999-12-31T23:59:59-14:00"', '"24:00"', '"yes"', '"../../etc/passwd"',
    '"<script>alert(1)</script>"', '"file:///etc/passwd"', '"{{ 7*7 }}"', '"\\u202e\\u200b"', '{"":""}', "[null]",
]


def hostile_text(rng: random.Random, port: int) -> str:
    """Text a person might paste or an attacker might plant in any free-text field of a draft."""
    pieces = [
        f'<img src="http://127.0.0.1:{port}/img.png">', f'<link rel="stylesheet" href="http://127.0.0.1:{port}/x.css">',
        f"<style>@import url(http://127.0.0.1:{port}/y.css); body {{ background: url(file:///etc/hostname) }}</style>",
        '<iframe src="file:///etc/passwd"></iframe>', '<object data="file:///etc/shadow"></object>',
        '<svg><image href="file:///etc/hostname"/></svg>', "url(file:///etc/passwd)", f"//127.0.0.1:{port}/p",
        "</td></tr></table></section><h1>injected</h1>", "{{ config }}{% include '/etc/passwd' %}", "javascript:alert(1)",
        "<!--", "<![CDATA[", '<?xml-stylesheet href="file:///etc/passwd"?>', "&amp;&#x3C;script&#x3E;&lt;",
        "\x00\x01\x08\x0b\x0c\x1b[31m", "\ufffe\uffff\ufeff", "\u202eevil\u202c", "\u200b" * 50, "👩‍👩‍👧‍👦" * 20,
        "e" + "\u0301" * 500, "人脸识别" * rng.randint(100, 1500), "W" * rng.randint(100, 8000), "\n" * 300, "\t" * 50,
        "x " * 3000, "— « » ‘’ “” ¥ € ∑ 𝔘𝔫𝔦", "%s %(n)s {0} {name}", "\\N{BEL} \\x00", "\r\n\r",
    ]
    return "".join(rng.choice(pieces) for _ in range(rng.randint(1, 6)))


# --- mutations of text files ---------------------------------------------------------------------

def byte_flips(rng: random.Random, data: bytes) -> tuple[str, bytes]:
    mutated = bytearray(data)
    count = rng.choice([1, 1, 2, 4, 16, 64])
    for _ in range(count):
        mutated[rng.randrange(len(mutated))] = rng.randrange(256)
    return f"{count} byte(s) changed", bytes(mutated)


def truncation(rng: random.Random, data: bytes) -> tuple[str, bytes]:
    cut = rng.randrange(len(data))
    return f"cut at byte {cut}", data[:cut]


def splice(rng: random.Random, data: bytes, tokens: list[str]) -> tuple[str, bytes]:
    token = rng.choice(tokens)
    at = rng.randrange(len(data))
    return f"{token[:30]!r}... spliced at byte {at}", data[:at] + token.encode("utf-8", "surrogatepass") + data[at:]


BYTE_MUTATIONS = ("flip", "truncate", "splice", "copy")


def byte_mutation(kind: str, rng: random.Random, data: bytes, tokens: list[str]) -> tuple[str, bytes]:
    """One of BYTE_MUTATIONS, for any kind of file; "splice" inserts one of `tokens`."""
    if kind == "splice":
        return splice(rng, data, tokens)
    return {"flip": byte_flips, "truncate": truncation, "copy": chunk_copy}[kind](rng, data)


def chunk_copy(rng: random.Random, data: bytes) -> tuple[str, bytes]:
    start = rng.randrange(len(data))
    end = min(len(data), start + rng.randint(1, 4000))
    at = rng.randrange(len(data))
    return f"bytes {start}-{end} copied to {at}", data[:at] + data[start:end] + data[at:]


# --- drafts --------------------------------------------------------------------------------------

PLACEHOLDER = "@@hostile-value@@"


def containers(node: object, path: tuple = ()) -> Iterator[tuple[tuple, object]]:
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from containers(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from containers(value, (*path, index))


def structural(rng: random.Random, document: dict) -> tuple[str, bytes]:
    """Replace, add or remove one value anywhere in the draft, with a value json.dumps cannot write."""
    mutated = copy.deepcopy(document)
    places = [(path, node) for path, node in containers(mutated) if isinstance(node, (dict, list)) and node]
    path, node = rng.choice(places)
    token = rng.choice(RAW_TOKENS)
    action = rng.choice(["replace", "replace", "add", "remove"])
    if isinstance(node, dict):
        key = rng.choice(list(node))
        if action == "add":
            key = rng.choice(["", "format", "x" * 300, "__proto__", "answers", key + "_"])
        if action == "remove":
            node.pop(key)
        else:
            node[key] = PLACEHOLDER
    else:
        index = rng.randrange(len(node))
        if action == "remove":
            node.pop(index)
        elif action == "add":
            node.insert(index, PLACEHOLDER)
        else:
            node[index] = PLACEHOLDER
    text = json.dumps(mutated, ensure_ascii=rng.random() < 0.5, indent=rng.choice([None, 2]))
    text = text.replace(json.dumps(PLACEHOLDER), token, 1)
    prefix = "\ufeff" if rng.random() < 0.1 else ""
    return f"{action} at {'/'.join(map(str, path))[:80]}: {token[:30]!r}", (prefix + text).encode("utf-8", "surrogatepass")


def mutate_draft(rng: random.Random, data: bytes, document: dict) -> tuple[str, bytes]:
    kind = rng.choice([*BYTE_MUTATIONS, "structural", "structural", "structural", "encoding"])
    if kind in BYTE_MUTATIONS:
        return byte_mutation(kind, rng, data, RAW_TOKENS)
    if kind == "encoding":
        encoding = rng.choice(["utf-16", "utf-32", "latin-1", "gb18030", "cp1252"])
        return f"written as {encoding}", data.decode("utf-8").encode(encoding, "replace")
    return structural(rng, document)


def check_draft_file(path: Path, loaded, language: str) -> str:
    """Open a draft file as the app and `dpia check` do; if it opens, evaluate, print, save and reopen it."""
    from dpia_app.check_report import text_lines
    from dpia_app.core.recent_drafts import describe

    before = path.read_bytes()
    row = describe(path, lambda: {loaded.id: loaded}, TODAY, language)
    if ":" in row.problem and row.problem.split(":")[0].endswith(("Error", "Exception")):
        raise BrokenInvariant(f"start screen row shows an exception: {row.problem[:200]}")
    try:
        opened = drafts.read_draft(path, loaded)
    except drafts.DraftError as error:
        if str(path) not in str(error):
            raise BrokenInvariant(f"error does not name the file: {error}") from error
        outcome = "refused"
    else:
        evaluation = evaluate(loaded, opened.assessment, TODAY)
        list(text_lines(path, opened, loaded, evaluation, language))
        saved = path.with_name("saved-" + path.name)
        as_saved = drafts.save_draft(opened.assessment, saved, kind=opened.kind)  # with a new modification time
        reopened = drafts.read_draft(saved, loaded).assessment
        if reopened != as_saved:
            raise BrokenInvariant("the saved draft reads back different from what was opened")
        outcome = "accepted"
    if path.read_bytes() != before:
        raise BrokenInvariant("reading the draft changed the file")
    return outcome


def run_drafts(run: Run, rng: random.Random, trials: int, folder: Path, loaded) -> None:
    sources = [(p.read_bytes(), json.loads(p.read_bytes())) for p in EXAMPLES]
    for number in range(trials):
        data, document = rng.choice(sources)
        mutation, mutated = mutate_draft(rng, data, document)
        path = folder / f"draft-{number}.dpia"
        path.write_bytes(mutated)
        language = rng.choice(["en", "zh-Hans"])
        run.trial("drafts", number, mutation, mutated, ".dpia", lambda: check_draft_file(path, loaded, language))
        for leftover in folder.iterdir():
            leftover.unlink()


# --- recovery copies -----------------------------------------------------------------------------

def recovery_envelope(rng: random.Random, document: dict) -> tuple[str, bytes]:
    envelope = {
        "format": "dpia-recovery", "format_version": 1, "saved_at": "2026-12-02T10:00:00+00:00",
        "original": "/drafts/x.dpia", "kind": "assessment", "pid": 2 ** 22 + rng.randrange(1000), "draft": copy.deepcopy(document),
    }
    field_name = rng.choice(["saved_at", "original", "kind", "pid", "draft", "format", "format_version", None])
    if field_name is None:
        return structural(rng, envelope)
    value = rng.choice([None, 0, -1, 2 ** 70, "", "2026-12-02T10:00:00", "2026-13-45", "not a date", [], {}, "\x00", "x" * 5000,
                        "/dev/zero", "2026-12-02T10:00:00+99:00", "2026-12-02", True])
    envelope[field_name] = value
    return f"{field_name} = {str(value)[:40]!r}", json.dumps(envelope).encode("utf-8")


def check_recovery_folder(folder: Path) -> str:
    from dpia_app.ui.recovery import RecoveryStore

    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    found, problems = RecoveryStore(folder).pending()
    for work in found:
        drafts.serialise(work.assessment, work.kind)
    if {p.name: p.read_bytes() for p in folder.iterdir()} != before:
        raise BrokenInvariant("looking for recovery copies changed them")
    return "accepted" if found and not problems else "refused"


def run_recovery(run: Run, rng: random.Random, trials: int, folder: Path) -> None:
    from dpia_app.ui.recovery import SUFFIX

    documents = [json.loads(p.read_bytes()) for p in EXAMPLES]
    for number in range(trials):
        # Two copies at a time: the start screen sorts them, so one copy's dates meet the other's.
        pieces = [recovery_envelope(rng, rng.choice(documents)) for _ in range(2)]
        for index, (_mutation, data) in enumerate(pieces):
            (folder / f"copy-{index}{SUFFIX}").write_bytes(data)
        mutation = " | ".join(m for m, _ in pieces)
        run.trial("recovery", number, mutation, pieces[0][1] + b"\n----\n" + pieces[1][1], ".json", lambda: check_recovery_folder(folder))
        for leftover in folder.iterdir():
            leftover.unlink()


# --- lock files beside a draft ------------------------------------------------------------------

def lock_file(rng: random.Random) -> tuple[str, bytes]:
    import platform

    holder = {"user": "wang.li", "machine": rng.choice([platform.node(), "FINANCE-PC-07"]), "pid": rng.choice([os.getpid(), 1, 2 ** 22 + 5]),
              "since": "2026-12-02T08:00:00+00:00", "token": "0123456789abcdef", "app_version": "0.1.0"}
    kind = rng.choice(["structural", "structural", "flip", "truncate", "splice"])
    if kind == "structural":
        return structural(rng, holder)
    data = json.dumps(holder).encode("utf-8")
    return byte_mutation(kind, rng, data, RAW_TOKENS)


def check_lock(draft: Path) -> str:
    """Open a draft whose lock file was written by someone else: locked (holder known or not) or ours."""
    from dpia_app.core import draft_lock

    before = draft_lock.lock_path(draft).read_bytes()
    try:
        lock = draft_lock.acquire(draft)
    except draft_lock.DraftLocked as locked:
        str(locked)  # the message the app shows names the holder and since when
        if draft_lock.lock_path(draft).read_bytes() != before:
            raise BrokenInvariant("looking at someone else's lock changed it") from locked
        return "refused"
    lock.release()
    return "accepted"


def run_locks(run: Run, rng: random.Random, trials: int, folder: Path) -> None:
    from dpia_app.core import draft_lock

    draft = folder / "gate.dpia"
    shutil.copyfile(EXAMPLES[0], draft)
    for number in range(trials):
        mutation, data = lock_file(rng)
        draft_lock.lock_path(draft).write_bytes(data)
        run.trial("locks", number, mutation, data, ".lock", lambda: check_lock(draft))
        draft_lock.lock_path(draft).unlink(missing_ok=True)


# --- the app's own files, read at start-up --------------------------------------------------------

INI_TOKENS = [
    "\nrecent_files=/dev/zero\n", "\nrecent_files=@Invalid()\n", "\nrecent_files=@ByteArray(\\0\\0)\n", "\nrecent_files=a\\0b\n",
    "\nrecent_files=" + "x" * 5000 + "\n", "\nrecent_files=@Variant(\\0\\0\\0\\x7f)\n", "\nlanguage=@Variant(\\0)\n", "\n[General\n",
    "\nrecent_files=" + ", ".join(["."] * 500) + "\n", "\x00", "\ufeff", "\r", "\\", '"',
]


def recent_files_line(rng: random.Random, data: bytes) -> tuple[str, bytes]:
    """The settings file's list of recent drafts replaced by a hostile one."""
    value = rng.choice([line.strip() for line in INI_TOKENS if line.strip().startswith("recent_files=")])
    return f"recent files: {value[:40]!r}", re.sub(rb"(?m)^recent_files=.*$", value.encode("utf-8").replace(b"\\", b"\\\\"), data, count=1)


def mutate_cache_entry(rng: random.Random, data: bytes) -> tuple[str, bytes]:
    """Damage to a parse-cache entry; "edit" changes one word of its data and keeps it valid JSON."""
    if rng.random() < 0.4:
        words = re.findall(rb'"[A-Za-z][a-z]{3,12}"', data[:200_000])
        word = rng.choice(words)
        return f"edit {word.decode()}", data.replace(word, b'"' + word[1:-1][::-1] + b'"', 1)
    return rng.choice([byte_flips, truncation, chunk_copy])(rng, data)


def check_startup(config: Path, packs, expected: list, loaded) -> str:
    """What the start screen reads, from the app's own (damaged) files: it must come up and show the same."""
    from dpia_app.core.pack_headers import builtin_pack_headers
    from dpia_app.core.recent_drafts import recent_drafts
    from dpia_app.ui.preferences import Preferences

    paths = Preferences(config).recent_files()
    shown = recent_drafts(paths, packs, TODAY, "en")
    if sorted(paths) == sorted(p.resolve() for p in EXAMPLES) and sorted(r.title for r in shown) != sorted(r.title for r in expected):
        raise BrokenInvariant("a damaged cache changed what the start screen shows")
    builtin_pack_headers()
    if load_pack(builtin_pack_paths()["cn-frt-2025"]).pack != loaded.pack:
        raise BrokenInvariant("a damaged parse cache changed the form pack")
    return "accepted"


def run_startup(run: Run, rng: random.Random, trials: int, folder: Path, loaded) -> None:
    from dpia_app.core import parse_cache
    from dpia_app.core.recent_drafts import cache_file, recent_drafts
    from dpia_app.ui.preferences import Preferences

    config = folder / "config"
    os.environ["DPIA_APP_CONFIG_DIR"] = str(config)  # the app's folders, for this section only
    try:
        # A healthy state to damage: preferences listing the examples, their descriptions cached,
        # and the built-in pack and catalog parsed.
        preferences = Preferences(config)
        for example in EXAMPLES:
            preferences.add_recent_file(example)
        packs = lambda: {loaded.id: loaded}  # noqa: E731
        expected = recent_drafts(preferences.recent_files(), packs, TODAY, "en")
        load_pack(builtin_pack_paths()["cn-frt-2025"])
        files = {"recent cache": cache_file(), "preferences": config / "preferences.ini",
                 "parse cache": min(parse_cache.cache_folder().glob("*.json"), key=lambda p: p.stat().st_size)}
        originals = {name: path.read_bytes() for name, path in files.items()}
        for number in range(trials):
            name = rng.choice(list(files))
            original = originals[name]
            if name == "parse cache":
                mutation, mutated = mutate_cache_entry(rng, original)
            elif name == "preferences":
                mutation, mutated = rng.choice([byte_flips, truncation, recent_files_line, lambda r, d: splice(r, d, INI_TOKENS)])(rng, original)
            elif rng.random() < 0.5:
                mutation, mutated = structural(rng, json.loads(original))
            else:
                mutation, mutated = rng.choice([byte_flips, truncation, chunk_copy])(rng, original)
            files[name].write_bytes(mutated)
            # Qt re-reads a settings file when its time stamp changes: make sure it does.
            stamp = time.time() + number
            os.utime(files[name], (stamp, stamp))
            run.trial("startup", number, f"{name}: {mutation}", mutated, ".bin", lambda: check_startup(config, packs, expected, loaded))
            for other, path in files.items():
                path.write_bytes(originals[other])
    finally:
        del os.environ["DPIA_APP_CONFIG_DIR"]


# --- the wizard opening damaged and hostile drafts ---------------------------------------------------

class SlotErrors:
    """Exceptions raised inside Qt slots and event handlers: PySide prints them through
    sys.excepthook and carries on, so a trial would not see them otherwise."""

    def __init__(self):
        self.caught: list[str] = []
        sys.excepthook = lambda kind, value, trace: self.caught.append("".join(traceback.format_exception(kind, value, trace)))


def check_window(desktop, path: Path, slot_errors: SlotErrors, app) -> str:
    """Open a draft as File > Open does, visit every step, picture the summary and close it."""
    from PySide6.QtWidgets import QMessageBox

    before = path.read_bytes()
    errors_before = len(desktop.errors)
    window = desktop.open_path(path)
    app.processEvents()
    if window is None:
        if len(desktop.errors) == errors_before:
            raise BrokenInvariant("the draft did not open and nobody was told why")
        outcome = "refused"
    else:
        window.ask_unsaved = lambda: QMessageBox.StandardButton.Discard
        window.show_error = lambda text: desktop.errors.append(("save", text))
        window.prepare_export = lambda: None  # the summary step starts an export process: not what this tests
        for row in range(len(window.steps)):
            window.go_to_step(row)
            app.processEvents()
        window.grab()
        window.close()
        app.processEvents()
        outcome = "accepted"
    if slot_errors.caught:
        error = slot_errors.caught[-1]
        slot_errors.caught.clear()
        raise BrokenInvariant(f"traceback in a slot: {error.strip().splitlines()[-1][:200]}", error)
    if path.read_bytes() != before:
        raise BrokenInvariant("opening the draft changed the file")
    return outcome


def run_windows(run: Run, rng: random.Random, trials: int, folder: Path, loaded) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from dpia_app.ui.app import DesktopApp
    from dpia_app.ui.preferences import Preferences
    from dpia_app.ui.recovery import RecoveryStore

    app = QApplication.instance() or QApplication([])
    desktop = DesktopApp(Preferences(folder / "config"), RecoveryStore(folder / "recovery"), today=lambda: TODAY)
    desktop.errors = []
    desktop.show_error = lambda title, text: desktop.errors.append((title, text))
    slot_errors = SlotErrors()
    sources = [(p, p.read_bytes(), json.loads(p.read_bytes())) for p in EXAMPLES]
    try:
        for number in range(trials):
            source, data, document = rng.choice(sources)
            if number % 3 == 0:  # hostile text in every field a person types, in a draft that opens
                mutation, mutated = f"hostile text in {source.name}", drafts.serialise(hostile_assessment(rng, loaded, source, 9))
            else:
                mutation, mutated = mutate_draft(rng, data, document)
            path = folder / f"window-{number}.dpia"
            path.write_bytes(mutated)
            run.trial("windows", number, mutation, mutated, ".dpia", lambda: check_window(desktop, path, slot_errors, app))
            path.unlink()
    finally:
        sys.excepthook = sys.__excepthook__


# --- form packs ----------------------------------------------------------------------------------

YAML_TOKENS = [
    "&a [1,1,1,1,1,1,1,1,1]\n", "*a", "[" * 200, "{" * 120_000, "1" * 100_001, "!!python/object/apply:os.system ['id']",
    "!!binary AAAA", "\t", "- ", ": ", "? ", "---\n", "...\n", "%YAML 1.1\n", "<<: *a\n", "'unterminated", '"\\ud800"',
    "\x00", "\ufeff", "~", ".nan", ".inf", "2025-02-30", "yes", "on", "0o777", "0x1F", "9" * 5000, "\\u202e",
]


def mutate_yaml(rng: random.Random, data: bytes) -> tuple[str, bytes]:
    kind = rng.choice([*BYTE_MUTATIONS, "lines", "lines", "alias_bomb"])
    if kind in BYTE_MUTATIONS:
        return byte_mutation(kind, rng, data, YAML_TOKENS)
    lines = data.decode("utf-8").splitlines(keepends=True)
    if kind == "alias_bomb":
        bomb = 'definitions:\n  l0: &l0 ["x","x","x","x","x","x","x","x","x","x"]\n' + "".join(
            f"  l{i}: &l{i} [*l{i - 1},*l{i - 1},*l{i - 1},*l{i - 1},*l{i - 1},*l{i - 1},*l{i - 1},*l{i - 1},*l{i - 1},*l{i - 1}]\n"
            for i in range(1, rng.randint(3, 9)))
        at = rng.randrange(len(lines))
        return f"alias bomb at line {at + 1}", "".join(lines[:at] + [bomb] + lines[at:]).encode("utf-8")
    operation = rng.choice(["delete", "duplicate", "swap", "indent", "dedent"])
    at = rng.randrange(len(lines))
    if operation == "delete":
        del lines[at:at + rng.randint(1, 5)]
    elif operation == "duplicate":
        lines[at:at] = lines[at:at + rng.randint(1, 20)]
    elif operation == "swap":
        other = rng.randrange(len(lines))
        lines[at], lines[other] = lines[other], lines[at]
    elif operation == "indent":
        lines[at] = "  " + lines[at]
    else:
        lines[at] = lines[at].lstrip()
    return f"line {at + 1}: {operation}", "".join(lines).encode("utf-8")


def check_pack_file(path: Path) -> str:
    before = path.read_bytes()
    try:
        load_pack(path)
        outcome = "accepted"
    except DataFileError as error:
        text = str(error)
        if not text or len(text) > 40_000:
            raise BrokenInvariant(f"the list of problems is {len(text)} characters long") from error
        outcome = "refused"
    if path.read_bytes() != before:
        raise BrokenInvariant("reading the pack changed the file")
    return outcome


def run_packs(run: Run, rng: random.Random, trials: int, folder: Path) -> None:
    builtin = builtin_pack_paths()["cn-frt-2025"]
    catalog = builtin.parent / "catalog-cn.yaml"
    # Mostly the small test pack (fast); some trials damage the built-in pack or its catalog.
    targets = [(MINI_PACK, 0.7), (builtin, 0.15), (catalog, 0.15)]
    for number in range(trials):
        source = rng.choices([t for t, _ in targets], [w for _, w in targets])[0]
        for leftover in folder.iterdir():
            shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink()
        shutil.copytree(source.parent, folder, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
        mutation, mutated = mutate_yaml(rng, source.read_bytes())
        (folder / source.name).write_bytes(mutated)
        pack_path = folder / (builtin.name if source == catalog else source.name)
        run.trial("packs", number, f"{source.name}: {mutation}", mutated, ".yaml", lambda: check_pack_file(pack_path))


# --- reports: PDFs read back, hostile text printed -----------------------------------------------

def check_pdf(data: bytes, folder: Path) -> str:
    try:
        draft_bytes = draft_from_pdf(data)
    except NoDraftInPdf:
        return "refused"
    if len(draft_bytes) > drafts.MAX_DRAFT_BYTES:
        raise BrokenInvariant(f"a {len(draft_bytes)}-byte draft came out of the PDF")
    path = folder / "from-pdf.dpia"
    path.write_bytes(draft_bytes)
    try:
        drafts.read_draft(path)
    except drafts.DraftError:
        return "refused"
    return "accepted"


def run_pdfs(run: Run, rng: random.Random, trials: int, folder: Path, pdf: bytes) -> None:
    for number in range(trials):
        kind = rng.choice(["flip", "flip", "flip", "truncate", "copy"])
        mutation, mutated = byte_mutation(kind, rng, pdf, [])
        run.trial("pdfs", number, mutation, mutated, ".pdf", lambda: check_pdf(mutated, folder))


def run_answers(run: Run, rng: random.Random, trials: int, loaded) -> None:
    """Absurd answers to every kind of question: evaluated, listed by `dpia check`, laid out for the report."""
    from dpia_app.check_report import text_lines
    from dpia_app.report.content import build_report

    questions = sorted(loaded.pack.questions)
    values = [None, True, False, 0, -1, 10 ** 30, 1.5, "", "yes", "no", "unknown", "2025-02-30", "9999-12-31", "0001-01-01", [], {},
              ["none", "none"], [None], {"a": [1, {"b": []}]}, "<b>x</b>", "file:///etc/passwd", "x" * 20_000, [{"location": 5}]]
    base = drafts.new_assessment(loaded, title="answers")
    for number in range(trials):
        answers = {}
        for _ in range(rng.randint(1, 60)):
            question = rng.choice(questions) if rng.random() < 0.9 else "unknown." + str(rng.random())
            spec = loaded.pack.questions.get(question)
            options = [o.id for o in (spec.options or [])] if spec is not None and getattr(spec, "options", None) else []
            answers[question] = rng.choice(values + options + [options[:3]] if options else values)

        def body(answers=answers) -> str:
            assessment = base.model_copy(update={"answers": answers})
            evaluation = evaluate(loaded, assessment, TODAY)
            list(text_lines(Path("answers.dpia"), drafts.OpenedDraft(assessment, "assessment", 2, {}), loaded, evaluation, rng.choice(["en", "zh-Hans"])))
            build_report(loaded, assessment, evaluation, b"{}", rng.choice(["en", "zh", "bilingual"]), TODAY)
            return "accepted"

        run.trial("answers", number, f"{len(answers)} answers", json.dumps(answers, default=str), ".json", body)


class ConnectionCounter:
    """A local server that counts connection attempts; hostile text points at it."""

    def __init__(self):
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(16)
        self.port = self.server.getsockname()[1]
        self.connections = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            self.connections += 1
            connection.close()


class ReadWatch:
    """Files opened and sockets connected by Python code while a report renders, outside what it may use."""

    def __init__(self, allowed: list[Path]):
        self.allowed = tuple(str(p.resolve()) for p in allowed)
        self.active = False
        self.foreign: list[str] = []
        sys.addaudithook(self._hook)

    def _hook(self, event: str, args: tuple) -> None:
        if not self.active:
            return
        if event == "socket.connect":
            self.foreign.append(f"connect {args[1]!r}")
        elif event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
            path = os.path.realpath(os.fsdecode(args[0]))
            if not path.startswith(self.allowed):
                self.foreign.append(f"open {path}")


def hostile_assessment(rng: random.Random, loaded, source: Path, port: int):
    """An example draft with hostile text in every free-text field a person can type."""
    document = json.loads(source.read_bytes())
    text = lambda: hostile_text(rng, port)  # noqa: E731
    meta = document["metadata"]
    for key in ("title", "organisation", "system", "site", "dpo", "derived_from"):
        meta[key] = text()[:1000]
    meta["assessors"] = [text()[:1000] for _ in range(3)]
    meta["assessment_id"] = "id-" + text()
    answers = document["answers"]
    for question in loaded.pack.questions.values():
        if question.type in ("short_text", "long_text"):
            answers[question.id] = text()
        elif question.type == "group" and isinstance(answers.get(question.id), list):
            for row in answers[question.id]:
                for spec in question.fields:
                    if spec.type == "short_text" and isinstance(row, dict):
                        row[spec.id] = text()[:1000]
    for question_id in rng.sample(sorted(loaded.pack.questions), 25):
        document["notes"][question_id] = text()
    document["notes"]["not.a.question" + text()[:40]] = text()
    document["actions"].append({"id": "A-" + text()[:30], "measure": ("m" + text())[:10_000], "owner": text()[:1000], "notes": text()})
    document["signoffs"].append({"role": "dpo", "name": "n" + text()[:900], "position": text()[:1000], "signed_on": "2026-12-01",
                                 "decision": "proceed_with_conditions", "opinion": text(), "conditions": text()})
    document["changelog"].append({"at": "2026-12-01T08:00:00Z", "by": text()[:1000], "summary": text()})
    return drafts.from_document(document, source).assessment


def check_report(loaded, assessment, language: str, edition: str, listener: ConnectionCounter, watch: ReadWatch) -> str:
    from dpia_app.report import make_report

    draft_bytes = drafts.serialise(assessment)
    before = listener.connections
    watch.active = True
    try:
        made = make_report(loaded, assessment, draft_bytes, language, TODAY, edition=edition)
    finally:
        watch.active = False
    time.sleep(0.05)  # let the listener count a connection that was just made
    broken = []
    if listener.connections != before:
        broken.append(f"{listener.connections - before} connection(s) to the listener")
    if watch.foreign:
        broken.append(f"{len(watch.foreign)} foreign access(es): {watch.foreign[:5]}")
    if made.refused:
        broken.append(f"the renderer was asked for {made.refused[:3]}")
    if edition == "filing" and draft_from_pdf(made.pdf) != draft_bytes:
        broken.append("the attached draft differs from the saved draft")
    watch.foreign.clear()
    if broken:
        raise BrokenInvariant("; ".join(broken))
    return "accepted"


def run_report(run: Run, rng: random.Random, trials: int, loaded, folder: Path) -> None:
    import weasyprint

    listener = ConnectionCounter()
    allowed = [ROOT / "dpia_app", ROOT / "report_templates", ROOT / "forms", Path(sys.prefix), Path(sys.base_prefix),
               Path(weasyprint.__file__).parent.parent, folder, Path(tempfile.gettempdir()), Path("/usr/share/zoneinfo"), Path("/dev/urandom")]
    watch = ReadWatch(allowed)
    combinations = [(lang, edition) for edition in ("filing", "public") for lang in ("en", "zh", "bilingual")]
    for number in range(trials):
        language, edition = combinations[number % len(combinations)]
        source = EXAMPLES[number % len(EXAMPLES)]
        assessment = hostile_assessment(rng, loaded, source, listener.port)
        data = drafts.serialise(assessment)
        run.trial("report", number, f"{source.name} {language} {edition}", data, ".dpia",
                  lambda: check_report(loaded, assessment, language, edition, listener, watch))


# --- main ----------------------------------------------------------------------------------------

def sample_report(loaded) -> bytes:
    from dpia_app.report import make_report

    source = EXAMPLES[0]
    opened = drafts.read_draft(source, loaded)
    return make_report(loaded, opened.assessment, source.read_bytes(), "bilingual", TODAY).pdf


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every section's number of trials")
    parser.add_argument("--only", default="", help="comma-separated sections: " + ",".join(TRIALS))
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds before a trial counts as a hang")
    parser.add_argument("--keep", type=Path, default=None, help="folder for failing inputs (default: a new temporary folder)")
    args = parser.parse_args()
    sections = [s for s in (args.only.split(",") if args.only else TRIALS) if s]
    unknown = set(sections) - set(TRIALS)
    if unknown:
        parser.error(f"unknown section(s) {sorted(unknown)}; choose from {', '.join(TRIALS)}")
    signal.signal(signal.SIGALRM, _on_alarm)
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 1000))  # the app's own limit, not raised for the run

    loaded = load_pack(builtin_pack_paths()["cn-frt-2025"])
    work = Path(tempfile.mkdtemp(prefix="dpia-robustness-"))
    run = Run(args.keep or work / "failing-inputs", args.timeout)
    counts = {name: max(1, round(TRIALS[name] * args.scale)) for name in sections}
    started = time.perf_counter()
    try:
        for name in sections:
            rng = random.Random(f"{args.seed}-{name}")
            folder = work / name
            folder.mkdir()
            print(f"{name}: {counts[name]} trials ...", flush=True)
            if name == "drafts":
                run_drafts(run, rng, counts[name], folder, loaded)
            elif name == "recovery":
                run_recovery(run, rng, counts[name], folder)
            elif name == "locks":
                run_locks(run, rng, counts[name], folder)
            elif name == "startup":
                run_startup(run, rng, counts[name], folder, loaded)
            elif name == "windows":
                run_windows(run, rng, counts[name], folder, loaded)
            elif name == "packs":
                run_packs(run, rng, counts[name], folder)
            elif name == "pdfs":
                run_pdfs(run, rng, counts[name], folder, sample_report(loaded))
            elif name == "answers":
                run_answers(run, rng, counts[name], loaded)
            else:
                run_report(run, rng, counts[name], loaded, folder)
    finally:
        failed = print_summary(run, time.perf_counter() - started)
        if not failed:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"failing inputs kept in {run.kept}")
    return 1 if failed else 0


def print_summary(run: Run, seconds: float) -> bool:
    print(f"\n{'section':<10} {'trials':>7} {'accepted':>9} {'refused':>8} {'failed':>7} {'seconds':>8}")
    failures: list[Failure] = []
    for name, tally in run.tallies.items():
        print(f"{name:<10} {tally.trials:>7} {tally.accepted:>9} {tally.refused:>8} {len(tally.failures):>7} {tally.seconds:>8.1f}")
        failures += tally.failures
    tracebacks = sum(f.problem.startswith("traceback") for f in failures)
    hangs = sum(f.problem.startswith("hang") for f in failures)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"total: {sum(t.trials for t in run.tallies.values())} trials, {len(failures)} failures "
          f"({tracebacks} tracebacks, {hangs} hangs), {seconds:.0f} s, peak memory {peak:.0f} MB")
    seen: set[str] = set()
    for failure in failures:
        key = failure.problem.split(":")[0:2].__str__() + failure.details.strip().splitlines()[-1:].__str__()
        if key in seen:
            continue
        seen.add(key)
        print(f"\n[{failure.section} #{failure.trial}] {failure.mutation}\n  {failure.problem}")
        if failure.details:
            print("  " + failure.details.strip().replace("\n", "\n  "))
    return bool(failures)


if __name__ == "__main__":
    sys.exit(main())
