"""Switching the interface language: our own words (gettext) and Qt's (its bundled translations)."""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from ..core.text import Language
from ..i18n import gettext_for, ngettext_for

_current: Language = "en"
_qt_translator: QTranslator | None = None


def current() -> Language:
    return _current


def _(message: str) -> str:
    """Translate one of the app's strings into the current interface language."""
    return gettext_for(_current)(message)


def n_(singular: str, plural: str, count: int) -> str:
    return ngettext_for(_current)(singular, plural, count)


def system_language() -> Language:
    return "zh-Hans" if QLocale.system().language() == QLocale.Language.Chinese else "en"


def apply(language: Language) -> None:
    """Use `language` from now on; widgets rebuild their texts when they see the change."""
    global _current, _qt_translator
    _current = language
    app = QApplication.instance()
    if app is None:
        return
    if _qt_translator is not None:
        app.removeTranslator(_qt_translator)
        _qt_translator = None
    if language == "zh-Hans":
        translator = QTranslator(app)
        # Qt's own buttons and dialogs (OK, Cancel, Yes, No, file dialogs) in Chinese.
        if translator.load("qtbase_zh_CN", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            app.installTranslator(translator)
            _qt_translator = translator
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China) if language == "zh-Hans" else QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
