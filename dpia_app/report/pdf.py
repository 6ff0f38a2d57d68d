"""HTML to PDF/A-3b with WeasyPrint: bundled fonts, the draft attached, tags on request, nothing fetched.

The renderer reads only the app's own fonts and style sheet. Its URL fetcher refuses every other
address (http, https, data, ftp, file:// outside the app), so a draft that contains
`<img src="file:///etc/passwd">` or a link to a tracking pixel cannot make the report read a file
or touch the network: the text is escaped anyway, and a URL that slipped through would be refused.
WeasyPrint is imported here only, when a report is made, never at start-up.
"""

from __future__ import annotations

import atexit
import gc
import importlib.resources
import io
import logging
import mimetypes
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from .libraries import require_report_libraries
from .html import MAIN_TEMPLATE, STYLE_SHEET, TEMPLATES, environment, style_sheet

# (family, weight, style, file) of the bundled fonts. Noto Sans CJK SC sets Chinese and English; the
# families after it supply what it lacks, in this order (report.css names them in its font stack):
# accented Latin, Greek, Hebrew, Arabic script for Uyghur, symbols; Tibetan; Mongolian; Yi.
# Italic uses the upright faces: CJK fonts have no italics, and a system font must not step in.
FONT_FACES = (
    ("Report Sans", "normal", "normal", "NotoSansCJKsc-Regular.otf"),
    ("Report Sans", "bold", "normal", "NotoSansCJKsc-Bold.otf"),
    ("Report Sans", "normal", "italic", "NotoSansCJKsc-Regular.otf"),
    ("Report Sans", "bold", "italic", "NotoSansCJKsc-Bold.otf"),
    ("Report Fallback", "normal", "normal", "DejaVuSans.ttf"),
    ("Report Fallback", "bold", "normal", "DejaVuSans-Bold.ttf"),
    ("Report Tibetan", "normal", "normal", "NotoSerifTibetan-Regular.ttf"),
    ("Report Mongolian", "normal", "normal", "NotoSansMongolian-Regular.ttf"),
    ("Report Yi", "normal", "normal", "NotoSansYi-Regular.ttf"),
)
PDF_VARIANT = "pdf/a-3b"
ATTACHMENT_DESCRIPTION = "The assessment draft this report was made from (open it with the DPIA app)"

Progress = Callable[[str], None]


def fonts_dir() -> Path:
    return Path(str(importlib.resources.files("dpia_app") / "fonts"))


def templates_dir() -> Path:
    return Path(str(importlib.resources.files(TEMPLATES)))


@dataclass
class RenderOptions:
    # The saved draft the PDF carries; None for the public summary, which must not carry the
    # assessment's confidential details.
    attachment: bytes | None
    attachment_name: str
    # The footer's words around the page numbers, in the report's main language.
    page_label: str = "Page %(page)s of %(pages)s"
    # Tagged for screen readers (a structure tree): always with PDF/UA, and for the public summary.
    tagged: bool = False
    pdf_ua: bool = False
    refused: list[str] = field(default_factory=list)


def font_face_css() -> str:
    folder = fonts_dir().resolve()
    return "\n".join(
        f'@font-face {{ font-family: "{family}"; font-weight: {weight}; font-style: {style}; src: url("{(folder / name).as_uri()}"); }}'
        for family, weight, style, name in FONT_FACES)


def page_footer_css(page_label: str) -> str:
    """'Page %(page)s of %(pages)s' as CSS content with the page counters in place."""
    before, _page, rest = page_label.partition("%(page)s")
    between, _pages, after = rest.partition("%(pages)s")
    before, between, after = (_css_string(part) for part in (before, between, after))
    return f"@page {{ @bottom-right {{ content: {before} counter(page) {between} counter(pages) {after}; }} }}\n@page :first {{ @bottom-right {{ content: none; }} }}"


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


@dataclass
class _Renderer:
    """What every report of this process shares: the bundled fonts registered (0.4 s) and the
    style sheets parsed. Built once, ahead of time in the export child (warm_up)."""

    fonts: Any
    fetcher: Any
    base_url: str
    stylesheets: list[Any]


@lru_cache(maxsize=1)
def _renderer() -> _Renderer:
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    # One font configuration for the style sheets and the layout: @font-face rules only reach the
    # layout through it, and without them Pango would pick whatever fonts this machine has.
    fonts = FontConfiguration()
    fetcher = _resource_fetcher_class()(roots=(fonts_dir(), templates_dir()), refused=[])
    base_url = templates_dir().resolve().as_uri() + "/"
    stylesheets = [
        weasyprint.CSS(string=font_face_css(), base_url=base_url, url_fetcher=fetcher, font_config=fonts),
        weasyprint.CSS(string=style_sheet(), base_url=base_url + STYLE_SHEET, url_fetcher=fetcher, font_config=fonts),
    ]
    return _Renderer(fonts, fetcher, base_url, stylesheets)


def release() -> None:
    """Free the shared renderer: its font configuration removes the temporary folder of fonts."""
    _renderer.cache_clear()
    gc.collect()


