"""Where each requirement comes from (catalog 2026.2, "Restored source names"), and instrument numbers in both languages.

The encoded catalog keeps a `sources:` map of the [S#] sources and the CASE-xx cases of regulation.md, and
each requirement lists the ones its text rests on. The tests that read regulation.md itself are skipped
where it is absent (CI clones only the repository).
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from dpia_app.core.catalog import Catalog
from dpia_app.core.drafts import read_draft
from dpia_app.core.evaluation import evaluate
from dpia_app.core.packs import load_catalog, load_pack
from dpia_app.core.yaml_source import DataFileError

from .conftest import MINI_PACK

EXAMPLES = Path(__file__).parent.parent / "examples"


# --- Instrument document numbers in the report's language --------------------------------------------


def _instrument_facts(cn_pack, language: str):
    from dpia_app.report.content import build_report

    example = EXAMPLES / "s2-mall-vip-recognition.dpia"
    assessment = read_draft(example, cn_pack).assessment
    today = dt.date(2026, 12, 1)
    report = build_report(cn_pack, assessment, evaluate(cn_pack, assessment, today), example.read_bytes(), language, today)
    return {fact.label.main: fact.value.main for fact in report.instruments}


def test_the_chinese_report_gives_every_document_number_in_chinese(cn_pack):
    facts = _instrument_facts(cn_pack, "zh")
    everything = " ".join(facts.values())
    numbered = {key: i for key, i in cn_pack.catalog.instruments.items() if i.document_number is not None}
    assert {"FRT", "SPC", "GBT39335", "GBT41819", "GBT35273"} <= set(numbered)
    for key, instrument in numbered.items():
        number = instrument.document_number
        if number.en != number.zh_hans:
            assert number.en not in everything, key
    assert "Order" not in everything and "CAC" not in everything and "MPS" not in everything
    measures = facts["《人脸识别技术应用安全管理办法》"]
    assert measures.startswith("人脸识别技术应用安全管理办法（国家互联网信息办公室、公安部令第19号）")
    # Numbers that read the same in both languages are printed once, the standard's not twice.
    assert "法释〔2021〕15号" in facts["《最高人民法院关于审理使用人脸识别技术处理个人信息相关民事案件适用法律若干问题的规定》"]
    assert facts["《个人信息安全影响评估指南》(GB/T 39335-2020)"].count("GB/T 39335-2020") == 1


def test_the_english_report_keeps_the_english_document_number(cn_pack):
    facts = _instrument_facts(cn_pack, "en")
    assert "(CAC and MPS Order No. 19)" in facts["FRT Measures"]
    assert "令第19号" not in " ".join(facts.values())


def test_catalog_document_numbers_are_localized(cn_pack):
    frt = cn_pack.catalog.instruments["FRT"].document_number
    assert (frt.en, frt.zh_hans) == ("CAC and MPS Order No. 19", "国家互联网信息办公室、公安部令第19号")
    for key in ("SPC", "GBT39335", "GBT41819", "GBT35273"):
        number = cn_pack.catalog.instruments[key].document_number
        assert number.en == number.zh_hans, key


def _mini_catalog_copy(tmp_path: Path, old: str, new: str) -> Path:
    text = (MINI_PACK.parent / "mini-catalog.yaml").read_text(encoding="utf-8")
    assert old in text, f"test set-up: {old!r} not in the mini catalog"
    shutil.copy(MINI_PACK, tmp_path / MINI_PACK.name)
    path = tmp_path / "mini-catalog.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_a_plain_string_document_number_is_refused_with_a_clear_message(tmp_path):
    path = _mini_catalog_copy(tmp_path, "    kind: law\n", '    kind: law\n    document_number: "Order No. 1"\n')
    with pytest.raises(DataFileError) as raised:
        load_catalog(path)
    (problem,) = raised.value.problems
    line = path.read_text(encoding="utf-8").splitlines().index('    document_number: "Order No. 1"') + 1
    assert problem.line == line and problem.where == "instruments.LAW.document_number"
    assert "{en: ..., zh-Hans: ...}" in problem.message
    with pytest.raises(DataFileError):
        load_pack(tmp_path / MINI_PACK.name)
