"""The report's voice: every piece of text in English, in Chinese, or Chinese with English where it counts.

A bilingual report is Chinese (the language a cyberspace office reads) with English beside the
pieces a head office reading English needs to follow it: the headings and labels, the executive
summary, and each finding's title and recommendation (see Voice.translated). Putting English beside
every paragraph doubled the report's length and its layout time for text nobody reads twice.
User-typed text is not translated and is shown once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal, Union

from ..core.text import Language, LocalizedText
from ..i18n import gettext_for, ngettext_for

ReportLanguage = Literal["en", "zh", "bilingual"]
REPORT_LANGUAGES: tuple[ReportLanguage, ...] = ("en", "zh", "bilingual")

# The filing report is what a DPO files and a regulator reads; the full record adds the annexes
# (every answer by id, each risk's derivation, the change log); the public summary is the short
# account many processors publish (GB/T 39335's public summary of the assessment).
Edition = Literal["filing", "full", "public"]
EDITIONS: tuple[Edition, ...] = ("filing", "full", "public")


def N_(message: str) -> str:
    """Marks a message for the translation catalog; the report translates it per language later."""
    return message


_ = N_  # the extractor (tools/update_translations.py) looks for _("...")


def n_(singular: str, plural: str, count: int) -> tuple[str, str, int]:
    """Marks a message with a plural form for the catalog; Voice.count translates it."""
    return singular, plural, count


@dataclass(frozen=True, slots=True)
class Said:
    """One piece of report text: the main language, and the English beside it in a bilingual report."""

    main: str
    lang: Language
    second: str | None = None

    def __str__(self) -> str:
        return self.main if self.second is None else f"{self.main} / {self.second}"


Param = Union[str, int, LocalizedText, Said, Callable[[Language], str]]


class Voice:
    def __init__(self, language: ReportLanguage):
        if language not in REPORT_LANGUAGES:
            raise ValueError(f"unknown report language {language!r}: use en, zh or bilingual")
        self.report_language = language
        self.languages: tuple[Language, ...] = {"en": ("en",), "zh": ("zh-Hans",), "bilingual": ("zh-Hans", "en")}[language]
        self._translating = 0

    @contextmanager
    def translated(self) -> Iterator[None]:
        """Text made inside this block carries its English beside it in a bilingual report; text
        made outside it is in the main language only."""
        self._translating += 1
        try:
            yield
        finally:
            self._translating -= 1

    @property
    def primary(self) -> Language:
        return self.languages[0]

    @property
    def html_lang(self) -> str:
        return "zh-Hans" if self.primary == "zh-Hans" else "en"

    def __call__(self, make: Callable[[Language], str]) -> Said:
        languages = self.languages if self._translating else self.languages[:1]
        texts = [make(language) for language in languages]
        second = texts[1] if len(texts) > 1 and texts[1] != texts[0] else None
        return Said(texts[0], self.primary, second)

    def text(self, localized: LocalizedText | None) -> Said | None:
        if localized is None:
            return None
        return self(localized.get)

    def plain(self, text: str) -> Said:
        """Text that is the same in every language: names, ids, user input."""
        return Said(text, self.primary)

    def ui(self, message: str, **params: Param) -> Said:
        """One of the report's own messages, translated and filled in for each language."""
        return self(lambda language: _fill(gettext_for(language)(message), params, language))

    def count(self, message: tuple[str, str, int], **params: Param) -> Said:
        singular, plural, n = message
        return self(lambda language: _fill(ngettext_for(language)(singular, plural, n), {"n": n, **params}, language))


def resolve(value: Param, language: Language) -> str | int:
    if isinstance(value, LocalizedText):
        return value.get(language)
    if isinstance(value, Said):
        return value.second if language != value.lang and value.second is not None else value.main
    if callable(value):
        return value(language)
    return value


def _fill(template: str, params: Mapping[str, Param], language: Language) -> str:
    if not params:
        return template
    return template % {key: resolve(value, language) for key, value in params.items()}
