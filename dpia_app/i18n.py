"""Translations of the app's own words (not the pack's legal content) through gettext catalogs.

Catalogs live in dpia_app/locale/<lang>/LC_MESSAGES/dpia.po and are compiled to .mo with
`pybabel compile -d dpia_app/locale -D dpia`; a test checks the .mo matches its .po.
"""

from __future__ import annotations

import gettext
import importlib.resources
from functools import lru_cache

from .core.text import Language

DOMAIN = "dpia"
_LOCALE_FOLDERS = {"zh-Hans": "zh_Hans"}


@lru_cache(maxsize=4)
def translations(language: Language) -> gettext.NullTranslations:
    folder = _LOCALE_FOLDERS.get(language)
    if folder is None:
        return gettext.NullTranslations()
    catalog = importlib.resources.files("dpia_app") / "locale" / folder / "LC_MESSAGES" / f"{DOMAIN}.mo"
    with catalog.open("rb") as stream:
        return gettext.GNUTranslations(stream)


def gettext_for(language: Language):
    return translations(language).gettext


def ngettext_for(language: Language):
    return translations(language).ngettext
