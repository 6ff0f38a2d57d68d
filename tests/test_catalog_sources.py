"""Where each requirement comes from (catalog 2026.2, "Restored source names"), and instrument numbers in both languages.

The encoded catalog keeps a `sources:` map of the [S#] sources and the CASE-xx cases of regulation.md, and
each requirement lists the ones its text rests on. The tests that read regulation.md itself are skipped
where it is absent (CI clones only the repository).
"""

from __future__ import annotations

import datetime as dt
import re
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


# --- Sources and cases: the "Restored source names" lines of catalog 2026.2 ---------------------------

REGULATION = Path(__file__).parents[2] / "shared" / "regulation.md"


def cites(catalog, owner: str, *ids: str) -> bool:
    found = catalog.instruments[owner].sources if owner in catalog.instruments else catalog.get(owner).sources
    return set(ids) <= set(found)


def urls_of(catalog, owner: str) -> str:
    return " ".join(catalog.get(owner).source_urls)


def _frt_04(c):
    kohler, xpeng = c.sources["CASE-05"], c.sources["CASE-06"]
    assert cites(c, "FRT-04", "CASE-05", "CASE-06")
    assert (kohler.authority, kohler.decision_number) == ("Shanghai Jing'an AMR", "沪市监静处〔2021〕062021000787号")
    assert "RMB 500,000" in kohler.outcome and "CRPL" in kohler.outcome
    assert xpeng.authority == "Shanghai Xuhui AMR" and "Xpeng" in xpeng.title and "RMB 100,000" in xpeng.outcome


def _frt_05(c):
    assert cites(c, "FRT-05", "S9", "S7") and cites(c, "FRT-05c", "S8") and "De Heng" in c.sources["S8"].title
    assert "China Daily" in c.sources["S7"].title and "Xinhua" in c.sources["S7"].title


def _frt_06(c):
    shunde = c.sources["CASE-08"]
    assert cites(c, "FRT-06", "CASE-08")
    assert (shunde.authority, shunde.date) == ("Foshan Shunde AMR", "2021") and "CRPL Art 29 ¶1" in shunde.outcome


def _frt_07(c):
    assert cites(c, "FRT-07", "S4", "S5", "S9")
    assert c.sources["S4"].publisher == "Xinhua" and c.sources["S5"].publisher == "cnetsec.com"


def _frt_08a_09(c):
    assert cites(c, "FRT-08a", "CASE-05") and cites(c, "FRT-09", "S9", "S5")


def _frt_10_spc_10(c):
    tianjin, ningbo = c.sources["CASE-03"], c.sources["CASE-04"]
    assert cites(c, "FRT-10", "CASE-03", "CASE-04") and cites(c, "SPC-10", "CASE-04")
    assert (tianjin.authority, tianjin.date) == ("Tianjin No. 1 Intermediate People's Court", "2022-05-18")
    assert "Ningbo Zhenhai" in ningbo.title and ningbo.date == "2022"


def _frt_11_12(c):
    assert cites(c, "FRT-11", "S3") and "CAC official's explanation" in c.sources["S3"].title
    metro = c.sources["CASE-09"]
    assert cites(c, "FRT-12", "CASE-09") and metro.date == "2024-10" and "Shanghai CAC" in metro.authority


def _research_note_items(c):
    for ref in ("FRT-14", "FRT-15b", "FRT-15c", "FRT-18", "FRT-19", "FRT-20"):
        assert cites(c, ref, "S9"), ref
    assert cites(c, "FRT", "S9")  # section 1 article count and section 10 item 1: the Measures themselves


def _frt_15a(c):
    assert cites(c, "FRT-15a", "S9", "S3", "S8", "S6")
    assert "http://news.43b.com.cn/a/1236139.html" in c.sources["S8"].urls  # De Heng via CGGT


def _draft_section(c):
    assert cites(c, "FRTD", "S11", "S12")
    for ref in ("FRTD-03", "FRTD-05", "FRTD-09", "FRTD-10", "FRTD-11", "FRTD-12", "FRTD-13"):
        assert cites(c, ref, "S12"), ref
    hotels = c.sources["CASE-10"]
    assert cites(c, "FRTD-08", "CASE-10") and (hotels.authority, hotels.date) == ("Shanghai police", "2024-04")
    assert any("gkzhan" in url for url in c.sources["S12"].urls) and any("watsonband" in url for url in c.sources["S12"].urls)


def _pipl_21(c):
    assert cites(c, "PIPL-21", "CASE-05") and "Kohler" in c.sources["CASE-05"].title


def _oth_urls(c):
    assert all(site in urls_of(c, "OTH-01") for site in ("gzyingge.com", "news.43u.com.cn", "fjgznews.cn"))
    assert "cn.gzbj58.com" in urls_of(c, "OTH-03")
    assert "hot.dzwww.com" in urls_of(c, "OTH-04") and "fqwz.net" in urls_of(c, "OTH-04")


