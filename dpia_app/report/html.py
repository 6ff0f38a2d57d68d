"""The report as HTML: report_templates/ rendered with Jinja2, every value escaped.

Autoescaping is on for everything, so answers containing markup, CSS or links print as the text
that was typed. The templates only lay out what content.py decided; they hold no wording.
"""

from __future__ import annotations

import importlib.resources
from functools import lru_cache

from jinja2 import Environment, FunctionLoader, StrictUndefined, select_autoescape

from .content import Report

TEMPLATES = "dpia_app.report_templates"
MAIN_TEMPLATE = "report.html.j2"
STYLE_SHEET = "report.css"


def _load(name: str) -> str | None:
    resource = importlib.resources.files(TEMPLATES) / name
    if not resource.is_file():
        return None
    return resource.read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def environment() -> Environment:
    return Environment(
        loader=FunctionLoader(_load),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def style_sheet() -> str:
    text = _load(STYLE_SHEET)
    if text is None:  # pragma: no cover - a broken installation
        raise FileNotFoundError(f"{STYLE_SHEET} is missing from {TEMPLATES}")
    return text


def render_html(report: Report) -> str:
    return environment().get_template(MAIN_TEMPLATE).render(report=report)
