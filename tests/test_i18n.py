"""The app's own strings are translated and the compiled catalogs match their sources."""

from __future__ import annotations

import io
from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

LOCALE = Path(__file__).parent.parent / "dpia_app" / "locale"


def test_every_message_has_a_chinese_translation_and_the_mo_is_current():
    po_path = LOCALE / "zh_Hans" / "LC_MESSAGES" / "dpia.po"
    with po_path.open("rb") as stream:
        po = read_po(stream)
    with po_path.with_suffix(".mo").open("rb") as stream:
        mo = read_mo(stream)
    untranslated = [m.id for m in po if m.id and not (all(m.string) if isinstance(m.string, tuple) else m.string)]
    assert untranslated == []
    def pairs(catalog):
        return {(tuple(m.id) if isinstance(m.id, (list, tuple)) else m.id): (tuple(m.string) if isinstance(m.string, (list, tuple)) else m.string) for m in catalog if m.id}

    assert pairs(po) == pairs(mo), "run tools/update_translations.py"


def test_every_string_in_the_code_is_in_the_catalog():
    import sys

    sys.path.insert(0, str(LOCALE.parent.parent / "tools"))
    from update_translations import extract

    extracted = {m.id for m in read_po(io.BytesIO(extract())) if m.id}
    with (LOCALE / "zh_Hans" / "LC_MESSAGES" / "dpia.po").open("rb") as stream:
        known = {m.id for m in read_po(stream) if m.id}
    assert extracted - known == set(), "new strings: run tools/update_translations.py and translate them"
