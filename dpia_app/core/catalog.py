"""The requirements catalog: the legal instruments and requirement IDs every question and rule cites."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from contextvars import ContextVar
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

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

# Sources are cited in regulation.md as [S1]..[S12] and cases as CASE-01..CASE-12; neither is a requirement.
_SOURCE_ID = re.compile(r"^(S[0-9]+|CASE-[0-9]{2})$")


def _source_id(value: str) -> str:
    if not _SOURCE_ID.match(value):
        raise ValueError(f"{value!r} is not a source id: write S<number> for an [S#] source or CASE-<two digits> for a case")
    return value


SourceId = Annotated[str, AfterValidator(_source_id)]
Url = Annotated[str, Field(pattern=r"^https?://\S+$")]
# A day, a month or a year, or an interval of them ("2020/2023", "2025-01/2025-06").
_PERIOD = r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?"
SourceDate = Annotated[str, Field(pattern=rf"^{_PERIOD}(/{_PERIOD})?$")]

# The ids of the catalog's sources map while a catalog is being validated, so that a requirement
# citing an unknown source is reported at its own line.
_KNOWN_SOURCES: ContextVar[frozenset[str] | None] = ContextVar("known_sources", default=None)


class Source(BaseModel):
    """Where the catalog's text comes from ([S#]) or a case it cites (CASE-xx): a reference, never a requirement."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str = Field(min_length=1)
    urls: list[Url] = []
    publisher: str | None = None
    # False where regulation.md says who published it is not known (source to be confirmed).
    publisher_identified: bool = True
    # Not the official text (regulation.md labels such sources "secondary").
    secondary: bool = False
    # Cases: the regulator or court, when, the decision or document number where known, and the result.
    authority: str | None = None
    date: SourceDate | None = None
    decision_number: str | None = None
    outcome: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _unidentified_publisher_is_not_named(self) -> "Source":
        if not self.publisher_identified and self.publisher is not None:
            raise ValueError("a publisher that is not identified cannot be named: drop `publisher`")
        return self


def _cites_known_sources(owner: str, cited: list[str]) -> list[str]:
    if len(set(cited)) != len(cited):
        twice = sorted(source for source, count in Counter(cited).items() if count > 1)
        raise ValueError(f"{owner} lists source {', '.join(twice)} twice")
    known = _KNOWN_SOURCES.get()
    if known is not None:
        unknown = [source for source in cited if source not in known]
        if unknown:
            raise ValueError(f"{owner} cites {_unknown_sources(unknown)}")
    return cited


def _unknown_sources(unknown: list[str]) -> str:
    names = ", ".join(unknown)
    return f"source {names}, which is not in the catalog's `sources` map" if len(unknown) == 1 else (
        f"sources {names}, which are not in the catalog's `sources` map")


