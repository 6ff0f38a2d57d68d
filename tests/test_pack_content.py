"""Properties of the built-in China pack's legal content that every future edit must keep."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pydantic import BaseModel

from dpia_app.core.text import LocalizedText

# Article and clause numbers are printed only from a rule's `refs`, through the catalog, which knows
# which numbers are verified. Text that names one itself would bypass that check.
ARTICLE_NUMBER = re.compile(r"\bArts?\.?\s*\d+|\bArticle\s+\d+|第[一二三四五六七八九十百零〇\d.]+条|§\s*\d")


def texts(node, path: str = "pack") -> Iterator[tuple[str, str, str]]:
    if isinstance(node, LocalizedText):
        yield path, "en", node.en
        yield path, "zh-Hans", node.zh_hans
    elif isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from texts(getattr(node, name), f"{path}.{name}")
    elif isinstance(node, (list, tuple)):
        for index, item in enumerate(node):
            yield from texts(item, f"{path}[{getattr(item, 'id', index)}]")
    elif isinstance(node, dict):
        for key, item in node.items():
            yield from texts(item, f"{path}.{key}")


def test_no_article_numbers_in_pack_text(cn_pack):
    found = [(path, language, match.group(0)) for path, language, text in texts(cn_pack.pack) for match in ARTICLE_NUMBER.finditer(text)]
    assert found == []


def test_no_article_numbers_in_catalog_titles_and_summaries(cn_pack):
    # Cross-references between requirements use catalog ids (PIPL-65), which print through citation().
    found = [(r.id, field, m.group(0)) for r in cn_pack.catalog.requirements for field in ("title", "summary")
             for text in (getattr(r, field).en, getattr(r, field).zh_hans) for m in ARTICLE_NUMBER.finditer(text)]
    assert found == []


def test_unverified_article_numbers_never_reach_a_citation(cn_pack):
    catalog = cn_pack.catalog
    for requirement in catalog.requirements:
        citation = catalog.citation(requirement.id)
        if requirement.article_tag == "U":
            assert not citation.article_confirmed
            # The citation carries the marker; the method note says what it means, once.
            assert citation.caveats == ("article_to_be_confirmed",)
            assert citation.text.en.endswith(" †") and citation.text.zh_hans.endswith("†")
            if requirement.article is not None:
                assert requirement.article.en not in citation.text.en
                assert requirement.article.zh_hans not in citation.text.zh_hans


def test_provenance_notes_are_markers_explained_once_not_parentheses_in_every_citation(cn_pack):
    catalog = cn_pack.catalog
    texts = [catalog.citation(r.id).text for r in catalog.requirements]
    for text in texts:
        for parenthesis in ("approval draft", "to be confirmed", "报批稿", "待核实"):
            assert parenthesis not in text.en and parenthesis not in text.zh_hans, text
    draft_clause = catalog.citation("GBT39335-06")
    assert draft_clause.text.en == "GB/T 39335-2020 §5.5.1 ‡" and draft_clause.text.zh_hans.endswith("第5.5.1条‡")
    notes = catalog.caveat_notes(["PIPL-29", "GBT39335-06", "OTH-05", "GBT39335-07"])
    assert [note.marker for note in notes] == ["‡", "†"]
    assert "2019 approval draft" in notes[0].text.en and "2019年报批稿" in notes[0].text.zh_hans
    assert "to be confirmed" in notes[1].text.en and "待核实" in notes[1].text.zh_hans
    assert catalog.caveat_notes(["PIPL-29"]) == []


def test_draft_for_comment_is_never_the_basis_of_a_blocking_or_high_rule(cn_pack):
    drafts = {r.id for r in cn_pack.catalog.requirements if not cn_pack.catalog.instruments[r.instrument].citable_as_law}
    for rule in cn_pack.pack.rules:
        if set(rule.refs) & drafts:
            assert rule.severity == "advisory" or set(rule.refs) - drafts, f"{rule.id} rests on the 2023 draft alone"


def test_every_rule_cites_a_binding_instrument_or_is_advisory(cn_pack):
    catalog = cn_pack.catalog
    for rule in cn_pack.pack.rules:
        binding = [ref for ref in rule.refs if catalog.instruments[catalog.get(ref).instrument].kind != "recommended_standard"
                   and catalog.instruments[catalog.get(ref).instrument].citable_as_law]
        assert binding or rule.severity == "advisory", f"{rule.id} is {rule.severity} but cites only standards or drafts"


def test_every_visible_string_has_both_languages(cn_pack):
    for path, language, text in texts(cn_pack.pack):
        assert text.strip(), f"{path} has no {language} text"
        if language == "zh-Hans" and not path.endswith((".unit",)):
            assert re.search(r"[\u4e00-\u9fff]", text) or len(text) < 12, f"{path}: the Chinese text has no Chinese: {text!r}"


def test_help_names_the_answer_buttons_by_their_own_words(cn_pack):
    # The buttons say "Don't know" / 不清楚; help that says "answer unknown" sends people looking.
    for question in cn_pack.pack.questions.values():
        if question.type != "yes_no":
            continue
        for other in ('"unknown"', '"Unknown"', '"Not known"', '"not known"'):
            assert other not in question.help.en, (question.id, other)
        for other in ("“未知”", "“不知道”", "“不确定”"):
            assert other not in question.help.zh_hans, (question.id, other)
    assert sum('"Don\'t know"' in q.help.en for q in cn_pack.pack.questions.values()) >= 5


ABBREVIATIONS = ("MLPS", "CII", "SAMR", "CRPL", "MIIT")


def test_abbreviations_are_spelled_out_where_the_questionnaire_first_uses_them(cn_pack):
    # In the order a person meets them: each section's intro, then its questions' text and help.
    seen: set[str] = set()
    for section in cn_pack.pack.sections:
        texts = [section.intro.en if section.intro else ""]
        for question in section.questions:
            texts += [question.text.en, question.help.en] + [o.label.en for o in question.options or []]
        for text in texts:
            for abbreviation in ABBREVIATIONS:
                if abbreviation in seen or not re.search(rf"\b{abbreviation}\b", text):
                    continue
                assert f"({abbreviation})" in text, f"{abbreviation} first appears unexplained: {text[:120]}"
                seen.add(abbreviation)
    for instrument in cn_pack.catalog.instruments.values():
        assert not any(re.search(rf"\b{a}\b", instrument.short_name.en) for a in ABBREVIATIONS), instrument.short_name.en


def test_every_question_names_its_fact_for_the_filing_report(cn_pack):
    """The filing report prints "label: answer": a few words that read right before the answer."""
    for section in cn_pack.pack.sections:
        seen: dict[str, str] = {}
        for question in section.questions:
            assert question.label is not None, question.id
            for language, text in (("en", question.label.en), ("zh-Hans", question.label.zh_hans)):
                assert not text.endswith(("?", "？")), (question.id, text)
                assert len(text) <= (60 if language == "en" else 22), (question.id, text)
            assert question.label.en not in seen, (question.id, seen.get(question.label.en))
            seen[question.label.en] = question.id
