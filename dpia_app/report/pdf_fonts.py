"""Which fonts a report PDF uses, and whether each is embedded and is one of the app's bundled fonts.

Shared by the report's tests and the installed app's self-test (dpia_app.selftest), so that both
judge a PDF the same way. A font counts as bundled when both of its names are ours:
- the PDF name (BaseFont without the subset tag) starts with a bundled family, "Report-Sans-Bold"
  for "Report Sans": WeasyPrint names a font after the family of the face Pango actually loaded, so
  a system font that stepped in would carry its own family name;
- the PostScript name inside the embedded font program (name ID 6, which both HarfBuzz's and
  fontTools' subsetters keep) is that of one of the files in dpia_app/fonts: this holds even if
  some other font were registered under one of our family names.
Reads PDFs with pypdf and fonts with fontTools, both runtime dependencies (WeasyPrint needs them).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pypdf import PdfReader

from .pdf import FONT_FACES, fonts_dir

FONT_FILE_KEYS = ("/FontFile", "/FontFile2", "/FontFile3")


@dataclass(frozen=True)
class PdfFont:
    pdf_name: str  # BaseFont without the six-letter subset tag, e.g. "Report-Sans-Bold"
    embedded: bool
    program_name: str  # PostScript name inside the embedded font program; "" if none or unreadable


def bundled_pdf_names() -> tuple[str, ...]:
    """The PDF names of the bundled families as WeasyPrint writes them ("Report Sans" -> "Report-Sans")."""
    return tuple(dict.fromkeys(family.replace(" ", "-") for family, _weight, _style, _file in FONT_FACES))


@lru_cache(maxsize=1)
def bundled_program_names() -> frozenset[str]:
    """The PostScript names of the font files in dpia_app/fonts that the report uses."""
    from fontTools.ttLib import TTFont

    names = set()
    for file in dict.fromkeys(name for _family, _weight, _style, name in FONT_FACES):
        # lazy: only the name table is read, not the 16 MB of CJK outlines.
        with TTFont(fonts_dir() / file, lazy=True) as font:
            names.add(_postscript_name(font))
    return frozenset(names)


def fonts_in_pdf(reader: PdfReader) -> list[PdfFont]:
    """Every distinct font on any page, including those used inside form XObjects (drawings)."""
    found: dict[int, PdfFont] = {}
    for font in _font_dictionaries(reader):
        if _key(font) not in found:
            found[_key(font)] = _describe(font)
    return list(found.values())


def font_problems(fonts: Iterable[PdfFont]) -> list[str]:
    """One line per font that is not embedded or is not one of the bundled fonts; empty when all is well."""
    families, programs = bundled_pdf_names(), bundled_program_names()
    problems = []
    for font in fonts:
        if not font.embedded:
            problems.append(f"{font.pdf_name}: not embedded")
        elif not font.pdf_name.startswith(families):
            problems.append(f"{font.pdf_name}: not a bundled font family (expected one of {', '.join(families)})")
        elif font.program_name not in programs:
            problems.append(f"{font.pdf_name}: the embedded program is {font.program_name or 'unnamed'!r}, not one of the bundled fonts")
    return problems


def _font_dictionaries(reader: PdfReader) -> Iterator[Any]:
    seen: set[int] = set()
    for page in reader.pages:
        yield from _fonts_of_resources(page.get("/Resources"), seen)


def _fonts_of_resources(resources: Any, seen: set[int]) -> Iterator[Any]:
    # WeasyPrint shares one resource dictionary among pages and drawings: visit each object once.
    if resources is None:
        return
    resources = resources.get_object()
    if _key(resources) in seen:
        return
    seen.add(_key(resources))
    for font in resources.get("/Font", {}).values():
        yield font.get_object()
    for xobject in resources.get("/XObject", {}).values():
        xobject = xobject.get_object()
        if "/Resources" in xobject:
            yield from _fonts_of_resources(xobject["/Resources"], seen)


def _key(pdf_object: Any) -> int:
    """The object number of a PDF object; its identity for a direct one (pypdf caches what it read)."""
    reference = getattr(pdf_object, "indirect_reference", None)
    return reference.idnum if reference is not None else id(pdf_object)


def _describe(font: Any) -> PdfFont:
    name = str(font.get("/BaseFont", "")).lstrip("/").split("+")[-1]
    descendants = font.get("/DescendantFonts")
    described = descendants[0].get_object() if descendants else font
    descriptor = described.get("/FontDescriptor")
    descriptor = descriptor.get_object() if descriptor is not None else {}
    program = next((descriptor[key].get_object() for key in FONT_FILE_KEYS if key in descriptor), None)
    return PdfFont(name, program is not None, _program_name(program.get_data()) if program is not None else "")


def _program_name(data: bytes) -> str:
    """The PostScript name of an embedded OpenType/TrueType program; "" for bare CFF or Type 1."""
    from fontTools.ttLib import TTFont, TTLibError

    try:
        with TTFont(io.BytesIO(data), lazy=True) as font:
            return _postscript_name(font)
    except (TTLibError, KeyError, ValueError, AssertionError):
        return ""


def _postscript_name(font: Any) -> str:
    if "name" not in font:
        return ""
    return str(font["name"].getDebugName(6) or "")