class Caveat(BaseModel):
    """A provenance note on citations ("article number to be confirmed", "2019 approval draft"): said
    once in the method note, and marked where it applies with a small sign, so that it does not
    repeat in every citation."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    marker: str = Field(min_length=1, max_length=2)
    text: LocalizedText

    def note(self, language: Language) -> str:
        """The note as the method note prints it: "† Article number to be confirmed: …"."""
        return f"{self.marker} {self.text.get(language)}"


# The caveat of a citation whose article number is tagged [U] and therefore not printed. A catalog
# may word it itself under this key; this is the wording when it does not.
ARTICLE_TO_BE_CONFIRMED = "article_to_be_confirmed"
_TO_BE_CONFIRMED = Caveat(marker="†", text=LocalizedText(
    en="Article number to be confirmed: it could not be verified against the official text, so the citation names the instrument only.",
    **{"zh-Hans": "条款序号待核实：未能与官方文本核对，故引用只写明法律文件名称，不写条款序号。"}))


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
    # Where the catalog read it: ids in the catalog's `sources` map, and addresses of the text.
    sources: list[SourceId] = []
    source_urls: list[Url] = []
    # A caveat (key of the catalog's `caveats`) on every article number printed for this instrument,
    # e.g. clause numbers read from an approval draft rather than the published edition.
    article_caveat: str | None = None

    @field_validator("sources")
    @classmethod
    def _sources_known(cls, sources: list[str]) -> list[str]:
        return _cites_known_sources("the instrument", sources)

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
    # Where the item comes from: [S#] sources and CASE-xx cases of the catalog's `sources` map, and
    # addresses for an item whose sources regulation.md gives only as links (OTH-01 to OTH-05).
    sources: list[SourceId] = []
    source_urls: list[Url] = []

    @field_validator("sources")
    @classmethod
    def _sources_known(cls, sources: list[str], info: ValidationInfo) -> list[str]:
        requirement = info.data.get("id", "this requirement")
        return _cites_known_sources(f"requirement {requirement}", sources)

    @model_validator(mode="after")
    def _unverified_article_needs_no_number(self) -> "Requirement":
        if self.article is None and self.article_tag != "U":
            raise ValueError("an article tagged V or V2 must give the article")
        return self


class Citation(BaseModel):
    """How one catalog reference is printed: the article only when it is verified."""

    model_config = ConfigDict(frozen=True)

    ref: str
    text: LocalizedText  # with the markers of its caveats, e.g. "Cybersecurity Law †"
    article_confirmed: bool
    citable_as_law: bool
    content_tag: VerificationTag
    caveats: tuple[str, ...] = ()  # keys of Catalog.caveat(), explained in the method note


class Catalog(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    format: Literal["dpia-catalog"]
    format_version: Literal[1]
    id: str
    version: str
    # The [S#] sources and CASE-xx cases the requirements and instruments cite (regulation.md,
    # "Sources" and section 8).
    sources: dict[SourceId, Source] = {}
    # Provenance notes on citations, explained once in the method note (screen and report).
    caveats: dict[str, Caveat] = {}
    instruments: dict[str, Instrument]
    requirements: list[Requirement]

    @model_validator(mode="wrap")
    @classmethod
    def _with_known_sources(cls, data: Any, handler: Any) -> "Catalog":
        known = None
        if isinstance(data, Mapping):
            sources = data.get("sources")
            known = frozenset(str(key) for key in sources) if isinstance(sources, Mapping) else frozenset()
        token = _KNOWN_SOURCES.set(known)
        try:
            return handler(data)
        finally:
            _KNOWN_SOURCES.reset(token)

    @field_validator("sources")
    @classmethod
    def _cases_say_who_and_when(cls, sources: dict[str, Source]) -> dict[str, Source]:
        for key, source in sources.items():
            if key.startswith("CASE-"):
                missing = [name for name in ("authority", "date") if getattr(source, name) is None]
                if missing:
                    raise ValueError(f"case {key} must give its {' and '.join(missing)} (the regulator or court, and when)")
            else:
                given = [name for name in ("authority", "decision_number", "outcome") if getattr(source, name) is not None]
                if given:
                    raise ValueError(f"source {key} is not a case: {', '.join(given)} belong to CASE- entries")
        return sources

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

    @model_validator(mode="after")
    def _caveats_exist(self) -> "Catalog":
        for key, instrument in self.instruments.items():
            if instrument.article_caveat is not None and instrument.article_caveat not in self.caveats:
                raise ValueError(f"instrument {key} names caveat {instrument.article_caveat!r}, which is not in the catalog's `caveats` map")
        markers = [caveat.marker for caveat in self.caveats.values()]
        if len(set(markers)) != len(markers):
            raise ValueError("two caveats use the same marker: a reader could not tell which note applies")
        return self

    @model_validator(mode="after")
    def _sources_exist(self) -> "Catalog":
        # Also for requirements and instruments built in code, which are not validated again here.
        for key, instrument in self.instruments.items():
            unknown = [source for source in instrument.sources if source not in self.sources]
            if unknown:
                raise ValueError(f"instrument {key} cites {_unknown_sources(unknown)}")
        for requirement in self.requirements:
            unknown = [source for source in requirement.sources if source not in self.sources]
            if unknown:
                raise ValueError(f"requirement {requirement.id} cites {_unknown_sources(unknown)}")
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

    def caveat(self, key: str) -> Caveat:
        if key == ARTICLE_TO_BE_CONFIRMED and key not in self.caveats:
            return _TO_BE_CONFIRMED
        return self.caveats[key]

    def caveat_notes(self, refs: Iterable[str]) -> list[Caveat]:
        """The method note for these references: each caveat that applies to one of them, once."""
        keys = dict.fromkeys(key for ref in refs if ref in self for key in self.citation(ref).caveats)
        return [self.caveat(key) for key in keys]

    def _format_citation(self, ref: str) -> Citation:
        requirement = self.get(ref)
        instrument = self.instruments[requirement.instrument]
        confirmed = requirement.article is not None and requirement.article_tag != "U"
        if not confirmed:
            caveats: tuple[str, ...] = (ARTICLE_TO_BE_CONFIRMED,)
        else:
            caveats = (instrument.article_caveat,) if instrument.article_caveat else ()
        markers = "".join(self.caveat(key).marker for key in caveats)

        def render(language: Language) -> str:
            text = instrument.short_name.get(language)
            if confirmed:
                assert requirement.article is not None
                article = requirement.article.get(language)
                text = f"{text}{article}" if language == "zh-Hans" else f"{text} {article}"
            if not markers:
                return text
            return f"{text} {markers}" if language == "en" else text + markers

        return Citation(
            ref=ref,
            text=LocalizedText(en=render("en"), **{"zh-Hans": render("zh-Hans")}),
            article_confirmed=confirmed,
            citable_as_law=instrument.citable_as_law,
            content_tag=requirement.content_tag,
            caveats=caveats,
        )
