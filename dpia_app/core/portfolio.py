"""A folder of assessments (a shared drive, many sites) as one row each, and each processor's totals.

A compliance officer of a group with many sites needs every assessment at a glance: its verdict,
open findings, overdue actions, next review, filing state and last approved version. Scanning
reads each draft and evaluates it; what it found is cached per file, keyed by the file's SHA-256,
the day and the app with its packs, so a rescan of an unchanged folder reads nothing twice. A
damaged or foreign file is a row that says why; the scan never stops on one.

The 100,000-person filing threshold (FRT-15a) counts the distinct people whose faces a processor
stores across all its deployments, and the 1,000,000-person PI-protection-officer threshold
(PIPL-52b) all the people whose personal information it processes. Each assessment says how its own
number was counted; a site that counted only itself may share people with the others, so their sum
is an upper bound, and a group whose sum crosses a threshold no single site crosses is pointed out.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__
from .app_folders import cache_dir, write_cache_file
from .pack_headers import builtin_forms_stamp

if TYPE_CHECKING:
    from .packs import LoadedPack

CACHE_FORMAT = 1
FILING_THRESHOLD = 100_000  # FRT-15a: distinct people whose facial information is stored
OFFICER_THRESHOLD = 1_000_000  # PIPL-52b: people whose personal information is processed
DRAFT_SUFFIXES = (".dpia",)


@dataclass(frozen=True)
class PortfolioRow:
    path: str
    problem: str = ""  # why the file could not be read; the other fields are then empty
    title: str = ""
    organisation: str = ""
    site: str = ""
    verdict: str = ""  # outcome code
    provisional: bool = False
    overall_risk: str | None = None
    open_blocking: int = 0
    open_high: int = 0
    open_advisory: int = 0
    overdue_actions: int = 0
    open_actions: int = 0
    next_review: str | None = None  # ISO dates: the row is cached as JSON
    review_overdue: bool = False
    reassess_now: bool = False
    filing_state: str | None = None  # of the first filing duty (the 100,000-person filing)
    filing_deadline: str | None = None
    filing_overdue: bool = False
    last_approved: int | None = None
    last_approved_on: str | None = None
    stored_individuals: int | None = None
    count_method: str | None = None
    overlap: str | None = None  # for a site that counted only itself: "none", "some", "unknown"
    pi_individuals: int | None = None
    actions: tuple[dict, ...] = field(default=())  # every action, for the action sheet

    @property
    def readable(self) -> bool:
        return not self.problem

    def as_dict(self) -> dict[str, Any]:
        """Plain values for JSON (dataclasses.asdict deep-copies every value: ten times slower)."""
        return {name: list(value) if name == "actions" else value for name, value in ((f, getattr(self, f)) for f in _FIELD_NAMES)}


@dataclass(frozen=True)
class ProcessorTotal:
    """One processor (organisation) across its assessments."""

    organisation: str
    assessments: int
    stored_sum: int  # per-site counts added up: an upper bound when sites counted only themselves
    stored_largest_site: int
    counted_separately: int  # assessments whose number covers only their own system or site
    counted_org_wide: int  # assessments that counted distinct people across the whole organisation
    # The sum is the processor's number, not only an upper bound: every site counted distinct
    # people of its own and said nobody is counted at another site too.
    stored_exact: bool
    pi_sum: int
    pi_largest_site: int
    crosses: tuple[str, ...]  # "filing", "officer": thresholds the group reaches that no single site does


def drafts_in(folder: Path) -> list[Path]:
    """Every draft under the folder, sorted; folders that cannot be listed are skipped."""
    found: list[Path] = []
    for root, dirs, files in os.walk(folder, onerror=lambda _error: None):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found += [Path(root) / name for name in sorted(files) if name.lower().endswith(DRAFT_SUFFIXES) and not name.startswith(".")]
    return found


def row_for(path: Path, data: bytes, packs: Callable[[], dict[str, LoadedPack]], today: dt.date, problem_text: Callable[[Exception], str]) -> PortfolioRow:
    """Read and evaluate one draft (the models are imported here: a cached scan needs none)."""
    from .drafts import DraftError, attach_pack, read_draft
    from .evaluation import evaluate
    from .versions import last_approved

    try:
        opened = read_draft(path)
        loaded = packs().get(opened.assessment.pack.id)
        if loaded is None:
            raise DraftError(path, "other_pack", "it was made with form pack %(pack)s, which this app does not have", pack=opened.assessment.pack.id)
        opened = attach_pack(opened, loaded, path)
    except DraftError as error:
        return PortfolioRow(str(path), problem=problem_text(error))
    assessment = opened.assessment
    evaluation = evaluate(loaded, assessment, today)
    counts = evaluation.severity_counts()
    first_filing = evaluation.filing[0] if evaluation.filing else None
    version = last_approved(assessment)
    open_actions = [a for a in assessment.actions if a.status in ("planned", "in_progress")]
    meta = assessment.metadata
    answers = assessment.answers
    return PortfolioRow(
        path=str(path),
        title=meta.title or path.name,
        organisation=meta.organisation or _text(answers.get("org.name")),
        site=meta.site,
        verdict=evaluation.verdict.outcome,
        provisional=evaluation.verdict.provisional,
        overall_risk=evaluation.overall_risk.level,
        open_blocking=counts["blocking"],
        open_high=counts["high"],
        open_advisory=counts["advisory"],
        overdue_actions=sum(1 for a in open_actions if a.due is not None and a.due < today),
        open_actions=len(open_actions),
        next_review=evaluation.review.next_review.isoformat(),
        review_overdue=evaluation.review.overdue,
        reassess_now=bool(evaluation.review.reassess_now),
        filing_state=first_filing.state if first_filing else None,
        filing_deadline=first_filing.deadline.isoformat() if first_filing and first_filing.deadline else None,
        filing_overdue=bool(first_filing and first_filing.overdue),
        last_approved=version.number if version else None,
        last_approved_on=version.approved_on.isoformat() if version else None,
        stored_individuals=_whole(answers.get("scale.stored_individuals")),
        count_method=_choice(answers.get("scale.count_method")),
        overlap=_choice(answers.get("scale.overlap_with_other_sites")),
        pi_individuals=_whole(answers.get("scale.pi_individuals")),
        actions=tuple({"id": a.id, "measure": a.measure, "owner": a.owner, "due": a.due.isoformat() if a.due else None,
                       "status": a.status, "findings": list(a.finding_ids), "risks": list(a.risk_ids)} for a in assessment.actions),
    )


def _choice(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _whole(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


# --- scanning with a cache ---------------------------------------------------------------------


def cache_file() -> Path:
    return cache_dir() / "portfolio.json"


def _fingerprint(today: dt.date) -> str:
    """What every cached row depends on besides its file: the day, the app and its packs."""
    return json.dumps([today.isoformat(), __version__, builtin_forms_stamp()])


def scan(folder: Path, packs: Callable[[], dict[str, LoadedPack]], today: dt.date, problem_text: Callable[[Exception], str],
         progress: Callable[[int, int], None] | None = None) -> list[PortfolioRow]:
    """One row per draft under `folder`, from the cache when the file's bytes are the same."""
    paths = drafts_in(folder)
    fingerprint = _fingerprint(today)
    cached = _read_cache(fingerprint)
    rows, remembered = [], {}
    for index, path in enumerate(paths):
        if progress is not None:
            progress(index, len(paths))
        try:
            data = path.read_bytes()
        except OSError as error:
            rows.append(PortfolioRow(str(path), problem=problem_text(error)))
            continue
        digest = hashlib.sha256(data).hexdigest()
        row = _from_cache(cached.get(digest), str(path))
        if row is None:
            row = row_for(path, data, packs, today, problem_text)
        rows.append(row)
        if row.readable:
            # A file that cannot be read is read again next time: its message is in the language of
            # the moment, and reading a broken file costs nothing.
            remembered[digest] = row.as_dict()
    _write_cache(fingerprint, remembered)
    return rows


