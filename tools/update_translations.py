"""Re-extract the app's strings and merge them into dpia_app/locale/*/dpia.po, then compile .mo.

Run after changing user-visible strings in dpia_app (not the form pack, which carries its own
translations):  .venv/bin/python tools/update_translations.py
New strings arrive untranslated (msgstr ""); translate them in the .po and run the script again.
"""

from __future__ import annotations

import io
import subprocess
import sys
import tempfile
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "dpia_app" / "locale"


def extract() -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "dpia.pot"
        command = [sys.executable, "-m", "babel.messages.frontend", "extract", "-k", "n_:1,2", "-k", "_", "-k", "N_",
                   "--no-location", "--omit-header", "--sort-output", "-o", str(output), str(ROOT / "dpia_app")]
        subprocess.run(command, check=True, capture_output=True)
        return output.read_bytes()


def main() -> int:
    template = read_po(io.BytesIO(extract()))
    for po_path in sorted(LOCALE.glob("*/LC_MESSAGES/dpia.po")):
        with po_path.open("rb") as stream:
            catalog = read_po(stream, locale=po_path.parent.parent.name)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        with po_path.open("wb") as stream:
            write_po(stream, catalog, omit_header=False, no_location=True, sort_output=True, width=100)
        with po_path.with_suffix(".mo").open("wb") as stream:
            write_mo(stream, catalog)
        missing = [m.id for m in catalog if m.id and not (all(m.string) if isinstance(m.string, tuple) else m.string)]
        print(f"{po_path.relative_to(ROOT)}: {len(catalog)} messages, {len(missing)} untranslated")
        for message_id in missing:
            print("  untranslated:", message_id)
    return 0


if __name__ == "__main__":
    sys.exit(main())
