"""The requirements catalog: the legal instruments and requirement IDs every question and rule cites."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .levels import Severity
from .text import Language, LocalizedText

# [V] read in the primary text; [V2] confirmed by an official explanation or several reliable
# secondary texts; [U] unverified. An article number tagged U is never printed.
VerificationTag = Literal["V", "V2", "U"]

InstrumentKind = Literal[
    "law",
    "administrative_regulation",
    "departmental_rule",
    "judicial_interpretation",
    "recommended_standard",
    "regulator_announcement",
    "draft_for_comment",
]

_CATALOG_ID_PATTERN = r"^[A-Z][A-Z0-9]*-[0-9]{2}[a-z]?$"


class Instrument(BaseModel):
    """A law, rule, judicial interpretation or standard, named as a lawyer would cite it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: LocalizedText
    short_name: LocalizedText
    kind: InstrumentKind
    # Printed in the report's own language: 国家互联网信息办公室、公安部令第19号 in Chinese, "CAC and MPS
    # Order No. 19" in English; a number that reads the same (GB/T 39335-2020, 法释〔2021〕15号) is written twice.
    document_number: LocalizedText | None = None
    effective: dt.date | None = None
    # A draft for comment is policy intent, never law (catalog section 2).
    citable_as_law: bool

    @field_validator("document_number", mode="before")
    @classmethod
    def _document_number_in_both_languages(cls, value: object) -> object:
        if isinstance(value, str):
            raise ValueError(
                "the document number is printed in the report's language: give it as "
                "{en: ..., zh-Hans: ...}, writing it twice where it reads the same (GB/T 39335-2020)"
            )
        return value


class Requirement(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=_CATALOG_ID_PATTERN)
    instrument: str
    article: LocalizedText | None = None
    article_tag: VerificationTag
    content_tag: VerificationTag
    title: LocalizedText
    summary: LocalizedText
    severity: Severity | None = None

    @model_validator(mode="after")
    def _unverified_article_needs_no_number(self) -> "Requirement":
        if self.article is None and self.article_tag != "U":
            raise ValueError("an article tagged V or V2 must give the article")
        return self


class Citation(BaseModel):
    """How one catalog reference is printed: the article only when it is verified."""

    model_config = ConfigDict(frozen=True)

    ref: str
    text: LocalizedText
    article_confirmed: bool
    citable_as_law: bool
    content_tag: VerificationTag


_TO_BE_CONFIRMED = LocalizedText(en="article number to be confirmed", **{"zh-Hans": "条款序号待核实"})


class Catalog(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    format: Literal["dpia-catalog"]
    format_version: Literal[1]
    id: str
    version: str
    instruments: dict[str, Instrument]
    requirements: list[Requirement]

    @field_validator("requirements")
    @classmethod
    def _unique_ids(cls, requirements: list[Requirement]) -> list[Requirement]:
        seen: set[str] = set()
        for requirement in requirements:
            if requirement.id in seen:
                raise ValueError(f"requirement {requirement.id} is listed twice")
            seen.add(requirement.id)
        return requirements

    @model_validator(mode="after")
    def _instruments_exist(self) -> "Catalog":
        for requirement in self.requirements:
            if requirement.instrument not in self.instruments:
                raise ValueError(f"{requirement.id} names unknown instrument {requirement.instrument!r}")
        return self

    def model_post_init(self, _context: object) -> None:
        object.__setattr__(self, "_by_id", {r.id: r for r in self.requirements})
        object.__setattr__(self, "_citations", {})

    def __contains__(self, ref: str) -> bool:
        return ref in self._by_id  # type: ignore[attr-defined]

    def get(self, ref: str) -> Requirement:
        return self._by_id[ref]  # type: ignore[attr-defined]

    def citation(self, ref: str) -> Citation:
        """Format a reference for print, never showing an article number tagged [U]."""
        cache: dict[str, Citation] = self._citations  # type: ignore[attr-defined]
        if ref not in cache:
            cache[ref] = self._format_citation(ref)
        return cache[ref]

    def _format_citation(self, ref: str) -> Citation:
        requirement = self.get(ref)
        instrument = self.instruments[requirement.instrument]
        confirmed = requirement.article is not None and requirement.article_tag != "U"

        def render(language: Language) -> str:
            name = instrument.short_name.get(language)
            if confirmed:
                assert requirement.article is not None
                article = requirement.article.get(language)
                return f"{name}{article}" if language == "zh-Hans" else f"{name} {article}"
            note = _TO_BE_CONFIRMED.get(language)
            return f"{name}（{note}）" if language == "zh-Hans" else f"{name} ({note})"

        return Citation(
            ref=ref,
            text=LocalizedText(en=render("en"), **{"zh-Hans": render("zh-Hans")}),
            article_confirmed=confirmed,
            citable_as_law=instrument.citable_as_law,
            content_tag=requirement.content_tag,
        )
