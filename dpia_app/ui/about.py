"""About DPIA: version, form packs, Qt, where settings and recovery copies live, font licences."""

from __future__ import annotations

import importlib.resources
from typing import TYPE_CHECKING

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from .. import __version__
from .bundled_resources import app_icon
from .language import _, current
from .preferences import config_dir, state_dir

if TYPE_CHECKING:
    from ..core.packs import LoadedPack

# The licence files shipped beside the fonts (dpia_app/fonts), shown in full on the second tab.
FONT_LICENCE_FILES = ("OFL.txt", "LICENSE-DejaVu.txt")


def font_licence_texts() -> str:
    fonts = importlib.resources.files("dpia_app") / "fonts"
    return "\n\n".join((fonts / name).read_text(encoding="utf-8").strip() for name in FONT_LICENCE_FILES)


class AboutDialog(QDialog):
    def __init__(self, packs: dict[str, LoadedPack], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("about_dialog")
        self.setWindowTitle(_("About DPIA"))
        language = current()
        layout = QVBoxLayout(self)

        heading = QHBoxLayout()
        mark = QLabel()
        mark.setPixmap(app_icon().pixmap(64, 64))
        heading.addWidget(mark, 0, Qt.AlignmentFlag.AlignTop)
        title = QLabel(f"<b style='font-size: 15pt'>DPIA</b><br>{_('Personal-information protection impact assessment for facial recognition')}")
        title.setWordWrap(True)
        heading.addWidget(title, 1)
        layout.addLayout(heading)

        tabs = QTabWidget()
        about = QWidget()
        form = QFormLayout(about)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.fields: dict[str, QLabel] = {}

        def add(key: str, label: str, value: str) -> None:
            field = QLabel(value)
            field.setObjectName(f"about_{key}")
            field.setWordWrap(True)
            field.setTextFormat(Qt.TextFormat.PlainText)
            # Paths and versions get copied into support e-mails.
            field.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(label, field)
            self.fields[key] = field

        add("version", _("Version"), __version__)
        add("packs", _("Form packs"), "\n".join(
            _("%(title)s\n%(pack)s %(version)s, requirements catalog %(catalog)s %(catalog_version)s") % {
                "title": loaded.pack.title.get(language), "pack": loaded.id, "version": loaded.version,
                "catalog": loaded.catalog.id, "catalog_version": loaded.catalog.version}
            for loaded in packs.values()))
        add("qt", _("Interface toolkit"), f"Qt {qVersion()}, PySide6 {PySide6.__version__}")
        add("settings", _("Settings"), str(config_dir()))
        add("recovery", _("Recovery copies"), str(state_dir()))
        add("fonts", _("Fonts"), _("Noto Sans CJK SC and the Noto fonts for Tibetan, Mongolian and Yi: SIL Open Font "
                                   "License 1.1. DejaVu Sans: DejaVu Fonts licence (Bitstream Vera). Full texts on the "
                                   "“Licences” tab."))
        tabs.addTab(about, _("About"))

        licences = QPlainTextEdit(font_licence_texts())
        licences.setObjectName("about_licences")
        licences.setReadOnly(True)
        tabs.addTab(licences, _("Licences"))
        self.tabs = tabs
        layout.addWidget(tabs, 1)

        disclaimer = QLabel(_("This tool helps to carry out and document an impact assessment; it does not give legal advice."))
        disclaimer.setObjectName("about_disclaimer")
        disclaimer.setWordWrap(True)
        layout.addWidget(disclaimer)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(660, 420)