def _read_cache(fingerprint: str) -> dict[str, Any]:
    try:
        data = json.loads(cache_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != CACHE_FORMAT or data.get("fingerprint") != fingerprint:
        return {}
    rows = data.get("rows")
    return rows if isinstance(rows, dict) else {}


_FIELD_NAMES = tuple(f.name for f in fields(PortfolioRow))
_ROW_FIELDS = set(_FIELD_NAMES)


def _from_cache(entry: Any, path: str) -> PortfolioRow | None:
    """A cached row for the same bytes, at this path; anything malformed is read again instead."""
    if not isinstance(entry, dict) or set(entry) != _ROW_FIELDS:
        return None
    try:
        row = PortfolioRow(**{**entry, "path": path, "actions": tuple(entry["actions"])})
    except TypeError:
        return None
    return row if all(isinstance(a, dict) for a in row.actions) else None


def _write_cache(fingerprint: str, rows: dict[str, Any]) -> None:
    write_cache_file(cache_file(), json.dumps({"format": CACHE_FORMAT, "fingerprint": fingerprint, "rows": rows}, ensure_ascii=False))


# --- per processor ---------------------------------------------------------------------------


def _processor_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def processor_totals(rows: Iterable[PortfolioRow]) -> list[ProcessorTotal]:
    """Each organisation's assessments added up against the filing and officer thresholds."""
    groups: dict[str, list[PortfolioRow]] = {}
    names: dict[str, str] = {}
    for row in rows:
        if not row.readable or not row.organisation.strip():
            continue
        key = _processor_key(row.organisation)
        groups.setdefault(key, []).append(row)
        names.setdefault(key, row.organisation.strip())
    totals = []
    for key, members in sorted(groups.items()):
        stored = [r.stored_individuals for r in members if r.stored_individuals is not None]
        pi = [r.pi_individuals for r in members if r.pi_individuals is not None]
        org_wide = [r for r in members if r.count_method == "deduplicated_all"]
        crosses = []
        # A site that counted distinct people across the whole organisation already gives the
        # group's number; only sites that counted themselves can add up past a threshold unseen.
        if sum(stored) >= FILING_THRESHOLD and max(stored, default=0) < FILING_THRESHOLD and not org_wide:
            crosses.append("filing")
        if sum(pi) >= OFFICER_THRESHOLD and max(pi, default=0) < OFFICER_THRESHOLD:
            crosses.append("officer")
        totals.append(ProcessorTotal(
            organisation=names[key],
            assessments=len(members),
            stored_sum=sum(stored),
            stored_largest_site=max(stored, default=0),
            counted_separately=sum(1 for r in members if r.count_method in ("this_system_only", "records_not_people", "estimate")),
            counted_org_wide=len(org_wide),
            stored_exact=bool(stored) and all(r.count_method == "this_system_only" and r.overlap == "none"
                                              for r in members if r.stored_individuals is not None),
            pi_sum=sum(pi),
            pi_largest_site=max(pi, default=0),
            crosses=tuple(crosses),
        ))
    return totals
