"""Bilingual text as it appears in form packs, the catalog and findings."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Language = Literal["en", "zh-Hans"]
LANGUAGES: tuple[Language, ...] = ("en", "zh-Hans")


def normalise_language(code: str) -> Language:
    """Accept the codes people type (zh, zh_CN, zh-Hans, en-GB) and return a pack language."""
    lowered = code.strip().lower().replace("_", "-")
    if lowered.startswith("zh"):
        return "zh-Hans"
    if lowered.startswith("en"):
        return "en"
    raise ValueError(f"unsupported language {code!r}: use en or zh")


_CJK = r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]"
# Only the ASCII spaces and line breaks YAML folding leaves: a full-width space (U+3000) between
# Chinese words is written on purpose, as in a standard's title (信息安全技术　个人信息安全规范).
_SPACE_BETWEEN_CJK = re.compile(rf"(?<={_CJK})[ \t\r\n]+(?={_CJK})")


class LocalizedText(BaseModel):
    """A user-visible string in English and Simplified Chinese; both are mandatory."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, serialize_by_alias=True)

    en: str
    zh_hans: str = Field(alias="zh-Hans")

    @field_validator("en", "zh_hans")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("the translation is empty")
        return value.strip()

    @field_validator("zh_hans")
    @classmethod
    def _no_space_between_chinese(cls, value: str) -> str:
        # YAML folds line breaks into spaces, which is right for English but leaves stray gaps
        # between Chinese sentences; spaces beside Latin text ("GB/T 39335 的") are kept.
        return _SPACE_BETWEEN_CJK.sub("", value)

    def get(self, language: Language) -> str:
        return self.zh_hans if language == "zh-Hans" else self.en
