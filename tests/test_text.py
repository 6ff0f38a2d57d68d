"""Bilingual text: both languages required, Chinese spacing normalised."""

import pytest
from pydantic import ValidationError

from dpia_app.core.text import LocalizedText, normalise_language


def test_yaml_folding_spaces_between_chinese_sentences_are_removed():
    text = LocalizedText(en="Two  sentences. Here", **{"zh-Hans": "取得单独同意； 最高人民法院依据 GB/T 39335 的方法。 下一句"})
    assert text.zh_hans == "取得单独同意；最高人民法院依据 GB/T 39335 的方法。下一句"
    assert text.en == "Two  sentences. Here"


def test_both_languages_are_required():
    with pytest.raises(ValidationError):
        LocalizedText(en="only English")
    with pytest.raises(ValidationError, match="translation is empty"):
        LocalizedText(en="x", **{"zh-Hans": " "})


@pytest.mark.parametrize(("code", "language"), [("zh", "zh-Hans"), ("zh_CN", "zh-Hans"), ("zh-Hans", "zh-Hans"), ("EN", "en"), ("en-GB", "en")])
def test_language_codes(code, language):
    assert normalise_language(code) == language


def test_a_full_width_space_in_a_chinese_title_is_kept_while_folded_line_breaks_go():
    from dpia_app.core.text import LocalizedText

    text = LocalizedText(en="x", **{"zh-Hans": "信息安全技术\u3000个人信息安全规范。第二句 \n第三句"})
    assert text.zh_hans == "信息安全技术\u3000个人信息安全规范。第二句第三句"


def test_a_multiple_choice_reads_in_the_packs_order_whatever_the_sets_order():
    """A ticked set has no order of its own (it changes with Python's hash seed from run to run);
    the same answer must read the same in every report made of it."""
    from dpia_app.core.packs import load_builtin_pack
    from dpia_app.presentation import answer_value_text

    question = load_builtin_pack("cn-frt-2025").pack.question("scope.data_subjects")
    ids = [option.id for option in question.options]
    expected = ", ".join(option.label.en for option in question.options)
    for order in (ids, list(reversed(ids)), ids[1::2] + ids[::2]):
        assert answer_value_text(question, frozenset(order), "en") == expected