# The font configuration keeps the fonts in a temporary folder that it removes when it is freed; at
# interpreter exit that would come too late (its modules are gone), so the cache is let go first.
atexit.register(release)


def warm_up() -> None:
    """Register the fonts, parse the style sheets and compile the templates now, before a report is
    asked for (0.5 s together). The compiled templates are not cached on disk: loading compiled
    code from a user-writable folder is a way in that 0.1 s per command-line run does not justify."""
    require_report_libraries()
    _renderer()
    environment().get_template(MAIN_TEMPLATE)


def render_pdf(html: str, options: RenderOptions, progress: Progress | None = None) -> bytes:
    """The PDF bytes of a report's HTML; raises MissingReportLibrary if WeasyPrint cannot run here."""
    require_report_libraries()
    import weasyprint

    renderer = _renderer()
    fonts, fetcher, base_url = renderer.fonts, renderer.fetcher, renderer.base_url
    fetcher.refused = options.refused  # what this report asked for and was refused
    stylesheets = [
        *renderer.stylesheets,
        weasyprint.CSS(string=page_footer_css(options.page_label), base_url=base_url, url_fetcher=fetcher, font_config=fonts),
    ]
    attachments = [] if options.attachment is None else [weasyprint.Attachment(
        file_obj=io.BytesIO(options.attachment),
        name=options.attachment_name,
        description=ATTACHMENT_DESCRIPTION,
        relationship="Source",
    )]
    with _forward_progress(progress):
        document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(stylesheets=stylesheets, font_config=fonts)
        if progress:
            progress("pdf")
        return document.write_pdf(
            pdf_variant=PDF_VARIANT,
            # Tagging on request only: on the 24-page English S2 filing report it doubles the time
            # spent writing the PDF (0.64 s untagged, 1.35 s tagged; a fifth of the whole export,
            # measured 2026-12-02). The public summary, published for anyone, is always tagged.
            pdf_tags=options.tagged or options.pdf_ua,
            attachments=attachments,
            finisher=_declare_pdf_ua if options.pdf_ua else None,
        )


def _resource_fetcher_class():
    """A URLFetcher that serves files under the given folders and refuses everything else."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class ResourceOnlyFetcher(URLFetcher):
        def __init__(self, roots: tuple[Path, ...], refused: list[str]):
            super().__init__(allowed_protocols=("file",), allow_redirects=False, fail_on_errors=False)
            self.roots = tuple(root.resolve() for root in roots)
            self.refused = refused

        def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
            path = _local_path(url)
            if path is not None and path.is_file() and any(path.is_relative_to(root) for root in self.roots):
                content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": content_type})
            self.refused.append(url)
            raise ValueError(f"the report only uses the app's own resources; refused {url[:200]}")

    return ResourceOnlyFetcher


def _local_path(url: str) -> Path | None:
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    try:
        return Path(url2pathname(parts.path)).resolve()
    except (OSError, ValueError):
        return None


_STEP = re.compile(r"Step (\d+)(?: - Creating layout - Page (\d+))?")


class _StepHandler(logging.Handler):
    def __init__(self, progress: Progress):
        super().__init__(logging.INFO)
        self.progress = progress

    def emit(self, record: logging.LogRecord) -> None:
        # WeasyPrint announces "Step 1 - Fetching and parsing HTML" ... "Step 5 - Creating layout -
        # Page 12" ... "Step 7 - Adding PDF metadata"; passed on as "1" ... "5:12" ... "7".
        match = _STEP.match(record.getMessage())
        if match:
            step, page = match.groups()
            self.progress(f"{step}:{page}" if page else step)


class _forward_progress:
    def __init__(self, progress: Progress | None):
        self.progress = progress
        self.handler: _StepHandler | None = None
        self.logger = logging.getLogger("weasyprint.progress")
        self.level = self.logger.level

    def __enter__(self) -> None:
        if self.progress is not None:
            self.handler = _StepHandler(self.progress)
            self.logger.addHandler(self.handler)
            self.logger.setLevel(logging.INFO)

    def __exit__(self, *exc: object) -> None:
        if self.handler is not None:
            self.logger.removeHandler(self.handler)
            self.logger.setLevel(self.level)


def _declare_pdf_ua(document: object, pdf: object) -> None:
    """Also declare PDF/UA-1 in the XMP metadata: the file stays PDF/A-3b and is tagged either way.

    WeasyPrint writes one identification (PDF/A or PDF/UA); an archive copy that a screen reader
    can rely on needs both, so the PDF/UA part is added next to the PDF/A part it wrote.
    """
    reference = pdf.catalog["Metadata"]  # type: ignore[attr-defined]
    reference = int((reference.decode() if isinstance(reference, bytes) else str(reference)).split()[0])
    stream = pdf.objects[reference]  # type: ignore[attr-defined]
    marker = b'pdfaid:part="3"'
    stream.stream = [
        chunk.replace(marker, marker + b' xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/" pdfuaid:part="1"', 1)
        if isinstance(chunk, bytes) else chunk
        for chunk in stream.stream
    ]
