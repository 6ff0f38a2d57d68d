"""Hostile text in the PDF report (issue 13): a long unbroken word, a megabyte answer, markup in
every field a person types.

A word longer than its column once made layout time grow with the square of its length (20,000
characters: 51 s) and a 1 MB word printed some 40 characters. The timings live in
bench/long_words.py; these tests hold the structure that keeps layout linear (no text box holds more
than content.PIECE characters of a typed value, a long stretch without a space has break
opportunities) and what a reader sees: every character inside the page, or a note where the report
stops printing a very long text.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader

from dpia_app.core.assessment import Action, SignOff
from dpia_app.core.drafts import new_assessment, serialise
from dpia_app.core.evaluation import evaluate
from dpia_app.i18n import gettext_for
from dpia_app.report import content, make_report
from dpia_app.report.content import (
    BREAK,
    PIECE,
    RUN_STEP,
    RUNNING_TITLE,
    Printable,
    build_report,
    printable_text,
)
from dpia_app.report.html import render_html

from .conftest import example_answers

TODAY = dt.date(2026, 12, 1)
CUT = "… (truncated, %(n)s characters; full text in the attached draft)"

# 6,000 characters without a space, each stretch of it different, so a lost or repeated piece shows.
HEX_WORD = "".join(f"{i:04x}" for i in range(1500))


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _text(pdf: bytes) -> str:
    return _squash("".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages))


def _text_outside_the_print_area(pdf: bytes) -> list[tuple[int, str]]:
    """Text that starts past the right margin of an A4 page (18 mm), as a word too long for its column did."""
    right = (210 - 18) / 25.4 * 72 + 2
    outside: list[tuple[int, str]] = []
    for number, page in enumerate(PdfReader(io.BytesIO(pdf)).pages, start=1):
        def visit(text, cm, tm, _font, _size, number=number):
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            if text.strip() and x > right:
                outside.append((number, text.strip()[:40]))
        page.extract_text(visitor_text=visit)
    return outside


def _assessment(mini, text: str, *, title: str = "Gate 3", answers: dict | None = None):
    """A draft with `text` in every kind of field a person types (the short fields get its start)."""
    short = text[:1000]  # the draft's limit for a title, an owner or a position
    return new_assessment(mini, title=title).model_copy(update={
        "answers": answers if answers is not None else {
            "alt.offered": "no", "alt.why_not": text, "who.contact": short,
            "devices.places": [{"name": text, "room": "lobby", "count": 2}, {"name": "Gate 2", "room": "lobby", "count": 1}]},
        "notes": {"alt.offered": text},
        "actions": [Action(id="A-1", measure=text[:10_000], owner=short, finding_ids=["R-ALT-01"])],
        "signoffs": [SignOff(role="assessor", name=text, position=short, signed_on=TODAY, decision="do_not_proceed",
                             opinion=text, conditions=text)],
    })


def _report(mini, assessment, language="en", edition="filing"):
    return build_report(mini, assessment, evaluate(mini, assessment, TODAY), serialise(assessment), language, TODAY, edition)


# --- the content layer -----------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "A" * 20_000,
    HEX_WORD,
    "https://intranet.example.cn/evidence?" + "&id=".join(HEX_WORD[i:i + 24] for i in range(0, 3000, 24)),
    "ئەخمەتئىمىن" * 300 + "Łódź" * 300,  # Uyghur and accented Latin without a space
    "e\u0301" * 5000,  # a letter and its combining accent, 10,000 times
    ("W" * 40 + " ") * 100,  # words too long for a narrow column, in a long text
])
def test_a_long_run_without_a_space_gets_invisible_breaks_and_is_printed_in_short_pieces(text):
    printed = printable_text(text)
    assert isinstance(printed, Printable)
    assert printed.replace(BREAK, "") == text, "nothing lost, changed or moved"
    assert max(len(stretch) for stretch in re.split(r"[\s\u200b\-/]", printed)) <= 2 * RUN_STEP
    assert "".join(printed.pieces) == printed and max(len(piece) for piece in printed.pieces) <= PIECE
    assert not any(piece[0] == "\u0301" for piece in printed.pieces[1:]), "an accent stays with its letter"
    assert "\u200b\u0301" not in printed


def test_ordinary_text_is_printed_as_typed():
    sha256 = "f08d309e7cedf1a1897b88a94d6c6988432545a7b0b7d3b720a0c2a3b1e0d9f1"
    for text in ("Mall operations director", sha256, "service@xinghe-plaza.example.cn", "VIP shopper recognition " * 3):
        assert printable_text(text) == text and not isinstance(printable_text(text), Printable)
    # Long text keeps its words, whole: its lines break at its spaces.
    words = "Recognise returning shoppers so that tenant stores can send them offers. " * 200
    assert printable_text(words) == words
    # Chinese breaks between any two characters already: pieces, and no break added.
    chinese = "人脸识别系统仅在入口处比对会员照片，不保存原始图像。" * 400
    printed = printable_text(chinese)
    assert BREAK not in printed and "".join(printed.pieces) == chinese and max(map(len, printed.pieces)) <= PIECE


def test_the_content_layer_makes_every_typed_field_printable(mini):
    report = _report(mini, _assessment(mini, HEX_WORD, title=HEX_WORD[:1000]))
    questions = {q.question_id: q for topic in report.topics for q in topic.questions}
    signoff, action = report.signoffs[0], report.actions[0]
    table = questions["devices.places"].answer.table
    values = [report.title, questions["alt.why_not"].answer.text.main, questions["who.contact"].answer.text.main,
              questions["alt.offered"].note, table.rows[0][0], action.measure, action.owner,
              signoff.name, signoff.position, signoff.opinion, signoff.conditions]
    for value in values:
        assert isinstance(value, Printable) and BREAK in value and max(map(len, value.pieces)) <= PIECE
        assert HEX_WORD.startswith(value.replace(BREAK, "").removesuffix(value.cut)[:1000])
    assert len(report.running_title.replace(BREAK, "")) <= RUNNING_TITLE and report.running_title.endswith("…")


def test_identifiers_from_an_edited_draft_are_cut_short_not_printed_whole(mini):
    """Ids print without line breaks: an action id, a linked finding or risk id, or the id of an answer
    the pack does not know, as long as the file allows, would run off the page."""
    long_id = "ID-" + HEX_WORD[:5_000]
    assessment = _assessment(mini, "short").model_copy(update={
        "metadata": new_assessment(mini).metadata.model_copy(update={"assessment_id": long_id}),
        "answers": {"alt.offered": "no", long_id: "kept"},
        "actions": [Action(id=long_id, measure="Offer a card", finding_ids=["R-ALT-01", long_id], risk_ids=[long_id])],
    })
    report = _report(mini, assessment)
    action = report.actions[0]
    cut = long_id[:content.IDENTIFIER_LIMIT - 1] + "…"
    assert action.action_id == cut
    assert [f.actions for f in report.findings if f.rule_id == "R-ALT-01"] == [(cut,)]
    assert [t.text for t in action.findings if t.anchor is None] == [cut] and [t.text for t in action.risks] == [cut]
    assert report.orphaned_answers[0][0] == cut
    assert content.printable_identifier("A-1f2e3d4c") == "A-1f2e3d4c"
    assert any(fact.value.main == cut for fact in report.cover_facts)
    made = make_report(mini, assessment, serialise(assessment), "en", TODAY)
    assert _text_outside_the_print_area(made.pdf) == []


# --- what the reader gets --------------------------------------------------------------------


def test_a_long_word_in_every_field_stays_inside_the_page_one_short_text_box_at_a_time(mini):
    assessment = _assessment(mini, HEX_WORD, title="Z" * 1000)
    body = render_html(_report(mini, assessment)).partition("<body")[2]
    # No text box holds more than PIECE characters of the word (the structure that keeps layout linear).
    assert not re.findall(r"[0-9a-f\u200b]{%d,}" % (PIECE + 1), body)
    made = make_report(mini, assessment, serialise(assessment), "en", TODAY)
    assert _text_outside_the_print_area(made.pdf) == []


def test_every_character_of_a_long_word_is_printed_in_order(mini):
    word = HEX_WORD[:2_000]  # on one page: the text of a page break would come between its parts
    assessment = new_assessment(mini).model_copy(update={"answers": {"alt.offered": "no"}, "notes": {"alt.offered": word}})
    made = make_report(mini, assessment, serialise(assessment), "en", TODAY)
    assert word in _text(made.pdf)  # the break opportunities print nothing and copied text leaves them out


def test_a_long_chinese_text_in_a_table_cell_is_printed_whole(mini):
    # Chinese breaks anywhere, but a table sizes its columns one character at a time: a long cell
    # once took 7 s for 2,000 characters.
    chinese = "".join(f"第{i}号闸机位于北门入口左侧" for i in range(120))
    answers = {"alt.offered": "no", "devices.places": [{"name": chinese, "room": "lobby", "count": 1}]}
    assessment = new_assessment(mini).model_copy(update={"answers": answers})
    html = render_html(_report(mini, assessment, "zh"))
    assert not any(len(node) > PIECE for node in re.findall(r">([^<]*第[^<]*)<", html))
    made = make_report(mini, assessment, serialise(assessment), "zh", TODAY)
    assert chinese in _text(made.pdf)
    assert _text_outside_the_print_area(made.pdf) == []


@pytest.mark.parametrize("language", ["en", "zh"])
def test_an_answer_longer_than_the_limit_is_cut_with_a_note_giving_its_length(mini, monkeypatch, language):
    monkeypatch.setattr(content, "TEXT_LIMIT", 3_000)  # the same cut as at 60,000 characters, faster
    long_text = "lorem ipsum " * 500 + "THE-END"
    assessment = _assessment(mini, "short", answers={"alt.offered": "no", "alt.why_not": long_text})
    made = make_report(mini, assessment, serialise(assessment), language, TODAY)
    text = _text(made.pdf)
    note = gettext_for("zh-Hans" if language == "zh" else "en")(CUT) % {"n": "6,007"}
    if language == "zh":
        assert note != CUT % {"n": "6,007"}, "the note is translated"
    assert _squash(note) in text
    assert text.count("loremipsum") == 3_000 // len("lorem ipsum ") and "THE-END" not in text
    # The draft inside the PDF keeps every character.
    assert b"THE-END" in serialise(assessment)


def test_a_megabyte_word_is_cut_at_the_limit_and_the_rest_is_said_not_lost(mini, cn_pack):
    report = _report(mini, _assessment(mini, "x", answers={"alt.offered": "no", "alt.why_not": "A" * 1_000_000}))
    answer = next(q for topic in report.topics for q in topic.questions if q.question_id == "alt.why_not").answer.text.main
    assert answer.replace(BREAK, "").removesuffix(answer.cut) == "A" * content.TEXT_LIMIT
    assert answer.cut == CUT % {"n": "1,000,000"}
    # The public summary is published without the draft: its note does not point at one.
    answers = example_answers(cn_pack, "s2-mall-vip-recognition.dpia") | {"purpose.statement": "A" * 1_000_000}
    public = _report(cn_pack, new_assessment(cn_pack).model_copy(update={"answers": answers}), edition="public")
    purpose = next(shown.text.main for part in public.public_parts for _question, shown in part.answers if shown.text and "AAAA" in shown.text.main)
    assert purpose.cut == "… (truncated, 1,000,000 characters)"


def test_a_table_answer_prints_rows_up_to_the_limit_then_counts_the_rest(mini, monkeypatch):
    monkeypatch.setattr(content, "TEXT_LIMIT", 1_000)
    rows = [{"name": f"Entrance {i} " + "x" * 90, "room": "lobby", "count": 1} for i in range(40)]
    report = _report(mini, _assessment(mini, "x", answers={"alt.offered": "no", "devices.places": rows}))
    table = next(q for topic in report.topics for q in topic.questions if q.question_id == "devices.places").answer.table
    printed = [row for row in table.rows if str(row[0]).startswith("Entrance")]
    assert 5 <= len(printed) < 40 and [str(row[0]).split()[1] for row in printed] == [str(i) for i in range(len(printed))]
    assert table.rows[-1][0] == f"… (truncated: {40 - len(printed)} more rows; the full table is in the attached draft)"
    assert len(table.rows[-1]) == len(table.columns)


def test_markup_in_every_typed_field_is_printed_as_text_even_cut_into_pieces(mini):
    # Long enough to be cut into pieces, so a piece boundary falls inside the markup.
    markup = ('<img src="file:///etc/passwd"><script>alert(1)</script><a href="file:///etc/passwd">x</a>'
              '<style>body{background:url(http://127.0.0.1:9/p.png)}</style>') * 12
    assessment = _assessment(mini, markup, title=markup[:1000])
    html = render_html(_report(mini, assessment))
    for tag in ("<img", "<script", "<style", '<a href="file'):
        assert tag not in html, tag
    assert html.count("&lt;img") >= 100  # the title, answers, note, cell, measure and sign-off fields
    made = make_report(mini, assessment, serialise(assessment), "en", TODAY)
    assert made.refused == () and b"/URI" not in made.pdf
    assert _squash('<script>alert(1)</script><a href="file:///etc/passwd">x</a>') in _text(made.pdf)
