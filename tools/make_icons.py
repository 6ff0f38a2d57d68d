"""Generate the app and document icons (.ico, .icns, .png) from the SVG sources in packaging/icons.

Run after editing an SVG:  .venv/bin/python tools/make_icons.py  [--preview FOLDER]
The results are committed, so building an installer never needs Qt to render SVG.

Qt's QSvgRenderer rasterises each size from the SVG (no resampling blur); Pillow packs the PNGs into
the Windows .ico. The macOS .icns is written here: Pillow's writer leaves out the 16 and 32 px
entries (icp4, icp5) that Finder's list view and the Dock's small sizes use.
A `<name>-small.svg` beside a source, if present, is drawn for 16 to 32 px: at those sizes the full
mark's detail turns to mush, so the small variant is simplified by hand.
--preview writes contact sheets on a light and a dark background to look at.
"""

from __future__ import annotations

import argparse
import io
import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PIL import Image  # noqa: E402
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "packaging" / "icons"
# PNGs the app sets as its window icon (found with importlib.resources, so frozen apps have them).
PACKAGE_ICONS = ROOT / "dpia_app" / "icons"

ICONS = ("dpia-app", "dpia-document")
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# Linux hicolor theme sizes (share/icons/hicolor/<n>x<n>/apps).
PNG_SIZES = (16, 32, 48, 64, 128, 256, 512)
WINDOW_ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)
SMALL_UP_TO = 32
# macOS draws app icons inside a margin (Apple's grid: 824 of 1024 px), Windows and Linux edge to
# edge; without it the shield would look a size larger than its neighbours in the Dock.
MAC_MARGIN = 100 / 1024
# ICNS entry types and pixel sizes, as Apple's iconutil writes them (16..512 pt, each also @2x).
ICNS_ENTRIES = (
    (b"icp4", 16), (b"ic11", 32),    # 16 pt, @2x
    (b"icp5", 32), (b"ic12", 64),    # 32 pt, @2x
    (b"ic07", 128), (b"ic13", 256),  # 128 pt, @2x
    (b"ic08", 256), (b"ic14", 512),  # 256 pt, @2x
    (b"ic09", 512), (b"ic10", 1024), # 512 pt, @2x
)


def render(svg: Path, size: int, margin: float = 0.0) -> Image.Image:
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg}: not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    inset = size * margin
    renderer.render(painter, QRectF(inset, inset, size - 2 * inset, size - 2 * inset))
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return Image.open(io.BytesIO(bytes(data))).convert("RGBA")


def source_for(name: str, size: int) -> Path:
    small = SOURCES / f"{name}-small.svg"
    return small if size <= SMALL_UP_TO and small.is_file() else SOURCES / f"{name}.svg"


def png_bytes(image: Image.Image) -> bytes:
    out = io.BytesIO()
    # optimize: smaller files; no text chunks or timestamps, so a re-run gives identical bytes.
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def write_icns(path: Path, images: dict[int, Image.Image]) -> None:
    chunks = b"".join(kind + struct.pack(">I", 8 + len(data)) + data
                      for kind, data in ((kind, png_bytes(images[size])) for kind, size in ICNS_ENTRIES))
    path.write_bytes(b"icns" + struct.pack(">I", 8 + len(chunks)) + chunks)


def write_ico(path: Path, images: dict[int, Image.Image]) -> None:
    largest = images[max(ICO_SIZES)]
    largest.save(path, "ICO", sizes=[(s, s) for s in ICO_SIZES], append_images=[images[s] for s in ICO_SIZES])


def make(name: str) -> dict[int, Image.Image]:
    sizes = sorted(set(ICO_SIZES) | set(PNG_SIZES) | {size for _kind, size in ICNS_ENTRIES})
    images = {size: render(source_for(name, size), size) for size in sizes}
    for size in PNG_SIZES:
        (SOURCES / f"{name}-{size}.png").write_bytes(png_bytes(images[size]))
    write_ico(SOURCES / f"{name}.ico", images)
    write_icns(SOURCES / f"{name}.icns", {size: render(source_for(name, size), size, MAC_MARGIN) for _kind, size in ICNS_ENTRIES})
    return images


def preview(folder: Path, rendered: dict[str, dict[int, Image.Image]]) -> None:
    """Each icon at 16, 24, 32, 48, 256 px on light and dark, and the small sizes enlarged 8x."""
    folder.mkdir(parents=True, exist_ok=True)
    shown = (16, 24, 32, 48, 256)
    for background, label in (((246, 246, 246, 255), "light"), ((32, 33, 36, 255), "dark")):
        width = sum(shown) + 16 * (len(shown) + 1) + 3 * (32 * 8 + 16)
        height = 16 + (32 * 8 + 16) * len(rendered)
        sheet = Image.new("RGBA", (width, height), background)
        for row, (name, images) in enumerate(rendered.items()):
            y = 16 + row * (32 * 8 + 16)
            x = 16
            for size in shown:
                sheet.alpha_composite(images[size], (x, y))
                x += size + 16
            for size in (16, 24, 32):
                sheet.alpha_composite(images[size].resize((size * 8, size * 8), Image.Resampling.NEAREST), (x, y))
                x += 32 * 8 + 16
        sheet.convert("RGB").save(folder / f"icons-{label}.png")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preview", type=Path, help="also write contact sheets on light and dark backgrounds here")
    args = parser.parse_args(argv)
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 - QImage painting needs one
    rendered = {name: make(name) for name in ICONS}
    PACKAGE_ICONS.mkdir(exist_ok=True)
    for size in WINDOW_ICON_SIZES:
        (PACKAGE_ICONS / f"dpia-app-{size}.png").write_bytes(png_bytes(rendered["dpia-app"][size]))
    if args.preview:
        preview(args.preview, rendered)
    for path in sorted(SOURCES.glob("*.ic*")) + sorted(PACKAGE_ICONS.glob("*.png")):
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
