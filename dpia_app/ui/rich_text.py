"""Small HTML fragments for the read-only text panels; every text is escaped, nothing is linked.

Callers pass already-translated text (`paragraph(_("..."))`), so the message extractor sees every
`_()` call; it cannot see calls written inside f-strings.
"""

from __future__ import annotations

import html
from collections.abc import Iterable


def paragraph(text: str, bold: bool = False) -> str:
    body = html.escape(text)
    return f"<p><b>{body}</b></p>" if bold else f"<p>{body}</p>"


def heading(text: str, level: int = 3) -> str:
    return f"<h{level}>{html.escape(text)}</h{level}>"


def numbered(items: Iterable[str]) -> str:
    """An ordered list, for steps that must be taken in order."""
    rows = "".join(f"<li>{html.escape(item)}</li>" for item in items)
    return f"<ol>{rows}</ol>" if rows else ""


def bullets(items: Iterable[str]) -> str:
    return "<ul>" + "".join(f"<li>{html.escape(item)}</li>" for item in items) + "</ul>"


def link(target: str, text: str) -> str:
    """An in-app link (finding:R-…, question:…); the page that shows it decides what it opens."""
    return f'<a href="{html.escape(target)}">{html.escape(text)}</a>'


def linked_items(items: Iterable[tuple[str, str, str]]) -> str:
    """A list of (target, text, secondary text) with the text as a link and the secondary text small."""
    rows = "".join(f"<li>{link(target, text)}{' <small>' + html.escape(extra) + '</small>' if extra else ''}</li>"
                   for target, text, extra in items)
    return f"<ul>{rows}</ul>" if rows else ""


def nested_bullets(entries: Iterable[tuple[str, str]]) -> str:
    """Bullets of (plain text, ready-made HTML below it), e.g. a reason and the linked items it names."""
    rows = "".join(f"<li>{html.escape(text)}{below}</li>" for text, below in entries)
    return f"<ul>{rows}</ul>" if rows else ""
