"""Files shipped inside the package that Qt needs: the window icon and the interface's Chinese font.

Found through importlib.resources, so a wheel, an editable install and the frozen app all find them.
"""

from __future__ import annotations

import importlib.resources
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase, QFontInfo, QIcon, QTextLayout
from PySide6.QtWidgets import QApplication

CJK_FAMILY = "Noto Sans CJK SC"
CJK_FILES = ("NotoSansCJKsc-Regular.otf", "NotoSansCJKsc-Bold.otf")
# Text that needs a Simplified Chinese font, used to ask Qt whether it found one.
CJK_PROBE = "中文简体"


def _package_folder(name: str) -> Path:
    # The package is installed as plain files (wheel, editable, PyInstaller onedir), never zipped,
    # so the resource is a real path that Qt can open itself.
    return Path(str(importlib.resources.files("dpia_app") / name))


def app_icon() -> QIcon:
    """The app's mark at every size it was drawn at; Qt picks the nearest for title bars and docks."""
    icon = QIcon()
    for path in sorted(_package_folder("icons").glob("dpia-app-*.png")):
        icon.addFile(str(path))
    return icon


def covers_chinese(font: QFont) -> bool:
    """Whether `font`, with the platform's own fallback fonts, draws Chinese as glyphs, not boxes.

    A missing character is drawn with glyph 0 (.notdef, the box) of whichever font Qt settled on.
    """
    layout = QTextLayout(CJK_PROBE, font)
    layout.beginLayout()
    layout.createLine()
    layout.endLayout()
    runs = layout.glyphRuns()
    return bool(runs) and all(0 not in run.glyphIndexes() for run in runs)


def install_interface_fonts(app: QApplication) -> bool:
    """Make Chinese text readable on machines without a Chinese font; True if the app font had to change.

    The bundled Noto Sans CJK SC (also the report's font) is registered by file path: Qt maps the
    file and reads only the tables it needs, about 7 ms for both weights, while reading the 33 MB
    into memory first costs about 40 ms. Registered fonts join the platform's fallback search
    (fontconfig prefers them on Linux). Only where Chinese would still be boxes does Noto become
    the explicit second family of the application font: the system font stays first, so Latin
    text keeps the system's look, and Windows and macOS keep their own Chinese fonts.
    """
    for name in CJK_FILES:
        QFontDatabase.addApplicationFont(str(_package_folder("fonts") / name))
    font = app.font()
    if covers_chinese(font):
        return False
    # The family the platform actually draws with: on Linux app.font() names an alias ("Sans
    # Serif") that matches no installed family, so listing it first would let Noto draw Latin too.
    font.setFamilies([QFontInfo(font).family(), CJK_FAMILY])
    app.setFont(font)
    return True
