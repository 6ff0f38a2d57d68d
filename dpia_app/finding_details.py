"""Everything a reader needs to understand one finding, in one language: what, why, what to do, the law,
the answers that caused it and the actions that treat it. Qt-free, so the wizard's details pane and
any other front end say the same thing the report says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .core.answers import read_answer
from .core.assessment import Assessment
from .core.conditions import MISSING
from .core.evaluation import Finding
from .core.packs import LoadedPack
from .core.text import Language
from .i18n import gettext_for, ngettext_for
from .presentation import action_status_labels, answer_value_text, severity_label

# Long free-text answers are cut in the details pane; the question itself is one click away.
_ANSWER_PREVIEW = 160


@dataclass(frozen=True, slots=True)
class LegalBasis:
    citation: str  # "PIPL Art. 29"; an unconfirmed article or a draft's clause number carries a marker (†, ‡)
    title: str  # the requirement's title in the catalog
    summary: str  # the catalog's summary text
    binding: bool  # False for a draft for comment, which is never law
    notes: tuple[str, ...] = ()  # what the citation's markers mean ("† Article number to be confirmed: …")


@dataclass(frozen=True, slots=True)
class Cause:
    question_id: str
    section: str
    question: str
    answer: str


@dataclass(frozen=True, slots=True)
class LinkedAction:
    action_id: str
    measure: str
    owner: str
    due: str
    status: str


@dataclass(frozen=True, slots=True)
class FindingDetails:
    rule_id: str
    severity: str  # the severity's label, e.g. 严重问题
    legal_question: bool
    title: str
    finding: str
    why: str
    recommendation: str
    legal_basis: tuple[LegalBasis, ...]
    causes: tuple[Cause, ...]
    actions: tuple[LinkedAction, ...]


def finding_details(finding: Finding, loaded: LoadedPack, assessment: Assessment, language: Language) -> FindingDetails:
    pack, catalog = loaded.pack, loaded.catalog
    basis = []
    for citation in finding.citations:
        requirement = catalog.get(citation.ref)
        notes = tuple(caveat.note(language) for caveat in catalog.caveat_notes([citation.ref]))
        basis.append(LegalBasis(citation.text.get(language), requirement.title.get(language),
                                _readable_cross_references(requirement.summary.get(language), loaded, language),
                                citation.citable_as_law, notes))
    causes = tuple(
        Cause(question_id, pack.section_of(question_id).title.get(language), pack.question(question_id).text.get(language),
              _answer(loaded, assessment, question_id, language))
        for question_id in finding.caused_by if question_id in pack.questions
    )
    statuses = action_status_labels(language)
    actions = tuple(
        LinkedAction(a.id, a.measure, a.owner, a.due.isoformat() if a.due else "", statuses[a.status])
        for a in assessment.actions if a.id in finding.action_ids
    )
    return FindingDetails(
        rule_id=finding.rule_id,
        severity=severity_label(finding.severity, language),
        legal_question=finding.kind == "legal_question",
        title=finding.title.get(language),
        finding=finding.finding.get(language),
        why=finding.why.get(language),
        recommendation=finding.recommendation.get(language),
        legal_basis=tuple(basis),
        causes=causes,
        actions=actions,
    )


# Catalog ids as the catalog writes them (FRT-05c, PIPL-44, GBT39335-04), also right after Chinese
# text ("见FRT-08c"), where \b finds no word boundary.
_CATALOG_ID = re.compile(r"(?<![A-Za-z0-9-])[A-Z][A-Z0-9]*-[0-9]{2}[a-z]?(?![A-Za-z0-9])")


def _readable_cross_references(summary: str, loaded: LoadedPack, language: Language) -> str:
    """A catalog summary with its cross-references ("see FRT-08c") printed as the law they cite."""
    catalog = loaded.catalog

    def cite(match: re.Match[str]) -> str:
        ref = match.group(0)
        return catalog.citation(ref).text.get(language) if ref in catalog else ref

    return _CATALOG_ID.sub(cite, summary)


def _answer(loaded: LoadedPack, assessment: Assessment, question_id: str, language: Language) -> str:
    _ = gettext_for(language)
    n_ = ngettext_for(language)
    question = loaded.pack.question(question_id)
    raw = assessment.answers.get(question_id)
    if raw is None:
        return _("Not answered")
    typed = read_answer(question, raw)
    if typed.value is MISSING:
        return _("Unusable answer")
    if question.type == "group":
        rows = len(typed.value)
        return n_("%(n)d row", "%(n)d rows", rows) % {"n": rows}
    text = " ".join(answer_value_text(question, typed.value, language).split())
    return text if len(text) <= _ANSWER_PREVIEW else text[:_ANSWER_PREVIEW - 1] + "…"
