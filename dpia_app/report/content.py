"""What the report says: the evaluation turned into sections of readable text, tables and facts.

Everything the PDF prints is decided here, in Python, from the one Evaluation the wizard and
`dpia check` read; the templates only lay it out. The outline follows GB/T 39335 §5.7
(GBT39335-08), the PIPIA contents of PIPL Art. 56 and the FRT Measures (FRT-09).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from .. import __version__
from ..changes_report import grouped_lines
from ..core.assessment import Action, ApprovedVersion, Assessment, SignOff
from ..core.catalog import Citation, Instrument
from ..core.changes import State, approved_state, compare
from ..core.draft_in_pdf import PUBLIC_SUMMARY_KEYWORD
from ..core.evaluation import Evaluation, Finding, Reason
from ..core.formpack import Question
from ..core.levels import (
    DIMENSIONS,
    IMPACT_LEVELS,
    LIKELIHOOD_LEVELS,
    RISK_SOURCE_AREAS,
    SEVERITIES,
)
from ..core.packs import LoadedPack
from ..core.risk import RiskResult
from ..core.text import Language
from ..core.times import later_by, utc_text
from ..core.versions import summarise
from ..i18n import gettext_for
from ..presentation import (
    action_effect_labels,
    action_status_labels,
    adjustment_text,
    colon,
    decision_labels,
    filing_text,
    first_step_texts,
    instrument_kind_label,
    item_separator,
    list_separator,
    outcome_label,
    overall_risk_text,
    question_label,
    reason_headline,
    reason_items,
    reason_text,
    reassessment_text,
    severity_heading,
    severity_label,
    signoff_role_labels,
    unanswered_text,
    verdict_headings,
)
from .answers import ShownAnswer, show_answer
from .heatmap import heat_map_svg
from .words import EDITIONS, Edition, ReportLanguage, Said, Voice, _, n_, resolve

# PIPL Art. 56 and FRT Measures Art. 9: the report and processing records are kept 3 years or more.
RETENTION_YEARS = 3
RETENTION_REFS = ("PIPL-56", "FRT-09")
TOP_ACTIONS = 5
RUNNING_TITLE = 90  # characters of the title in the running header
SUMMARY_ITEMS = 8  # findings or risks a reason in the executive summary names before "and N more"

# --- text people typed, made printable --------------------------------------------------------
#
# WeasyPrint 70 fills a line from the first couple of lines' worth of text, unless it finds no place
# to break there: then it lays out all the rest of the text box again, for every such line. A word
# longer than its column is such a case on every line it fills, so layout time grew with the square
# of its length (20,000 characters without a space: 51 s; 20,000 + 60,000: over 300 s; a 1 MB word
# ran off the page), and a table sizing its columns did the same for each character of a long
# Chinese cell (2,000 characters: 7 s). CSS alone does not help: the style sheet's
# `overflow-wrap: anywhere` was there all along. So every value a person typed is printed through
# printable_text: cut at TEXT_LIMIT characters with a note saying so; an invisible break
# opportunity (U+200B) every RUN_STEP characters of a stretch without a space longer than
# LONG_RUN; and, where it is long, in pieces of at most PIECE characters, one inline box each (the
# templates' typed macro), so a line never costs more than the layout of a piece. Render time is
# then linear in the length of the text (bench/long_words.py).

# The most the report prints of one answer, note, measure or comment: some 30 pages of the answers
# column, far more than an assessor writes, far less than a pasted log file. The attached draft
# keeps every character, and the printed text ends with a note giving the whole length.
TEXT_LIMIT = 60_000
# A name, and a cell of a table answer (the pack's tables have short-text columns only), is a short
# entry; a table answer as a whole prints rows until its cells reach TEXT_LIMIT characters.
SHORT_LIMIT = 2_000
# A stretch without a space longer than LONG_RUN gets a break every RUN_STEP characters. 64 is a
# SHA-256 in hex: hashes, e-mail addresses and most links print as typed, wrapped by the style
# sheet's overflow-wrap where they meet the edge of their column. In a text of more than SHORT_TEXT
# characters the limit is LONG_RUN_IN_LONG_TEXT: a text of words too long for their column (40 or
# 60 characters each) is laid out line by line with the rest of the text again, as a single long
# word is, unless its words are shorter than about twice a line of its column (the action plan's
# measures: 30 characters); a short text costs little whatever its words.
LONG_RUN = 64
SHORT_TEXT = 1_000
LONG_RUN_IN_LONG_TEXT = 24
RUN_STEP = 8
PIECE = 100
BREAK = "\u200b"  # ZERO WIDTH SPACE: a line may break here; it prints nothing and text copied from the PDF leaves it out
_LONG_RUNS = {limit: re.compile(r"[^\s\u200b]{%d,}" % (limit + 1)) for limit in (LONG_RUN, LONG_RUN_IN_LONG_TEXT)}
# A line may already break after these, or before and after a Chinese character (east-asian wide).
_BREAKS_AFTER = frozenset("-\u00ad\u0f0b\u200b")


class Printable(str):
    """Text a person typed, ready for print (see printable_text). As a string it reads as printed;
    `pieces` is the same text cut into the inline boxes the templates print one after another, and
    `cut` the note that ends a text cut short (in the report's language)."""

    pieces: tuple[str, ...]
    cut: str

    def __new__(cls, pieces: tuple[str, ...], cut: str = "") -> Printable:
        text = super().__new__(cls, "".join(pieces) + cut)
        text.pieces, text.cut = pieces, cut
        return text


def printable_text(text: str, limit: int | None = None, cut_note: Callable[[int], str] | None = None) -> str:
    """`text` as the report prints it: at most `limit` characters (TEXT_LIMIT when None) and then
    `cut_note(length of the whole text)`, a break every RUN_STEP characters of a stretch without a
    space longer than LONG_RUN, and a Printable in pieces where it can be cut into pieces. What an
    ordinary assessment holds comes back as it is."""
    if len(text) <= LONG_RUN:
        return text
    limit = TEXT_LIMIT if limit is None else limit
    cut = ""
    if len(text) > limit:
        cut = cut_note(len(text)) if cut_note is not None else f"… ({len(text):,})"
        text = _cut(text, limit)
    text = _LONG_RUNS[LONG_RUN if len(text) <= SHORT_TEXT else LONG_RUN_IN_LONG_TEXT].sub(_with_breaks, text)
    pieces = _pieces(text)
    return Printable(pieces, cut) if cut or len(pieces) > 1 else text


# An identifier from the draft (an action's id, a question, finding or risk id the pack does not
# know, the assessment id) is printed whole when it looks like one: the pack's are under 40
# characters, an assessment id is 36. A longer one, which only an edited file holds, is cut with "…"
# (the draft keeps it).
IDENTIFIER_LIMIT = 40


def printable_identifier(text: str) -> str:
    return text if len(text) <= IDENTIFIER_LIMIT else _cut(text, IDENTIFIER_LIMIT - 1) + "…"


def _cut(text: str, limit: int) -> str:
    """The first `limit` characters, not leaving an accent or a joiner without its letter."""
    end = limit
    while end > limit - 8 and end > 0 and not _separable(text, end):
        end -= 1
    return text[:end]


def _separable(text: str, end: int) -> bool:
    """Whether text[:end] and text[end:] may be printed apart: no letter parted from its marks or joiner."""
    following, preceding = text[end], text[end - 1]
    return (unicodedata.category(following)[0] != "M" and following not in "\u200c\u200d"
            and preceding != "\u200d" and not 0xD800 <= ord(preceding) <= 0xDBFF)


def _wide(character: str) -> bool:
    return unicodedata.east_asian_width(character) in "WF"


def _with_breaks(match: re.Match[str]) -> str:
    run = match.group()
    if run.isascii() and run.isalnum():  # the usual hostile case: fast
        return BREAK.join(run[i:i + RUN_STEP] for i in range(0, len(run), RUN_STEP))
    out: list[str] = []
    since = 0  # characters since the last place a line may already break
    for i, character in enumerate(run):
        if since >= RUN_STEP and _separable(run, i):
            # Between two letters or digits, where a break splits no symbol pair; anywhere after twice as long.
            if since >= 2 * RUN_STEP or (unicodedata.category(run[i - 1])[0] in "LN" and unicodedata.category(character)[0] in "LN"):
                out.append(BREAK)
                since = 0
        out.append(character)
        since = 0 if character in _BREAKS_AFTER or _wide(character) else since + 1
    return "".join(out)


def _pieces(text: str) -> tuple[str, ...]:
    """Text in pieces of at most PIECE characters where it can be cut: after a break, or between two
    Chinese characters. Never at a space: WeasyPrint 70 ends a line early at such a piece's end. A
    text of words and spaces stays whole, its lines break at its spaces, which keeps layout linear."""
    pieces = []
    start = 0
    while len(text) - start > PIECE:
        end = start + PIECE
        after = text.rfind(BREAK, start + 1, end) + 1
        if not after:
            after = next((i for i in range(end, start, -1) if _wide(text[i - 1]) and _wide(text[i])), 0)
        if not after:  # nowhere to cut within PIECE characters: the piece runs on to the next place
            following = text.find(BREAK, end)
            stop = len(text) if following < 0 else following + 1
            after = next((i for i in range(end + 1, stop) if _wide(text[i - 1]) and _wide(text[i])), stop)
            if after >= len(text):
                break
        pieces.append(text[start:after])
        start = after
    pieces.append(text[start:])
    return tuple(pieces)


@dataclass(frozen=True, slots=True)
class Fact:
    label: Said
    value: Said


@dataclass(frozen=True, slots=True)
class AnsweredQuestion:
    question_id: str
    number: str  # "3.6.2": topic 6, row 2 of section 3; findings point here instead of re-quoting it
    anchor: str
    question: Said
    answer: ShownAnswer
    note: str
    required_missing: bool
    findings: tuple[tuple[int, str], ...]  # (number, anchor) of each finding this answer caused


@dataclass(frozen=True, slots=True)
class TopicSection:
    """One section of the form pack, written up from its answers."""

    anchor: str
    title: Said
    intro: Said | None
    questions: tuple[AnsweredQuestion, ...]
    # Each answer under its pack label ("Purpose: …"), a fact sheet; otherwise under its whole question.
    as_facts: bool = False


@dataclass(frozen=True, slots=True)
class ReasonEntry:
    """A reason for the verdict: its headline, and the findings or risks it names as links."""

    headline: Said
    items: tuple[tuple[str, Said], ...] = ()  # (anchor, title)
    more: Said | None = None  # "and 27 more in section 4" when the list is long


@dataclass(frozen=True, slots=True)
class CauseRef:
    """An answer behind a finding: its number in section 3 (a link), or its question if not printed there."""

    number: str
    anchor: str
    label: Said | None = None


@dataclass(frozen=True, slots=True)
class FindingEntry:
    rule_id: str
    number: int  # as printed in section 4, blocking first
    anchor: str
    severity: str
    severity_label: Said
    legal_question: bool
    title: Said
    finding: Said
    why: Said
    recommendation: Said
    citations: tuple[Said, ...]
    caused_by: tuple[CauseRef, ...]
    actions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DimensionRow:
    dimension: Said
    base: Said
    inherent_impact: Said
    residual_impact: Said
    inherent_level: str
    inherent_risk: Said
    residual_level: str
    residual_risk: Said


@dataclass(frozen=True, slots=True)
class AreaRow:
    area: Said
    base: Said
    assessed: Said


@dataclass(frozen=True, slots=True)
class RiskEntry:
    risk_id: str
    number: int
    anchor: str
    title: Said
    description: Said
    citations: tuple[Said, ...]
    dimensions: tuple[DimensionRow, ...]
    areas: tuple[AreaRow, ...]
    inherent_likelihood: Said
    residual_likelihood: Said
    inherent_level: str
    inherent: Said
    residual_level: str
    residual: Said
    treatment: Said
    adjustments: tuple[Said, ...]
    actions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Treated:
    """A finding or risk an action treats, by the number the report gives it (a link); by its id
    when the report does not print it (a finding the answers no longer raise)."""

    text: str
    anchor: str | None


@dataclass(frozen=True, slots=True)
class ActionEntry:
    action_id: str
    measure: str
    owner: str
    due: str
    status: Said
    effect: Said
    findings: tuple[Treated, ...]
    risks: tuple[Treated, ...]
    overdue: bool


@dataclass(frozen=True, slots=True)
class SignOffEntry:
    role: Said
    name: str
    position: str
    signed_on: str
    decision: Said
    opinion: str
    conditions: str
    overrules_dpo: bool
    overrule_reason: str


@dataclass(frozen=True, slots=True)
class Reference:
    ref: str
    citation: Said
    title: Said
    note: Said | None


@dataclass(frozen=True, slots=True)
class AppendixAnswer:
    question_id: str
    answer: ShownAnswer
    status: Said | None


@dataclass(frozen=True, slots=True)
class GlossaryEntry:
    term: Said
    definition: Said


@dataclass(frozen=True, slots=True)
class PublicPart:
    """A heading of the public summary and the answers printed under it."""

    heading: Said
    answers: tuple[tuple[Said, ShownAnswer], ...]


@dataclass
class Report:
    lang: str
    language: ReportLanguage
    edition: Edition
    headings: dict[str, Said]
    labels: dict[str, Said]
    title: str
    # The title in the running header of every page: its first words when it is long.
    running_title: str
    document_title: Said
    subject: Said
    authors: tuple[str, ...]
    keywords: tuple[str, ...]
    created: str
    status: str
    status_label: Said
    cover_facts: tuple[Fact, ...]
    signoffs: tuple[SignOffEntry, ...]
    signoff_problems: tuple[Said, ...]
    verdict: str
    verdict_label: Said
    provisional: Said | None
    first_steps: tuple[Said, ...]
    reasons: tuple[ReasonEntry, ...]
    conditions: tuple[ReasonEntry, ...]
    severity_counts: tuple[Fact, ...]
    blocking_findings: tuple[FindingEntry, ...]
    filing: tuple[Said, ...]
    top_actions: tuple[ActionEntry, ...]
    next_review: Said
    reassess_now: tuple[Said, ...]
    overall_risk: Said | None
    method_facts: tuple[Fact, ...]
    instruments: tuple[Fact, ...]
    method_text: tuple[Said, ...]
    acceptance: tuple[Fact, ...]
    matrix_provenance: Said
    matrix_columns: tuple[Said, ...]
    matrix_rows: tuple[tuple[Said, tuple[tuple[str, Said], ...]], ...]
    topics: tuple[TopicSection, ...]
    findings: tuple[FindingEntry, ...]
    findings_by_severity: tuple[tuple[str, Said, tuple[FindingEntry, ...]], ...]
    # Blocking findings expose the processor to PIPL Art. 66 (FRT-18: liability under other laws): said once.
    liability: Said | None
    risks: tuple[RiskEntry, ...]
    heat_map: str
    actions: tuple[ActionEntry, ...]
    retention: Said
    appendix_answers: tuple[AppendixAnswer, ...]
    orphaned_answers: tuple[tuple[str, str], ...]
    references: tuple[Reference, ...]  # every requirement cited; printed in the full record only
    glossary: tuple[GlossaryEntry, ...]
    changelog: tuple[tuple[str, str, str], ...]
    integrity: tuple[Fact, ...]
    # Punctuation of the report's main language (Chinese full-width colon and semicolon).
    colon: str = ": "
    sep: str = "; "
    toc: tuple[tuple[str, Said], ...] = field(default=())
    # The appendix parts this edition prints, lettered in order (A. Legal references, …).
    appendix_headings: dict[str, Said] = field(default_factory=dict)
    # The public summary edition: its introduction and parts (empty in the other editions).
    public_intro: Said | None = None
    public_parts: tuple[PublicPart, ...] = ()
    public_facts: tuple[Fact, ...] = ()
    # What changed since the last approved version (None: the file has no approved version).
    changes_intro: Said | None = None
    changes: tuple[tuple[Said, tuple[Said, ...]], ...] = ()


def build_report(
    loaded: LoadedPack,
    assessment: Assessment,
    evaluation: Evaluation,
    draft_bytes: bytes,
    language: ReportLanguage,
    generated_on: dt.date,
    edition: Edition = "filing",
    approved: ApprovedVersion | None = None,
) -> Report:
    """The report's content. `draft_bytes` is the saved draft the PDF carries as its attachment;
    `approved`, when the report is of an approved version (its status is then that approval)."""
    if edition not in EDITIONS:
        raise ValueError(f"unknown report edition {edition!r}: use {', '.join(EDITIONS)}")
    voice = Voice(language)
    builder = _Builder(loaded, assessment, evaluation, voice, edition)
    builder.approved = approved
    return builder.build(draft_bytes, generated_on)


class _Builder:
    def __init__(self, loaded: LoadedPack, assessment: Assessment, evaluation: Evaluation, voice: Voice, edition: Edition = "filing"):
        self.edition = edition
        self.loaded = loaded
        self.pack = loaded.pack
        self.labels = loaded.pack.risk_method.labels
        self.assessment = assessment
        self.evaluation = evaluation
        self.v = voice
        self.cited: dict[str, Citation] = {}
        self.approved: ApprovedVersion | None = None

    # --- helpers -------------------------------------------------------------------------------

    def cite(self, refs: tuple[str, ...] | list[str]) -> tuple[Said, ...]:
        out = []
        for ref in refs:
            citation = self.loaded.catalog.citation(ref)
            self.cited.setdefault(ref, citation)
            out.append(self.v.text(citation.text))
        return tuple(out)  # type: ignore[return-value]

    def level(self, scale: str, level: str) -> Said:
        return self.v.text(getattr(self.labels, scale)[level])  # type: ignore[return-value]

    def typed(self, text: str, limit: int | None = None) -> str:
        """Text a person typed, as the report prints it (printable_text), a cut said in the report's language."""
        return printable_text(text, limit, self.cut_note)

    def cut_note(self, length: int) -> str:
        if self.edition == "public":  # published without the draft
            return self.v.ui(_("… (truncated, %(n)s characters)"), n=f"{length:,}").main
        return self.v.ui(_("… (truncated, %(n)s characters; full text in the attached draft)"), n=f"{length:,}").main

    def typed_said(self, said: Said, limit: int | None = None) -> Said:
        if len(said.main) <= LONG_RUN and (said.second is None or len(said.second) <= LONG_RUN):
            return said
        return replace(said, main=self.typed(said.main, limit), second=None if said.second is None else self.typed(said.second, limit))

    def shown(self, question: Question, raw: object) -> ShownAnswer:
        """An answer for print (show_answer), its text, cells and unusable value made printable; a
        table answer printed up to TEXT_LIMIT characters, the rows after that counted in a last row."""
        shown = show_answer(question, raw, self.v)
        if shown.unusable is not None:
            return replace(shown, unusable=self.typed(shown.unusable))
        if shown.text is not None:
            text = self.typed_said(shown.text)
            return shown if text is shown.text else replace(shown, text=text)
        if shown.table is None:
            return shown
        rows: list[tuple[str | Said, ...]] = []
        printed = 0
        for row in shown.table.rows:
            if printed > TEXT_LIMIT:
                left = len(shown.table.rows) - len(rows)
                message = (n_("… (truncated: %(n)d more row)", "… (truncated: %(n)d more rows)", left) if self.edition == "public" else
                           n_("… (truncated: %(n)d more row; the full table is in the attached draft)",
                              "… (truncated: %(n)d more rows; the full table is in the attached draft)", left))
                rows.append((self.v.count(message).main,) + ("",) * (len(row) - 1))
                break
            cells = tuple(self.typed(cell, SHORT_LIMIT) if isinstance(cell, str) else self.typed_said(cell, SHORT_LIMIT) for cell in row)
            printed += sum(len(cell) if isinstance(cell, str) else len(cell.main) for cell in cells)
            rows.append(cells)
        return replace(shown, table=replace(shown.table, rows=tuple(rows)))

    # --- the whole report ------------------------------------------------------------------------

    def build(self, draft_bytes: bytes, generated_on: dt.date) -> Report:
        v, meta, ev = self.v, self.assessment.metadata, self.evaluation
        title = meta.title or v.ui(_("Untitled assessment")).main
        running_title = title if len(title) <= RUNNING_TITLE else title[:RUNNING_TITLE - 1].rstrip() + "…"
        # Numbers first: the findings point at the answers of section 3, and those answers at the findings.
        self.printed_questions = self._printed_questions()
        printed_order = [f for severity in SEVERITIES for f in ev.findings if f.severity == severity]
        self.finding_numbers = {f.rule_id: number for number, f in enumerate(printed_order, start=1)}
        findings = tuple(self.finding(f) for f in printed_order)
        self.risk_numbers = {r.risk_id: number for number, r in enumerate(ev.risks, start=1)}
        risks = tuple(self.risk(self.risk_numbers[r.risk_id], r) for r in ev.risks)
        actions = tuple(self.action(a) for a in self.assessment.actions)
        open_actions = sorted((a for a, raw in zip(actions, self.assessment.actions) if raw.status in ("planned", "in_progress")),
                              key=lambda a: (a.due == "", a.due))
        pack_sha = self.loaded.sha256
        draft_sha = hashlib.sha256(draft_bytes).hexdigest()
        with v.translated():
            # What both readers of a bilingual report need: the headings and labels, the cover and
            # the executive summary in both languages; the body in Chinese.
            headings, labels = self.headings(), self.table_labels()
            translated = self._executive_summary(findings, actions, generated_on)
        report = Report(
            lang=v.html_lang,
            language=v.report_language,
            edition=self.edition,
            headings=headings,
            labels=labels,
            title=self.typed(title),
            running_title=printable_text(running_title),
            document_title=(v.ui(_("Summary of the personal information protection impact assessment: %(title)s"), title=title)
                            if self.edition == "public" else
                            v.ui(_("Personal information protection impact assessment: %(title)s"), title=title)),
            subject=v.ui(_("Facial recognition impact assessment (PIPIA) under the PIPL and the FRT Measures")),
            authors=tuple(meta.assessors) or ((meta.organisation,) if meta.organisation else ()),
            keywords=("PIPIA", "个人信息保护影响评估", "facial recognition", "人脸识别", self.pack.id,
                      *((PUBLIC_SUMMARY_KEYWORD,) if self.edition == "public" else ())),
            created=generated_on.isoformat(),
            status="final" if self.approved is not None else meta.status,
            **translated,
            blocking_findings=tuple(f for f in findings if f.severity == "blocking"),
            top_actions=tuple(open_actions[:TOP_ACTIONS]),
            method_facts=self.method_facts(),
            instruments=self.instruments(),
            method_text=(),
            acceptance=tuple(Fact(self.level("risk_levels", level), v.text(self.labels.treatments[t])) for level, t in ev.acceptance_policy.items()),  # type: ignore[arg-type]
            matrix_provenance=v.text(self.pack.risk_method.provenance),  # type: ignore[arg-type]
            matrix_columns=tuple(self.level("likelihood_levels", lv) for lv in LIKELIHOOD_LEVELS),
            matrix_rows=tuple(
                (self.level("impact_levels", impact), tuple((cell, self.level("risk_levels", cell)) for cell in self.pack.risk_method.matrix[impact]))
                for impact in reversed(IMPACT_LEVELS)  # serious at the top, as in GB/T 39335 table D.5
            ),
            topics=self.topics(),
            findings=findings,
            findings_by_severity=self._findings_by_severity(findings),
            liability=self.liability() if any(f.severity == "blocking" for f in findings) else None,
            risks=risks,
            heat_map=heat_map_svg(ev.risks, self.pack.risk_method, v),
            actions=actions,
            retention=self.retention(),
            appendix_answers=self.appendix_answers() if self.edition == "full" else (),
            orphaned_answers=tuple((printable_identifier(q), self.typed(str(self.assessment.answers[q])[:500])) for q in ev.pack_drift.orphaned),
            references=(),
            glossary=tuple(GlossaryEntry(v.text(g.term), v.text(g.definition)) for g in self.pack.glossary),  # type: ignore[arg-type]
            changelog=tuple((utc_text(e.at), self.typed(e.by), self.typed(e.summary))
                            for e in self.assessment.changelog) if self.edition == "full" else (),
            integrity=(
                Fact(v.ui(_("Attached draft (SHA-256)")), v.plain(draft_sha)),
                Fact(v.ui(_("Form pack %(id)s %(version)s (SHA-256)"), id=self.pack.id, version=self.pack.version), v.plain(pack_sha)),
                Fact(v.ui(_("Produced by")), v.plain(f"dpia-app {__version__}")),
            ),
            colon=colon(v.primary),
            sep=list_separator(v.primary),
        )
        # References and the notes on them last: every section above has cited what it needed by now.
        report.references = self.references()
        report.method_text = self.method_text()
        with v.translated():
            report.appendix_headings = self.appendix_headings(report)
            if self.edition == "public":
                report.public_intro, report.public_parts = self.public_summary()
                report.public_facts = self.public_facts(generated_on)
        if self.edition != "public":
            report.changes_intro, report.changes = self.changes_since_approval()
        report.toc = tuple((key, report.headings[key]) for key in (
            "summary", "scope", "system", "findings", "risks", "actions", "signoffs", "retention",
            *(("changes",) if report.changes_intro is not None else ()), "appendix"))
        return report

    def status_label(self) -> Said:
        """The status in the running header: an approved version says so, whatever the draft's status was."""
        if self.approved is not None:
            return self.v.ui(_("Approved version %(number)s"), number=self.approved.number)
        return self.v.ui(_("Final")) if self.assessment.metadata.status == "final" else self.v.ui(_("Draft"))

    def _executive_summary(self, findings: tuple[FindingEntry, ...], actions: tuple[ActionEntry, ...], generated_on: dt.date) -> dict[str, object]:
        """The cover, approval and executive summary fields (made in both languages of a bilingual report)."""
        v, ev = self.v, self.evaluation
        return dict(
            status_label=self.status_label(),
            cover_facts=self.cover_facts(generated_on),
            signoffs=tuple(self.signoff(s) for s in self.assessment.signoffs),
            signoff_problems=tuple(v(lambda l, p=p: reason_text(p, ev, self.pack, l)) for p in ev.signoff_problems),
            verdict=ev.verdict.outcome,
            verdict_label=v(lambda l: outcome_label(ev.verdict.outcome, l)),
            provisional=self.provisional(),
            first_steps=tuple(v(lambda l, i=i: first_step_texts(ev, self.pack, l)[i]) for i in range(len(ev.verdict.first_steps))),
            reasons=tuple(self.reason(r) for r in ev.verdict.reasons),
            conditions=tuple(self.reason(r) for r in ev.verdict.conditions),
            severity_counts=tuple(Fact(v(lambda l, s=s: severity_label(s, l)), v.plain(str(n))) for s, n in ev.severity_counts().items()),
            filing=tuple(v(lambda l, f=f: filing_text(f, l, ev.evaluated_on, self.pack)) for f in ev.filing),
            next_review=self.next_review(),
            reassess_now=tuple(v(lambda l, t=t: reassessment_text(t, self.pack, l)) for t in ev.review.reassess_now),
            overall_risk=self.overall_risk(),
        )

    def reason(self, reason: Reason) -> ReasonEntry:
        """A reason by its headline, naming its findings or risks as links; the blocking findings
        are listed with their legal basis right below it, so they are not named twice."""
        v, ev = self.v, self.evaluation
        items = reason_items(reason, ev, v.primary)
        if not items:
            return ReasonEntry(v(lambda l: reason_text(reason, ev, self.pack, l)))
        headline = v(lambda l: reason_headline(reason, ev, self.pack, l))
        if reason.code == "blocking_findings":
            return ReasonEntry(headline)
        titles = {f.rule_id: f.title for f in ev.findings} | {r.risk_id: r.title for r in ev.risks}
        # Risk derivations are printed in the full record only; the register is always there.
        anchors = {item.id: f"finding-{item.id}" if item.kind == "finding" else (f"risk-{item.id}" if self.edition == "full" else "risks")
                   for item in items}
        named = [(anchors[item.id], v.text(titles[item.id])) for item in items if item.id in titles]
        more = None
        if len(named) > SUMMARY_ITEMS:
            # The summary names the first few; section 4 (or the register) lists them all.
            where = v.ui(_("section 4")) if items[0].kind == "finding" else v.ui(_("section 5"))
            more = v.count(n_("and %(n)d more in %(where)s", "and %(n)d more in %(where)s", len(named) - SUMMARY_ITEMS), where=where)
            named = named[:SUMMARY_ITEMS]
        return ReasonEntry(headline, tuple(named), more)  # type: ignore[arg-type]

    def _findings_by_severity(self, findings: tuple[FindingEntry, ...]) -> tuple[tuple[str, Said, tuple[FindingEntry, ...]], ...]:
        v = self.v
        with v.translated():
            return tuple((s, v(lambda l, s=s: severity_heading(s, l)), tuple(f for f in findings if f.severity == s)) for s in SEVERITIES)

    def liability(self) -> Said | None:
        if "PIPL-66" not in self.loaded.catalog:
            return None
        return self.v.ui(_("Exposure for every blocking finding: %(citation)s (penalties for unlawful processing; the FRT Measures leave liability to the relevant laws)."),
                         citation=self.cite(("PIPL-66",))[0])

    def public_summary(self) -> tuple[Said | None, tuple[PublicPart, ...]]:
        """The answers the pack chose for the public, under its headings: those that apply and were
        given (a question nobody answered says nothing to the public)."""
        summary = self.pack.public_summary
        if summary is None:
            return None, ()
        v, ev = self.v, self.evaluation
        parts = []
        for part in summary.parts:
            answers = tuple(
                (v.text(self.pack.question(q).text), self.shown(self.pack.question(q), self.assessment.answers[q]))
                for q in part.questions
                if q in ev.visible_questions and self.assessment.answers.get(q) is not None
            )
            if answers:
                parts.append(PublicPart(v.text(part.heading), answers))  # type: ignore[arg-type]
        return v.text(summary.intro), tuple(parts)

    def public_facts(self, generated_on: dt.date) -> tuple[Fact, ...]:
        v, meta = self.v, self.assessment.metadata
        rows = [
            (_("Organisation"), meta.organisation),
            (_("System"), meta.system),
            (_("Site"), meta.site),
            (_("Assessment date"), meta.assessment_date.isoformat() if meta.assessment_date else ""),
            (_("Summary produced"), generated_on.isoformat()),
        ]
        return tuple(Fact(v.ui(label), v.plain(self.typed(value))) for label, value in rows if value)

    def appendix_headings(self, report: Report) -> dict[str, Said]:
        parts = {
            "answers": (_("Every answer"), bool(report.appendix_answers)),
            "derivations": (_("How each risk was rated"), self.edition == "full" and bool(report.risks)),
            # The filing report cites each article where it applies and lists the instruments in
            # section 2; the index of every requirement cited belongs to the full record.
            "references": (_("Legal references"), self.edition == "full"),
            "glossary": (_("Glossary"), bool(report.glossary)),
            "changelog": (_("Change log"), bool(report.changelog)),
            "integrity": (_("Integrity"), True),
        }
        printed = [(key, title) for key, (title, shown) in parts.items() if shown]
        return {key: self.v.ui(_("%(letter)s. %(title)s"), letter="ABCDEFGH"[index], title=self.v.ui(title))
                for index, (key, title) in enumerate(printed)}

    def headings(self) -> dict[str, Said]:
        v = self.v
        return {
            "contents": v.ui(_("Contents")),
            "approval": v.ui(_("Approval")),
            "summary": v.ui(_("1. Executive summary")),
            "scope": v.ui(_("2. Scope, criteria and method")),
            "system": v.ui(_("3. The processing assessed")),
            "findings": v.ui(_("4. Findings")),
            "risks": v.ui(_("5. Risk register")),
            "actions": v.ui(_("6. Action plan")),
            "signoffs": v.ui(_("7. Sign-off")),
            "retention": v.ui(_("8. Filing, review and retention")),
            "changes": v.ui(_("9. Changes since the last approved version")),
            "appendix": v.ui(_("Appendix")),
            "why": v.ui(_("Why it must not proceed")),
            "first_steps": v(lambda l: verdict_headings(self.evaluation.verdict.outcome, l)["first_steps"]),
            "conditions": v(lambda l: verdict_headings(self.evaluation.verdict.outcome, l)["conditions"]),
            "counts": v.ui(_("Findings by severity")),
            "blocking": v.ui(_("Blocking findings")),
            "filing": v.ui(_("Filing with the cyberspace office")),
            "top_actions": v.ui(_("Most urgent open actions")),
            "review": v.ui(_("Next review")),
            "overall": v.ui(_("Overall risk")),
            "laws": v.ui(_("Laws and standards applied")),
            "method": v.ui(_("Method")),
            "criteria": v.ui(_("Risk criteria and acceptance policy")),
            "matrix": v.ui(_("Risk matrix")),
            "heat_map": v.ui(_("Heat map: inherent and residual position of each risk")),
            "sign_problems": v.ui(_("Points a regulator would question")),
            "orphaned": v.ui(_("Answers kept for questions this form pack no longer has")),
            "no_findings": v.ui(_("No findings.")),
            "no_actions": v.ui(_("No actions recorded.")),
            "no_signoffs": v.ui(_("Nobody has signed this assessment yet.")),
            "no_risks": v.ui(_("No risk scenario applies to the answers.")),
            "public_kind": v.ui(_("Summary of the personal information protection impact assessment")),
            "public_empty": v.ui(_("The assessment does not yet answer the questions this summary gives.")),
        }

    def table_labels(self) -> dict[str, Said]:
        v = self.v
        return {k: v.ui(m) for k, m in {
            "answer": _("Answer"), "note": _("Note or evidence"),
            "citation": _("Legal basis"), "finding": _("What was found"),
            "why": _("Why it matters"), "recommendation": _("Recommendation"), "caused_by": _("Caused by"),
            "actions": _("Actions"), "legal_question": _("Legal-interpretation question"),
            "dimension": _("Dimension"), "base": _("Rated"), "inherent_impact": _("Inherent impact"),
            "residual_impact": _("Residual impact"), "inherent_risk": _("Inherent risk"), "residual_risk": _("Residual risk"),
            "area": _("Risk-source area"), "assessed": _("Assessed"), "likelihood": _("Likelihood"),
            "adjustments": _("Adjustments and their reasons"), "treatment": _("Treatment"),
            "impact": _("Impact on rights"), "measure": _("Measure"), "owner": _("Owner"), "due": _("Due"),
            "status": _("Status"), "effect": _("Effect on residual risk"), "linked": _("Treats"),
            "role": _("Role"), "name": _("Name"), "position": _("Position"), "date": _("Date"),
            "decision": _("Decision or advice"), "opinion": _("Opinion"), "conditions_label": _("Conditions"),
            "overruled": _("Overrules the DPO's advice; reason"), "level": _("Risk level"),
            "id": _("Id"), "reference": _("Reference"), "requirement": _("Requirement"),
            "when": _("When"), "by": _("By"), "what": _("What changed"), "term": _("Term"),
            "not_required": _("Required, not answered"), "page": _("Page"),
            "page_of": _("Page %(page)s of %(pages)s"), "saved": _("Saved answer"),
            "risk": _("Risk"), "verdict": _("Verdict"), "see_findings": _("Findings"), "risks": _("Risks"),
        }.items()}

    def cover_facts(self, generated_on: dt.date) -> tuple[Fact, ...]:
        v, meta = self.v, self.assessment.metadata
        rows = [
            (_("Organisation"), meta.organisation),
            (_("System"), meta.system),
            (_("Site"), meta.site),
            (_("Assessors"), item_separator(v.primary).join(meta.assessors)),
            (_("Personal information protection officer (DPO)"), meta.dpo),
            (_("Assessment date"), meta.assessment_date.isoformat() if meta.assessment_date else ""),
        ]
        facts = [Fact(v.ui(label), v.plain(self.typed(value))) for label, value in rows if value]
        if self.approved is not None:
            approved = self.approved
            facts.append(Fact(v.ui(_("Status")), self.typed_said(v.ui(_("Approved version %(number)s, approved on %(date)s by %(name)s"),
                                                          number=approved.number, date=approved.approved_on.isoformat(), name=approved.approved_by))))
        else:
            facts.append(Fact(v.ui(_("Status")), v.ui(_("Final")) if meta.status == "final" else v.ui(_("Draft — not approved for filing"))))
        facts.append(Fact(v.ui(_("Revision")), v.ui(_("%(n)s (saved %(saved)s)"), n=str(len(self.assessment.changelog) + 1),
                                                     saved=utc_text(meta.modified_at))))
        facts.append(Fact(v.ui(_("Form pack")), v.plain(f"{self.pack.id} {self.pack.version}")))
        facts.append(Fact(v.ui(_("Assessment id")), v.plain(printable_identifier(meta.assessment_id))))
        facts.append(Fact(v.ui(_("Report produced")), v.plain(generated_on.isoformat())))
        if meta.derived_from:
            facts.append(Fact(v.ui(_("Derived from")), v.plain(self.typed(meta.derived_from))))
        return tuple(facts)

    def provisional(self) -> Said | None:
        ev = self.evaluation
        if not ev.verdict.provisional:
            return None
        n = len(ev.missing_required) + len(ev.answer_problems)
        return self.v(lambda language: unanswered_text(ev.verdict.outcome, n, language))

    def next_review(self) -> Said:
        review = self.evaluation.review
        counted = {"assessment_date": _("the assessment date"), "approval": _("the approval"),
                   "today": _("today, as the assessment is not dated yet")}[review.counted_from]
        return self.v.ui(_("%(date)s (%(months)d months from %(from)s)"), date=review.next_review.isoformat(),
                         months=review.interval_months, **{"from": self.v.ui(counted)})

    def overall_risk(self) -> Said | None:
        overall = self.evaluation.overall_risk
        if overall.level is None:
            return None
        return self.v(lambda language: overall_risk_text(overall, self.labels, language))

    def method_facts(self) -> tuple[Fact, ...]:
        v, pack = self.v, self.pack
        return (
            Fact(v.ui(_("Form pack")), v(lambda l: f"{pack.title.get(l)} — {pack.id} {pack.version}")),
            Fact(v.ui(_("Requirements catalog")), v.plain(f"{self.loaded.catalog.id} {self.loaded.catalog.version}")),
            # Which release of the app did the assessing, so the regulator can tell the method's version.
            Fact(v.ui(_("Produced by")), v.plain(f"dpia-app {__version__}")),
            Fact(v.ui(_("Evaluated on")), v.plain(self.evaluation.evaluated_on.isoformat())),
            Fact(v.ui(_("Questions that apply")), v.ui(_("%(answered)d of %(visible)d answered"),
                                                       answered=sum(s.answered for s in self.evaluation.sections),
                                                       visible=len(self.evaluation.visible_questions))),
        )

    def instruments(self) -> tuple[Fact, ...]:
        catalog = self.loaded.catalog
        used = {catalog.get(ref).instrument for ref in self._pack_refs()}
        facts = []
        for key, instrument in catalog.instruments.items():
            if key not in used:
                continue
            def describe(language: Language, instrument: Instrument = instrument) -> str:
                _ = gettext_for(language)
                name = instrument.name.get(language)
                number = instrument.document_number.get(language) if instrument.document_number else None
                if number and number not in name:
                    # Cited as a lawyer cites it: 《……办法》（国家互联网信息办公室、公安部令第19号）. In
                    # brackets, so the 、 inside a joint issuers' number is not read as a list separator;
                    # a standard whose title already carries its number is not given it twice.
                    name = f"{name}（{number}）" if language == "zh-Hans" else f"{name} ({number})"
                parts = [name]
                if instrument.citable_as_law:
                    # A draft says what it is below, with why it is not cited as law.
                    parts.append(instrument_kind_label(instrument.kind, language))
                if instrument.effective:
                    parts.append(_("effective %(date)s") % {"date": instrument.effective.isoformat()})
                if not instrument.citable_as_law:
                    parts.append(_("draft for comment: policy intent, not cited as law"))
                return item_separator(language).join(parts)

            facts.append(Fact(self.v.text(instrument.short_name), self.v(describe)))  # type: ignore[arg-type]
        return tuple(facts)

    def _pack_refs(self) -> set[str]:
        pack = self.pack
        refs: set[str] = set(pack.risk_method.refs) | set(pack.review.refs)
        for section in pack.sections:
            refs.update(section.refs)
            for question in section.questions:
                refs.update(question.refs)
        for rule in pack.rules:
            refs.update(rule.refs)
        for risk in pack.risks:
            refs.update(risk.refs)
        for duty in pack.filing_duties:
            refs.update(duty.refs)
        return refs

    def method_text(self) -> tuple[Said, ...]:
        v = self.v
        return (
            v.ui(_("The assessment follows the process of GB/T 39335: necessity analysis, data mapping, impact on personal rights, likelihood of security incidents and risk analysis, then treatment. Each answer was tested against the legal requirements of the form pack; a finding names the requirement it rests on.")),
            v.ui(_("Severity: blocking means a mandatory rule is breached and the processing must not go ahead until fixed; high means a mandatory duty or an aggravating pattern that needs a dated remediation plan; advisory means a recommended national standard or good practice.")),
            v.ui(_("Each risk's impact on rights is rated in four dimensions and its likelihood in four risk-source areas; the matrix gives the risk level. Every automatic adjustment and every reviewer override is listed with its reason. Residual risk is the position after the planned actions. Any open blocking finding makes the verdict 'must not proceed' whatever the matrix says.")),
        ) + tuple(
            # Provenance notes, once here instead of in every citation that carries their marker.
            v(caveat.note)
            for caveat in self.loaded.catalog.caveat_notes(self.cited)
        )

    # --- the processing ---------------------------------------------------------------------------

    def _printed_questions(self) -> dict[str, str]:
        """Section 3's numbering of the answers it prints ("3.6.2"), by question id."""
        ev = self.evaluation
        missing = set(ev.missing_required)
        numbers: dict[str, str] = {}
        topic = 0
        for progress in ev.sections:
            if not progress.visible:
                continue
            topic += 1
            row = 0
            for question_id in progress.visible_questions:
                if self.assessment.answers.get(question_id) is None and question_id not in missing:
                    continue  # optional and left empty: nothing to say
                row += 1
                numbers[question_id] = f"3.{topic}.{row}"
        return numbers

    def topics(self) -> tuple[TopicSection, ...]:
        ev, v = self.evaluation, self.v
        cause_of: dict[str, list[str]] = {}
        for finding in ev.findings:
            for question_id in finding.caused_by:
                cause_of.setdefault(question_id, []).append(finding.rule_id)
        missing = set(ev.missing_required)
        out = []
        for progress in ev.sections:
            if not progress.visible:
                continue
            section = next(s for s in self.pack.sections if s.id == progress.section_id)
            rows = []
            printed = [self.pack.question(q) for q in progress.visible_questions if q in self.printed_questions]
            # The filing report reads as a fact sheet where the pack names every fact it prints; the
            # full record, and a pack without labels, keep the whole questions.
            as_facts = self.edition != "full" and all(question.label is not None for question in printed)
            for question in printed:
                question_id = question.id
                raw = self.assessment.answers.get(question_id)
                caused = sorted({(self.finding_numbers[rule_id], f"finding-{rule_id}") for rule_id in cause_of.get(question_id, ())})
                rows.append(AnsweredQuestion(
                    question_id=question_id,
                    number=self.printed_questions[question_id],
                    anchor=f"answer-{question_id}",
                    question=v.text(question.label if as_facts else question.text),  # type: ignore[arg-type]
                    answer=self.shown(question, raw),
                    note=self.typed(self.assessment.notes.get(question_id, "")),
                    required_missing=question_id in missing,
                    findings=tuple(caused),
                ))
            # What the law asks of each part introduces it in the full record; the filing report
            # states the facts here and the law with each finding.
            intro = v.text(section.intro) if self.edition == "full" else None
            out.append(TopicSection(f"topic-{section.id}", v.text(section.title), intro, tuple(rows), as_facts))  # type: ignore[arg-type]
        return tuple(out)

    # --- findings and risks --------------------------------------------------------------------

    def finding(self, finding: Finding) -> FindingEntry:
        v = self.v
        with v.translated():
            # A head office reading English follows the findings by their titles and what to do.
            title, recommendation = v.text(finding.title), v.text(finding.recommendation)
            severity = v(lambda l: severity_label(finding.severity, l))
        causes = tuple(
            CauseRef(self.printed_questions[q], f"answer-{q}") if q in self.printed_questions
            else CauseRef("", "", v(lambda l, q=q: question_label(self.pack, q, l)))
            for q in finding.caused_by
        )
        return FindingEntry(
            rule_id=finding.rule_id,
            number=self.finding_numbers[finding.rule_id],
            anchor=f"finding-{finding.rule_id}",
            severity=finding.severity,
            severity_label=severity,
            legal_question=finding.kind == "legal_question",
            title=title,  # type: ignore[arg-type]
            finding=v.text(finding.finding),  # type: ignore[arg-type]
            why=v.text(finding.why),  # type: ignore[arg-type]
            recommendation=recommendation,  # type: ignore[arg-type]
            citations=self.cite(finding.refs),
            caused_by=causes,
            actions=tuple(map(printable_identifier, finding.action_ids)),
        )

    def risk(self, number: int, risk: RiskResult) -> RiskEntry:
        v = self.v
        dimensions = tuple(
            DimensionRow(
                dimension=v.text(self.labels.dimensions[d]),  # type: ignore[arg-type]
                base=self.level("impact_levels", risk.base_impact[d]),
                inherent_impact=self.level("impact_levels", risk.inherent.impact[d]),
                residual_impact=self.level("impact_levels", risk.residual.impact[d]),
                inherent_level=risk.inherent.level_by_dimension[d],
                inherent_risk=self.level("risk_levels", risk.inherent.level_by_dimension[d]),
                residual_level=risk.residual.level_by_dimension[d],
                residual_risk=self.level("risk_levels", risk.residual.level_by_dimension[d]),
            )
            for d in DIMENSIONS
        )
        areas = tuple(
            AreaRow(v.text(self.labels.areas[a]), self.level("likelihood_levels", risk.base_likelihood[a]),  # type: ignore[arg-type]
                    self.level("likelihood_levels", risk.area_likelihood[a]))
            for a in RISK_SOURCE_AREAS
        )
        steps = tuple(v(lambda l, s=s: adjustment_text(s, self.labels, l)) for s in risk.inherent_steps + risk.residual_steps)
        for step in risk.inherent_steps + risk.residual_steps:
            self.cite(step.refs)
        with v.translated():
            title = v.text(risk.title)  # the register lists the risks for both readers
        return RiskEntry(
            risk_id=risk.risk_id,
            number=number,
            anchor=f"risk-{risk.risk_id}",
            title=title,  # type: ignore[arg-type]
            description=v.text(risk.description),  # type: ignore[arg-type]
            citations=self.cite(risk.refs),
            dimensions=dimensions,
            areas=areas,
            inherent_likelihood=self.level("likelihood_levels", risk.inherent.likelihood),
            residual_likelihood=self.level("likelihood_levels", risk.residual.likelihood),
            inherent_level=risk.inherent.level,
            inherent=self.level("risk_levels", risk.inherent.level),
            residual_level=risk.residual.level,
            residual=self.level("risk_levels", risk.residual.level),
            treatment=v.text(self.labels.treatments[risk.treatment]),  # type: ignore[arg-type]
            adjustments=steps,
            actions=tuple(map(printable_identifier, risk.action_ids)),
        )

    def action(self, action: Action) -> ActionEntry:
        v = self.v
        overdue = action.due is not None and action.due < self.evaluation.evaluated_on and action.status in ("planned", "in_progress")
        return ActionEntry(
            action_id=printable_identifier(action.id),
            measure=self.typed(action.measure),
            owner=self.typed(action.owner),
            due=action.due.isoformat() if action.due else "",
            status=v(lambda l: action_status_labels(l)[action.status]),
            effect=v(lambda l: action_effect_labels(l)[action.effect]),
            findings=_in_order(Treated(str(self.finding_numbers[f]), f"finding-{f}") if f in self.finding_numbers else Treated(printable_identifier(f), None)
                               for f in action.finding_ids),
            # A risk's own entry is in the full record's annex; the filing report has its register row.
            risks=_in_order(Treated(str(self.risk_numbers[r]), f"risk-{r}" if self.edition == "full" else "risks") if r in self.risk_numbers
                            else Treated(printable_identifier(r), None) for r in action.risk_ids),
            overdue=overdue,
        )

    def signoff(self, signoff: SignOff) -> SignOffEntry:
        v = self.v
        return SignOffEntry(
            role=v(lambda l: signoff_role_labels(l)[signoff.role]),
            name=self.typed(signoff.name, SHORT_LIMIT),
            position=self.typed(signoff.position),
            signed_on=signoff.signed_on.isoformat(),
            decision=v(lambda l: decision_labels(l)[signoff.decision]),
            opinion=self.typed(signoff.opinion),
            conditions=self.typed(signoff.conditions),
            overrules_dpo=signoff.overrules_dpo,
            overrule_reason=self.typed(signoff.overrule_reason),
        )

    def retention(self) -> Said:
        meta = self.assessment.metadata
        start = meta.assessment_date or self.evaluation.evaluated_on
        until = later_by(start, years=RETENTION_YEARS)
        citations = self.cite(tuple(r for r in RETENTION_REFS if r in self.loaded.catalog))
        return self.v.ui(_("Keep this report and the records of processing for at least %(years)d years, that is until %(until)s or later (%(refs)s). The assessment must be redone when the purpose or method of processing changes or after a major security incident."),
                         years=RETENTION_YEARS, until=until.isoformat(),
                         refs=lambda l: list_separator(l).join(str(resolve(c, l)) for c in citations))

    def changes_since_approval(self) -> tuple[Said | None, tuple[tuple[Said, tuple[Said, ...]], ...]]:
        """The reassessment's own section: what changed since the last approved version."""
        versions = self.assessment.approved_versions
        if not versions:
            return None, ()
        last = versions[-1]
        draft = State(self.assessment, summarise(self.evaluation), self.loaded.version)
        changes = compare(approved_state(last), draft, list(self.pack.questions))
        v = self.v
        grouped: dict[Language, list] = {}

        def groups(language: Language) -> list:
            # Both languages list the same changes in the same order; only the words differ.
            return grouped.setdefault(language, grouped_lines(changes, self.pack, language))

        intro = v.ui(_("Compared with approved version %(number)s of %(date)s (approved by %(name)s)."),
                     number=last.number, date=last.approved_on.isoformat(), name=last.approved_by)
        if changes.nothing:
            return intro, ((v.ui(_("Nothing has changed.")), ()),)
        return intro, tuple(
            (v(lambda l, g=g: groups(l)[g][0]),
             tuple(self.typed_said(v(lambda l, g=g, i=i: groups(l)[g][1][i].text)) for i in range(len(lines))))
            for g, (_title, lines) in enumerate(groups(v.primary))
        )

    # --- appendix ------------------------------------------------------------------------------

    def appendix_answers(self) -> tuple[AppendixAnswer, ...]:
        v, ev = self.v, self.evaluation
        rows = []
        for section in self.pack.sections:
            for question in section.questions:
                raw = self.assessment.answers.get(question.id)
                shown = question.id in ev.visible_questions
                if raw is None and not shown:
                    continue
                status = None if shown else v.ui(_("does not apply to these answers (hidden); kept in the draft"))
                rows.append(AppendixAnswer(question.id, self.shown(question, raw), status))
        return tuple(rows)

    def references(self) -> tuple[Reference, ...]:
        v = self.v
        out = []
        for ref in sorted(self.cited):
            requirement = self.loaded.catalog.get(ref)
            citation = self.cited[ref]
            note = None
            if not citation.citable_as_law:
                note = v.ui(_("Draft for comment: policy intent, not law."))
            elif citation.content_tag == "U":
                note = v.ui(_("Content not yet verified against the official text."))
            out.append(Reference(ref, v.text(citation.text), v.text(requirement.title), note))  # type: ignore[arg-type]
        return tuple(out)


def _in_order(items: Iterable[Treated]) -> tuple[Treated, ...]:
    """Printed numbers in ascending order, then the ids the report does not print."""
    return tuple(sorted(items, key=lambda t: (t.anchor is None, int(t.text) if t.anchor else 0, t.text)))