def _gbt35273(c):
    items = [r.id for r in c.requirements if r.instrument == "GBT35273"]
    assert len(items) == 5 and all(cites(c, ref, "CASE-08") for ref in items) and cites(c, "GBT35273", "CASE-08")
    assert "GB/T 35273-2020" in c.sources["CASE-08"].outcome


def _sources_list(c):
    assert sorted(k for k in c.sources if k.startswith("S")) == sorted(f"S{n}" for n in range(1, 13))
    note = c.sources["S9"]
    assert note.publisher_identified is False and note.publisher is None and note.secondary
    assert "not identified" in note.note


def _cases_list(c):
    cases = sorted(k for k in c.sources if k.startswith("CASE-"))
    assert cases == [f"CASE-{n:02d}" for n in range(1, 13)]
    assert all(c.sources[k].authority and c.sources[k].date for k in cases)


# One entry per line of "Restored source names", keyed by how the line opens.
RESTORED = {
    "FRT-04:": _frt_04,
    "FRT-05:": _frt_05,
    "FRT-06:": _frt_06,
    "FRT-07:": _frt_07,
    "FRT-08a:": _frt_08a_09,
    "FRT-10:": _frt_10_spc_10,
    "FRT-11:": _frt_11_12,
    "FRT-14,": _research_note_items,
    "FRT-15a:": _frt_15a,
    "Section 2 intro:": _draft_section,
    "PIPL-21:": _pipl_21,
    "OTH-01:": _oth_urls,
    "Section 6.1": _gbt35273,
    "Sources list": _sources_list,
    "Section 8": _cases_list,
}


@pytest.mark.parametrize("line", list(RESTORED))
def test_each_restored_source_line_is_encoded(cn_pack, line):
    RESTORED[line](cn_pack.catalog)


def _regulation() -> str:
    if not REGULATION.is_file():
        pytest.skip(f"{REGULATION} is not here (CI clones only the repository)")
    return REGULATION.read_text(encoding="utf-8")


def test_every_restored_source_line_has_its_test():
    text = _regulation()
    group = text.split("Restored source names:\n", 1)[1].split("\n\n", 1)[0]
    lines = [line[2:] for line in group.splitlines() if line.startswith("- ")]
    assert len(lines) == len(RESTORED)
    for line in lines:
        assert [key for key in RESTORED if line.startswith(key)], line


_BRACKET = re.compile(r"\[([^\]\n]*)\]")
_S_IN_BRACKET = re.compile(r"\bS([0-9]+)\b")
_CASES = re.compile(r"CASE-([0-9]{2})((?:/[0-9]{2})*)")


def cited_ids(text: str) -> set[str]:
    """[S#] sources (also "[V, S1]", "[V2, CAC explanation S3]") and cases (also "CASE-05/06")."""
    found = {f"S{n}" for bracket in _BRACKET.findall(text) for n in _S_IN_BRACKET.findall(bracket)}
    for first, more in _CASES.findall(text):
        found.add(f"CASE-{first}")
        found.update(f"CASE-{n}" for n in more.split("/") if n)
    return found


def test_the_citation_parser_reads_the_forms_regulation_uses():
    assert cited_ids("[V, S1] [V2, CAC explanation S3] ([S9], secondary) CASE-05/06 [S8, De Heng] [S#]") == {
        "S1", "S3", "S9", "S8", "CASE-05", "CASE-06"}


def test_every_source_cited_in_regulation_md_is_in_the_map(cn_pack):
    cited = cited_ids(_regulation())
    assert {"S1", "S12", "CASE-01", "CASE-12"} <= cited
    assert sorted(cited - set(cn_pack.catalog.sources)) == []


_ITEM = re.compile(r"^\*\*([A-Z][A-Z0-9]*-[0-9]{2}[a-z]?) ")
_SECTION = re.compile(r"^#{2,3} ([0-9]+(?:\.[0-9]+)?)\.? ")
# Whose sources a section's introduction (before its first item) gives.
_SECTION_INSTRUMENT = {"1": "FRT", "2": "FRTD", "3": "PIPL", "4": "SPC", "5": "GBT39335", "6": "GBT41819", "6.1": "GBT35273"}


def _item_texts(text: str) -> dict[str, str]:
    """The text of each catalog item and of each section's introduction, by requirement or instrument id."""
    body = text.split("\n## 1. ", 1)[1]
    blocks: dict[str, list[str]] = {}
    current: str | None = "FRT"
    for line in ("## 1. " + body).splitlines():
        section = _SECTION.match(line)
        item = _ITEM.match(line)
        if section:
            current = _SECTION_INSTRUMENT.get(section.group(1))
        elif item:
            current = item.group(1)
        elif line.startswith("#") or line.startswith("---"):
            current = None
        if current is not None:
            blocks.setdefault(current, []).append(line)
    return {key: "\n".join(lines) for key, lines in blocks.items()}


