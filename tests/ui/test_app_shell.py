"""What surrounds the assessment: window icon, Chinese font, About, documents opened by Finder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFileOpenEvent, QFontDatabase, QFontInfo, QImage, QTextLayout
from PySide6.QtWidgets import QApplication, QLabel, QPlainTextEdit

import dpia_app
from dpia_app.ui import bundled_resources
from dpia_app.ui.about import AboutDialog
from dpia_app.ui.app import FileOpenHandler, launch
from dpia_app.ui.preferences import config_dir, state_dir

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "s1-office-turnstiles.dpia"


@pytest.fixture
def file_opener(qapp):
    handler = FileOpenHandler(qapp)
    yield handler
    qapp.removeEventFilter(handler)
    handler.deleteLater()


@pytest.fixture
def draft(tmp_path) -> Path:
    path = tmp_path / "turnstiles.dpia"
    shutil.copyfile(EXAMPLE, path)
    return path


def open_about(qtbot, desktop, trigger) -> AboutDialog:
    trigger()
    qtbot.waitUntil(lambda: any(isinstance(w, AboutDialog) and w.isVisible() for w in QApplication.topLevelWidgets()))
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, AboutDialog) and w.isVisible())
    qtbot.addWidget(dialog)
    return dialog


# --- window icon ------------------------------------------------------------------------------


def test_the_window_icon_comes_from_the_package_at_every_size(qapp):
    icon = bundled_resources.app_icon()
    sizes = {size.width() for size in icon.availableSizes()}
    assert {16, 24, 32, 48, 64, 128, 256} <= sizes
    image = icon.pixmap(32, 32).toImage()
    assert image.pixelColor(16, 16).alpha() == 255  # the shield, not an empty picture


def test_the_generated_icons_are_committed_for_every_platform(qapp):
    icons = ROOT / "packaging" / "icons"
    for name in ("dpia-app", "dpia-document"):
        assert (icons / f"{name}.ico").read_bytes()[:4] == b"\0\0\1\0"
        assert (icons / f"{name}.icns").read_bytes()[:4] == b"icns"
        for size in (16, 32, 48, 64, 128, 256, 512):
            assert QImage(str(icons / f"{name}-{size}.png")).width() == size


# --- the interface's Chinese font -------------------------------------------------------------


def glyph_runs(font, text: str) -> list[tuple[str, list[int]]]:
    layout = QTextLayout(text, font)
    layout.beginLayout()
    layout.createLine()
    layout.endLayout()
    return [(run.rawFont().familyName(), list(run.glyphIndexes())) for run in layout.glyphRuns()]


def rendered(text: str) -> QImage:
    label = QLabel(text)
    label.setStyleSheet("background: white; color: black;")
    return label.grab().toImage()


def draws_chinese(text: str = "中") -> bool:
    """Two different characters drawn alike are the same box: the font had neither."""
    return rendered(text) != rendered("国") and rendered(text) != rendered("\ue000")


@pytest.fixture
def restore_app_font(qapp):
    font = qapp.font()
    yield
    qapp.setFont(font)


def test_the_bundled_chinese_font_is_registered_and_latin_keeps_the_system_font(qapp, restore_app_font):
    system_family = QFontInfo(qapp.font()).family()
    bundled_resources.install_interface_fonts(qapp)
    assert bundled_resources.CJK_FAMILY in QFontDatabase.families()
    assert bundled_resources.covers_chinese(qapp.font())
    assert draws_chinese()
    latin = [family for family, glyphs in glyph_runs(qapp.font(), "Assessment") if glyphs]
    assert latin == [system_family]


def test_where_the_platform_finds_no_chinese_font_noto_becomes_the_second_family(qapp, restore_app_font, monkeypatch):
    # Windows or macOS without a Chinese font: the platform's fallback does not reach Noto.
    monkeypatch.setattr(bundled_resources, "covers_chinese", lambda font: False)
    system_family = QFontInfo(qapp.font()).family()
    assert bundled_resources.install_interface_fonts(qapp)
    assert qapp.font().families() == [system_family, bundled_resources.CJK_FAMILY]
    runs = dict(glyph_runs(qapp.font(), "Risk 风险"))
    assert 0 not in runs[bundled_resources.CJK_FAMILY]
    assert system_family in runs  # Latin is not drawn with Noto
    bold = QLabel("风险")
    bold.setStyleSheet("font-size: 16pt; font-weight: bold;")  # as the pages' headings
    bold.ensurePolished()
    assert bundled_resources.CJK_FAMILY in bold.font().families()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="hides the system's fonts with a fontconfig file")
def test_chinese_is_drawn_on_a_machine_without_any_chinese_font(tmp_path):
    # A fresh process whose fontconfig sees only DejaVu Sans, as on a minimal Debian install.
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    shutil.copy(ROOT / "dpia_app" / "fonts" / "DejaVuSans.ttf", fonts)
    (tmp_path / "fonts.conf").write_text(
        f'<?xml version="1.0"?><fontconfig><dir>{fonts}</dir><cachedir>{tmp_path / "cache"}</cachedir></fontconfig>',
        encoding="utf-8")
    script = textwrap.dedent("""
        import time
        from PySide6.QtWidgets import QApplication, QLabel
        from dpia_app.ui import bundled_resources

        app = QApplication([])

        def image(text):
            label = QLabel(text)
            label.setStyleSheet("background: white; color: black;")
            return label.grab().toImage()

        before = bundled_resources.covers_chinese(app.font()), image("中") != image("国")
        start = time.perf_counter()
        bundled_resources.install_interface_fonts(app)
        took = (time.perf_counter() - start) * 1000
        after = bundled_resources.covers_chinese(app.font()), image("中") != image("国")
        print(before, after, f"{took:.1f}")
    """)
    environment = dict(os.environ, FONTCONFIG_FILE=str(tmp_path / "fonts.conf"), QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-c", script], env=environment, cwd=ROOT, capture_output=True, text=True,
                            timeout=120, check=True)
    output = result.stdout.strip()
    # Boxes before (the check and the picture agree), Chinese glyphs after.
    assert output.startswith("(False, False) (True, True)"), output + result.stderr
    # A generous bound (about 7 ms here): only reading the whole 33 MB would come near it.
    assert float(output.split()[-1]) < 200, output


# --- About --------------------------------------------------------------------------------------


def pyproject_version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def test_about_from_the_start_screen_says_version_packs_folders_and_licences(qtbot, desktop):
    start = desktop.show_start()
    dialog = open_about(qtbot, desktop, lambda: qtbot.mouseClick(start.about_button, Qt.MouseButton.LeftButton))
    assert dialog.fields["version"].text() == pyproject_version() == dpia_app.__version__
    loaded = desktop.packs["cn-frt-2025"]
    packs = dialog.fields["packs"].text()
    assert f"cn-frt-2025 {loaded.version}" in packs
    assert f"{loaded.catalog.id} {loaded.catalog.version}" in packs
    assert "PySide6" in dialog.fields["qt"].text()
    assert dialog.fields["settings"].text() == str(config_dir())
    assert dialog.fields["recovery"].text() == str(state_dir())
    assert "SIL Open Font License" in dialog.fields["fonts"].text()
    licences = dialog.findChild(QPlainTextEdit, "about_licences").toPlainText()
    assert "SIL OPEN FONT LICENSE Version 1.1" in licences and "Bitstream Vera" in licences
    assert "legal advice" in dialog.findChild(QLabel, "about_disclaimer").text()
    dialog.close()


def test_about_from_the_help_menu_in_chinese(qtbot, desktop):
    desktop.set_language("zh-Hans")
    window = desktop.new_assessment("cn-frt-2025")
    menus = [action.text() for action in window.menuBar().actions()]
    assert "帮助(&H)" in menus
    dialog = open_about(qtbot, desktop, window.action_about.trigger)
    assert dialog.windowTitle() == "关于 DPIA"
    assert dialog.parent() is window
    assert dialog.fields["version"].text() == dpia_app.__version__
    assert "要求目录" in dialog.fields["packs"].text()
    assert "不提供法律意见" in dialog.findChild(QLabel, "about_disclaimer").text()
    dialog.close()


# --- documents sent by Finder (macOS) ---------------------------------------------------------------


def test_a_document_finder_sends_opens_in_a_window(qtbot, desktop, file_opener, draft):
    file_opener.attach(desktop)
    desktop.show_start()
    QApplication.postEvent(QApplication.instance(), QFileOpenEvent(str(draft)))
    qtbot.waitUntil(lambda: len(desktop.windows) == 1)
    window = desktop.windows[0]
    assert window.session.path == draft
    assert window.session.assessment.metadata.title
    assert desktop.start is None  # the start screen made way for the document
    # Sent again (double-clicked again): the same window comes forward, no second one.
    QApplication.postEvent(QApplication.instance(), QFileOpenEvent(str(draft)))
    qtbot.wait(50)
    assert desktop.windows == [window]


def test_a_document_sent_while_the_app_starts_opens_instead_of_the_start_screen(qtbot, desktop, file_opener, draft):
    # Finder's event arrives before the app is ready (here: before launch() runs).
    QApplication.postEvent(QApplication.instance(), QFileOpenEvent(str(draft)))
    QApplication.processEvents()
    assert file_opener.pending == [draft] and desktop.windows == []
    launch(desktop, file_opener, [])
    assert [window.session.path for window in desktop.windows] == [draft]
    assert desktop.start is None
    assert file_opener.pending == []


def test_a_damaged_document_from_finder_gives_a_message_and_the_start_screen_stays(qtbot, desktop, file_opener, tmp_path):
    broken = tmp_path / "broken.dpia"
    broken.write_text("{not json", encoding="utf-8")
    launch(desktop, file_opener, [])
    assert desktop.start is not None
    QApplication.postEvent(QApplication.instance(), QFileOpenEvent(str(broken)))
    qtbot.waitUntil(lambda: bool(desktop.errors))
    assert desktop.windows == [] and desktop.start is not None
    assert broken.read_text(encoding="utf-8") == "{not json"


def test_a_form_pack_that_cannot_be_read_is_said_when_an_assessment_is_started_and_the_app_stays_up(qtbot, desktop, monkeypatch):
    """The packs load when an assessment is started, not at start-up: a damaged installation is
    reported then, by the button that needed the pack, and the start screen stays."""
    from dpia_app.core.yaml_source import DataFileError, Problem

    def damaged(pack_id):
        raise DataFileError([Problem(f"{pack_id}.yaml", 12, "sections", "not valid YAML")])

    monkeypatch.setattr("dpia_app.core.packs.load_builtin_pack", damaged)
    start = desktop.show_start()
    assert start.pack_choice.count() >= 1, "listed from the file's header, without loading it"
    qtbot.mouseClick(start.new_button, Qt.MouseButton.LeftButton)
    assert desktop.windows == [] and desktop.start is start
    title, text = desktop.errors[-1]
    assert title == "The installation is damaged" and "cn-frt-2025.yaml:12" in text and "Reinstall" in text
