"""Re-create the report's bundled fonts (dpia_app/fonts/*.otf) from Debian's fonts-noto-cjk.

    sudo apt-get install fonts-noto-cjk && .venv/bin/python tools/extract_fonts.py

The Simplified Chinese faces are saved unchanged as single OpenType fonts: WeasyPrint loads a
single font through @font-face more reliably than a face inside a collection, and the app then
looks the same on every machine whatever fonts that machine has. Not run by the app or the tests.
The fallback fonts beside them (DejaVu Sans; Noto Serif Tibetan, Noto Sans Mongolian and Yi)
are copied unchanged from Debian's fonts-dejavu-core and fonts-noto-core; see OFL.txt and
LICENSE-DejaVu.txt in that folder.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools.ttLib import TTCollection

SOURCE = Path("/usr/share/fonts/opentype/noto")
TARGET = Path(__file__).resolve().parent.parent / "dpia_app" / "fonts"
FACES = {"Regular": "Noto Sans CJK SC", "Bold": "Noto Sans CJK SC Bold"}


def main() -> int:
    for weight, full_name in FACES.items():
        collection = TTCollection(SOURCE / f"NotoSansCJK-{weight}.ttc")
        face = next((f for f in collection.fonts if f["name"].getDebugName(4) == full_name), None)
        if face is None:
            print(f"{full_name} is not in {SOURCE}/NotoSansCJK-{weight}.ttc", file=sys.stderr)
            return 1
        target = TARGET / f"NotoSansCJKsc-{weight}.otf"
        face.save(target)
        print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
