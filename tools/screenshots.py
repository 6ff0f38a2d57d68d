"""Screenshots of the wizard for the README: each kind of step, English and Chinese, light and dark.

    .venv/bin/python tools/screenshots.py [--out docs/screenshots]

Runs headless. On Linux a CJK font must be installed for the Chinese shots (Debian: fonts-noto-cjk).
The offscreen platform reports no system colour scheme, so the dark shots apply the dark Fusion
palette that Windows and macOS give the app in dark mode.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QColor, QPalette  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: E402

SHOTS = [  # (file stem, step key) of the S2 example; "start" is the start screen
    ("01-start", "start"),
    ("02-scope", "section:scope"),
    ("03-alternatives", "section:alternatives"),
    ("04-devices", "section:devices"),
    ("05-risks", "risks"),
    ("06-action-plan", "actions"),
    ("07-sign-off", "signoff"),
    ("08-summary", "summary"),
    ("09-finding-details", "finding:R-ALT-16"),  # a blocking finding selected beside the questions
]
# The smallest window the wizard is designed for: nothing may be clipped at this size.
SMALL_SHOTS = [("10-small-devices", "section:devices"), ("11-small-risks", "risks")]
SMALL_SIZE = (1024, 700)


def dark_palette() -> QPalette:
    palette = QPalette()
    colours = {
        QPalette.ColorRole.Window: "#2b2b2b", QPalette.ColorRole.WindowText: "#e6e6e6",
        QPalette.ColorRole.Base: "#1e1e1e", QPalette.ColorRole.AlternateBase: "#2f2f2f",
        QPalette.ColorRole.Text: "#e6e6e6", QPalette.ColorRole.Button: "#353535",
        QPalette.ColorRole.ButtonText: "#e6e6e6", QPalette.ColorRole.Highlight: "#2f65ca",
        QPalette.ColorRole.HighlightedText: "#ffffff", QPalette.ColorRole.ToolTipBase: "#3c3c3c",
        QPalette.ColorRole.ToolTipText: "#e6e6e6", QPalette.ColorRole.PlaceholderText: "#9a9a9a",
        QPalette.ColorRole.Link: "#8ab4f8", QPalette.ColorRole.BrightText: "#ff6b6b",
    }
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor("#7a7a7a"))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor("#7a7a7a"))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText, QColor("#7a7a7a"))
    return palette


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    app = QApplication([])
    app.setStyle("Fusion")
    light = app.palette()
    from dpia_app.ui import language
    from dpia_app.ui.app import DesktopApp
    from dpia_app.ui.bundled_resources import install_interface_fonts

    # As the app does at start: a machine without a Chinese font draws the bundled one.
    install_interface_fonts(app)
    from dpia_app.ui.preferences import Preferences
    from dpia_app.ui.recovery import RecoveryStore

    folder = Path(tempfile.mkdtemp())
    example = ROOT / "examples" / "s2-mall-vip-recognition.dpia"
    written = 0
    for code, tag in (("en", "en"), ("zh-Hans", "zh")):
        for theme, palette in (("light", light), ("dark", dark_palette())):
            app.setPalette(palette)
            language.apply(code)
            preferences = Preferences(folder / f"{tag}-{theme}")
            preferences.add_recent_file(example)
            desktop = DesktopApp(preferences, RecoveryStore(folder / "recovery"), today=lambda: dt.date(2026, 11, 20))
            for stem, key in SHOTS:
                if key == "start":
                    widget = desktop.show_start()
                    widget.resize(900, 560)
                else:
                    window = desktop.windows[-1] if desktop.windows else desktop.open_path(example)
                    window.resize(1440, 880)
                    if key.startswith("finding:"):
                        window.go_to_step(next(i for i, step in enumerate(window.steps) if step.key == "section:alternatives"))
                        findings = window.findings_panel.list
                        rule_id = key.partition(":")[2]
                        findings.setCurrentRow(next(r for r in range(findings.count())
                                                    if findings.item(r).data(Qt.ItemDataRole.UserRole) == rule_id))
                    else:
                        window.go_to_step(next(i for i, step in enumerate(window.steps) if step.key == key))
                    widget = window
                app.processEvents()
                widget.grab().save(str(args.out / f"{stem}-{tag}-{theme}.png"))
                written += 1
            if theme == "light":
                window = desktop.windows[-1]
                window.show()  # a shown window lays out at the size asked, as on a 1024×700 screen
                window.resize(*SMALL_SIZE)
                for stem, key in SMALL_SHOTS:
                    window.go_to_step(next(i for i, step in enumerate(window.steps) if step.key == key))
                    app.processEvents()
                    window.grab().save(str(args.out / f"{stem}-{tag}.png"))
                    written += 1
                # The 13-column processing activities at the common 1280×800: the table, and a row's form.
                window.resize(1280, 800)
                window.go_to_step(next(i for i, step in enumerate(window.steps) if step.key == "section:organisation"))
                page = window.section_pages["organisation"]
                activities = page.editors["org.activities"]
                app.processEvents()
                page.ensureWidgetVisible(activities, 0, 0)
                app.processEvents()
                window.grab().save(str(args.out / f"12-activities-{tag}.png"))
                form = activities.open_row_form(0)
                app.processEvents()
                form.grab().save(str(args.out / f"13-row-form-{tag}.png"))
                form.reject()
                written += 2
                # The Versions step of S1: approved once, then two facts changed in the draft.
                s1 = folder / f"s1-{tag}.dpia"
                s1.write_bytes((ROOT / "examples" / "s1-office-turnstiles.dpia").read_bytes())
                versions_window = desktop.open_path(s1)
                versions_window.resize(1280, 800)
                versions_window.go_to_step(next(i for i, step in enumerate(versions_window.steps) if step.key == "versions"))
                versions_window.pages.currentWidget().approve_button.click()
                versions_window.session.set_answer("org.device_count", 40)
                versions_window.session.set_answer("scope.recognition_mode", "identification")
                app.processEvents()
                versions_window.grab().save(str(args.out / f"14-versions-{tag}.png"))
                written += 1
                # The portfolio of a folder: the three examples and two hotels of one group whose
                # sites add up past the filing threshold, and a damaged file.
                drive = folder / f"drive-{tag}"
                (drive / "hotels").mkdir(parents=True, exist_ok=True)
                for name in ("s1-office-turnstiles.dpia", "s2-mall-vip-recognition.dpia", "s3-gym-entry-with-children.dpia"):
                    (drive / name).write_bytes((ROOT / "examples" / name).read_bytes())
                for index, stored in enumerate((60_000, 50_000)):
                    document = json.loads((ROOT / "examples" / "s1-office-turnstiles.dpia").read_text(encoding="utf-8"))
                    document["metadata"].update(title=f"Hotel lobby {index + 1}", organisation="Jade Hotels Group", site=f"Hotel {index + 1}")
                    document["answers"].update({"scale.stored_individuals": stored, "scale.count_method": "this_system_only"})
                    (drive / "hotels" / f"hotel-{index + 1}.dpia").write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
                (drive / "hotels" / "copied-half.dpia").write_text('{"format": "dpia-draft", "format_', encoding="utf-8")
                portfolio_window = desktop.open_portfolio(drive)
                portfolio_window.resize(1280, 560)
                app.processEvents()
                portfolio_window.grab().save(str(args.out / f"15-portfolio-{tag}.png"))
                portfolio_window.close()
                written += 1
            for window in list(desktop.windows):
                window.ask_unsaved = lambda: QMessageBox.StandardButton.Discard
                window.close()
            if desktop.start is not None:
                desktop.start.close()
    print(f"wrote {written} screenshots to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
