"""Pages of the S2 example report as PNG for the README: cover, summary, a finding, the heat map.

    .venv/bin/python tools/report_screenshots.py [--out docs/screenshots]

Renders the report of examples/s2-mall-vip-recognition.dpia in English, Chinese and bilingual
and turns the chosen pages into PNG with pdftoppm (Debian: sudo apt-get install poppler-utils;
macOS: brew install poppler). The PDFs are kept beside the pictures' folder in out/reports/.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pypdf import PdfReader  # noqa: E402

from dpia_app.core.drafts import read_draft  # noqa: E402
from dpia_app.core.packs import load_builtin_pack  # noqa: E402
from dpia_app.report import make_report  # noqa: E402

EXAMPLE = ROOT / "examples" / "s2-mall-vip-recognition.dpia"
TODAY = dt.date(2026, 12, 1)
# Outline entries (chapter anchors) whose first page is shown, and the picture's name.
PAGES = (("cover", None), ("summary", "1."), ("findings", "4."), ("risks", "5."))


def chapter_pages(pdf: bytes) -> dict[str, int]:
    reader = PdfReader(io.BytesIO(pdf))
    found = {"cover": 1}
    for entry in reader.outline:
        if isinstance(entry, list):
            continue
        for name, prefix in PAGES:
            title = entry.title.strip()
            if prefix and (title.startswith(prefix) or title.startswith({"1.": "一", "4.": "四", "5.": "五"}[prefix])):
                found.setdefault(name, reader.get_destination_page_number(entry) + 1)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    if shutil.which("pdftoppm") is None:
        print("pdftoppm is needed: sudo apt-get install poppler-utils (macOS: brew install poppler)", file=sys.stderr)
        return 2
    loaded = load_builtin_pack("cn-frt-2025")
    data = EXAMPLE.read_bytes()
    assessment = read_draft(EXAMPLE, loaded).assessment
    reports = ROOT / "out" / "reports"
    reports.mkdir(parents=True, exist_ok=True)
    args.out.mkdir(parents=True, exist_ok=True)
    for language in ("en", "zh", "bilingual"):
        pdf = make_report(loaded, assessment, data, language, TODAY).pdf
        path = reports / f"s2-{language}.pdf"
        path.write_bytes(pdf)
        for name, page in chapter_pages(pdf).items():
            stem = args.out / f"report-s2-{language}-{name}"
            subprocess.run(["pdftoppm", "-png", "-r", "80", "-singlefile", "-f", str(page), "-l", str(page), str(path), str(stem)], check=True)
            print(f"wrote {stem}.png (page {page})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