def test_each_item_encodes_the_sources_its_text_cites(cn_pack):
    catalog = cn_pack.catalog
    texts_ = _item_texts(_regulation())
    assert {"FRT", "FRTD", "PIPL", "GBT35273", "FRT-04", "FRTD-08", "PIPL-21", "SPC-10", "OTH-01", "GBT35273-05"} <= set(texts_)
    missing = {}
    for key, text in texts_.items():
        cited = cited_ids(text)
        if key in catalog.instruments:
            encoded = set(catalog.instruments[key].sources)
        else:
            assert key in catalog, f"{key} is in regulation.md but not in the catalog"
            encoded = set(catalog.get(key).sources)
        if cited - encoded:
            missing[key] = sorted(cited - encoded)
    assert missing == {}


def test_every_url_of_an_oth_item_is_encoded(cn_pack):
    texts_ = _item_texts(_regulation())
    for key in ("OTH-01", "OTH-02", "OTH-03", "OTH-04", "OTH-05"):
        urls = {url.rstrip(".,;") for url in re.findall(r"https?://[^\s)]+", texts_[key])}
        assert urls and urls <= set(cn_pack.catalog.get(key).source_urls), key


# --- Sources are checked when a catalog is loaded ------------------------------------------------------


def _catalog_problem(tmp_path: Path, old: str, new: str, *, append: str = ""):
    path = _mini_catalog_copy(tmp_path, old, new)
    if append:
        path.write_text(path.read_text(encoding="utf-8") + append, encoding="utf-8")
    with pytest.raises(DataFileError) as raised:
        load_catalog(path)
    (problem,) = raised.value.problems
    return path, problem


LAW_01_SEVERITY = "    summary: {en: \"Offer an alternative.\", zh-Hans: \"提供替代方式。\"}\n    severity: blocking\n"
MAP = "sources:\n  S1:\n    title: \"A reprint\"\n"


def test_a_requirement_citing_an_unknown_source_is_refused_naming_it(tmp_path):
    path, problem = _catalog_problem(tmp_path, LAW_01_SEVERITY, LAW_01_SEVERITY + "    sources: [S1, CASE-99]\n", append=MAP)
    assert problem.message == "requirement LAW-01 cites source CASE-99, which is not in the catalog's `sources` map"
    assert problem.where == "requirements[LAW-01].sources"
    assert problem.line == path.read_text(encoding="utf-8").splitlines().index("    sources: [S1, CASE-99]") + 1


def test_a_catalog_without_a_sources_map_cannot_cite_sources(tmp_path):
    _path, problem = _catalog_problem(tmp_path, LAW_01_SEVERITY, LAW_01_SEVERITY + "    sources: [S1]\n")
    assert problem.message == "requirement LAW-01 cites source S1, which is not in the catalog's `sources` map"


def test_the_loaded_pack_reports_the_unknown_source_too(tmp_path):
    _mini_catalog_copy(tmp_path, LAW_01_SEVERITY, LAW_01_SEVERITY + "    sources: [S7]\n")
    with pytest.raises(DataFileError) as raised:
        load_pack(tmp_path / MINI_PACK.name)
    assert any("requirement LAW-01 cites source S7" in p.message for p in raised.value.problems)


def test_a_source_id_that_is_neither_s_nor_case_is_refused(tmp_path):
    _path, problem = _catalog_problem(tmp_path, LAW_01_SEVERITY, LAW_01_SEVERITY + "    sources: [Kohler]\n", append=MAP)
    assert "'Kohler' is not a source id" in problem.message and problem.where.startswith("requirements[LAW-01].sources")
    _path, problem = _catalog_problem(tmp_path, "format: dpia-catalog\n", "format: dpia-catalog\n",
                                      append="sources:\n  CASE-5:\n    title: \"x\"\n    authority: \"AMR\"\n    date: \"2021\"\n")
    assert "'CASE-5' is not a source id" in problem.message


def test_a_case_says_who_decided_and_when(tmp_path):
    _path, problem = _catalog_problem(tmp_path, "format: dpia-catalog\n", "format: dpia-catalog\n",
                                      append="sources:\n  CASE-01:\n    title: \"A case\"\n")
    assert problem.message == "case CASE-01 must give its authority and date (the regulator or court, and when)"
    _path, problem = _catalog_problem(tmp_path, "format: dpia-catalog\n", "format: dpia-catalog\n",
                                      append="sources:\n  S1:\n    title: \"A note\"\n    publisher_identified: false\n    publisher: \"Someone\"\n")
    assert "a publisher that is not identified cannot be named" in problem.message


def test_requirements_built_in_code_are_checked_as_well(cn_pack):
    from pydantic import ValidationError

    requirement = cn_pack.catalog.get("FRT-04").model_copy(update={"sources": ["CASE-77"]})
    data = cn_pack.catalog.model_dump(by_alias=True) | {"requirements": [requirement]}
    with pytest.raises(ValidationError, match="requirement FRT-04 cites source CASE-77, which is not in the catalog's `sources` map"):
        Catalog.model_validate(data)
