"""Catalog 2026.2: corrected quotations, Chinese wording, citations and instrument titles in the China pack.

Each test pins one line of "Changes in catalog 2026.2" (regulation.md): the corrected wording is where it
belongs, and the old wording is nowhere in the pack's or the catalog's strings.
"""

from __future__ import annotations

import re

import pytest

from .test_pack_content import texts


@pytest.fixture(scope="module")
def strings(cn_pack) -> list[tuple[str, str, str]]:
    """Every user-visible string of the pack and of its catalog: (where, language, text)."""
    return list(texts(cn_pack.pack)) + list(texts(cn_pack.catalog, "catalog"))


def zh(strings) -> list[str]:
    return [text for _where, language, text in strings if language == "zh-Hans"]


def en(strings) -> list[str]:
    return [text for _where, language, text in strings if language == "en"]


def nowhere(old: str, texts_: list[str]) -> None:
    found = [text for text in texts_ if old in text]
    assert not found, f"{old!r} still in: {found[:3]}"


def summary(cn_pack, ref: str):
    return cn_pack.catalog.get(ref).summary


def rule(cn_pack, rule_id: str):
    return next(r for r in cn_pack.pack.rules if r.id == rule_id)


def question(cn_pack, question_id: str):
    return next(q for section in cn_pack.pack.sections for q in section.questions if q.id == question_id)


def rule_zh(cn_pack, rule_id: str) -> str:
    found = rule(cn_pack, rule_id)
    return " ".join(getattr(found, field).zh_hans for field in ("title", "finding", "why", "recommendation"))


def rule_en(cn_pack, rule_id: str) -> str:
    found = rule(cn_pack, rule_id)
    return " ".join(getattr(found, field).en for field in ("title", "finding", "why", "recommendation"))


# --- Corrected quotations and Chinese wording -----------------------------------------------------


def test_frt_04_quotes_the_measures_in_their_own_words(cn_pack, strings):
    assert "采取对个人权益影响最小的方式，并实施严格保护措施。" in summary(cn_pack, "FRT-04").zh_hans
    nowhere("采取对个人权益影响最小的方式，并采取严格保护措施", zh(strings))
    # The PIPL says 采取 (Art 28 para 2): each instrument is quoted in its own words.
    assert "并采取严格保护措施的情形下" in summary(cn_pack, "PIPL-28").zh_hans


def test_frt_13a_sign_duty_is_a_prominent_reminder_sign(cn_pack, strings):
    assert "并设置显著提示标识。" in summary(cn_pack, "FRT-13a").zh_hans
    assert cn_pack.catalog.get("FRT-13a").title.zh_hans.endswith("设置显著提示标识")
    assert "显著提示标识" in question(cn_pack, "places.prominent_signs").text.zh_hans
    assert "显著提示标识" in rule_zh(cn_pack, "R-PLACES-04")
    nowhere("显著标识", zh(strings))


def test_frt_13b_private_spaces_wording(cn_pack, strings):
    assert "等公共场所中的私密空间内部安装人脸识别设备" in summary(cn_pack, "FRT-13b").zh_hans
    assert cn_pack.catalog.get("FRT-13b").title.zh_hans == "禁止在公共场所中的私密空间内部安装人脸识别设备"
    nowhere("内部的私密空间", zh(strings))


def test_frt_05b_accessibility_rules_are_to_be_met_not_obeyed(cn_pack, strings):
    corrected = "还应当符合国家有关无障碍环境建设的规定"
    assert corrected in summary(cn_pack, "FRT-05b").zh_hans
    for rule_id in ("R-ACCESS-01", "R-ACCESS-02"):
        assert corrected in rule_zh(cn_pack, rule_id)
    nowhere("还应当遵守国家有关无障碍", zh(strings))


def test_frt_02_quotes_article_2_and_keeps_the_pipl_note_outside_the_quotation(cn_pack, strings):
    quotation = "“在中华人民共和国境内为从事人脸识别技术研发、算法训练活动应用人脸识别技术处理人脸信息的，不适用本办法的规定”"
    text = summary(cn_pack, "FRT-02").zh_hans
    assert quotation in text
    assert "《个人信息保护法》" in text.split(quotation)[1], "the PIPL note follows the quotation, outside it"
    for rule_id in ("R-SCOPE-01", "R-SCOPE-05"):
        assert "主张不适用本办法（研发、算法训练）" in rule(cn_pack, rule_id).title.zh_hans
    nowhere("豁免", zh(strings))


def test_frt_07_summary_is_guardian_consent_only(cn_pack):
    assert summary(cn_pack, "FRT-07").zh_hans == "基于个人同意处理不满十四周岁未成年人人脸信息的，应当取得未成年人的父母或者其他监护人的同意。"


def test_frt_15a_quotes_article_15_and_files_with_the_provincial_office(cn_pack, strings):
    text = summary(cn_pack, "FRT-15a").zh_hans
    assert "“所在地省级以上网信部门”" in text
    assert "应当自达到之日起30个工作日内向所在地省级网信部门履行备案手续" in text
    assert "应当自达到之日起30个工作日内向所在地省级网信部门履行备案手续" in rule_zh(cn_pack, "R-SCALE-01")
    # The facial recognition filings go to the provincial office; the PI-officer report (PIPL-52b) to the districted city's.
    assert all(duty.authority.zh_hans == "所在地省级网信部门" for duty in cn_pack.pack.filing_duties if {"FRT-15a", "FRT-15c"} & set(duty.refs))
    assert all(duty.authority.zh_hans == "所在地设区的市级网信部门" for duty in cn_pack.pack.filing_duties if "PIPL-52b" in duty.refs)
    for old in ("应当在30个工作日内备案", "向省级网信部门备案", "在达到该数量之日起"):
        nowhere(old, zh(strings))


def test_frt_15c_substantive_change_wording(cn_pack, strings):
    assert "备案信息发生实质性变更的，应当自变更之日起30个工作日内办理变更手续" in summary(cn_pack, "FRT-15c").zh_hans
    assert "实质性变更" in question(cn_pack, "scale.changed_since_filing").text.zh_hans
    assert "自变更之日起30个工作日内" in rule_zh(cn_pack, "R-SCALE-03")
    nowhere("实质性变化", zh(strings))
    nowhere("变化之日", zh(strings))


def test_frt_05_quotes_the_spc_without_amplification(cn_pack, strings):
    quotation = "依照最高人民法院司法解释，未明示处理人脸信息的目的、方式、范围的，应当认定为侵害自然人人格权益"
    assert quotation in rule_zh(cn_pack, "R-NOTICE-02")
    assert "应当认定为侵害自然人人格权益" in rule_zh(cn_pack, "R-NOTICE-01")
    nowhere("无论告知中载有其他何种内容", zh(strings))
    nowhere("whatever else the notice", en(strings))


def test_frt_06_signage_is_not_consent_is_one_local_decision(cn_pack, strings):
    local = "有地方市场监管部门在行政处罚中认定，仅设置告示牌不能证明已取得同意"
    assert local in rule_zh(cn_pack, "R-CONSENT-07")
    assert local in question(cn_pack, "consent.signage_treated_as_consent").help.zh_hans
    for old in ("监管部门对此已有明确意见", "监管部门已明确告示牌不构成同意"):
        nowhere(old, zh(strings))
    for old in ("regulators have said", "regulators have held"):
        nowhere(old, en(strings))


def test_frt_08a_kohler_fine_is_described_as_a_fine_for_collection_without_consent(cn_pack, strings):
    assert "已有经营者因未经同意采集人脸信息并上传至供应商云端被市场监管部门处罚" in rule_zh(cn_pack, "R-STORAGE-01")
    assert "not a penalty for cloud storage as such" in rule_en(cn_pack, "R-STORAGE-01")
    nowhere("监管部门已予处罚的违法模式", zh(strings))


def test_frt_10_findings_use_the_article_wording(cn_pack, strings):
    for rule_id in ("R-ALT-01", "R-ALT-09"):
        assert "不得将人脸识别技术作为唯一验证方式" in rule_zh(cn_pack, rule_id)
    assert rule(cn_pack, "R-ALT-01").title.zh_hans == "将人脸识别技术作为唯一验证方式"
    for old in ("不得将人脸识别作为唯一方式", "人脸识别不得作为唯一方式", "人脸识别是唯一方式", "唯一的身份验证方式"):
        nowhere(old, zh(strings))


def test_frt_14_transport_encryption_is_not_called_guomi_ssl(cn_pack, strings):
    corrected = "符合国家密码管理要求的传输层密码协议（如 GB/T 38636 TLCP）"
    assert corrected in question(cn_pack, "sec.encryption_in_transit").help.zh_hans
    assert corrected in rule_zh(cn_pack, "R-SECURITY-03")
    nowhere("国密SSL", zh(strings))
    nowhere("SM-series", en(strings))


def test_pipl_24_summary_bars_unreasonable_differential_treatment(cn_pack):
    assert "不得对个人在交易价格等交易条件上实行不合理的差别待遇" in summary(cn_pack, "PIPL-24").zh_hans
    assert "unreasonable differential treatment" in summary(cn_pack, "PIPL-24").en


def test_pipl_47_gives_the_right_to_request_deletion_and_item_5(cn_pack):
    text = summary(cn_pack, "PIPL-47")
    assert "个人信息处理者未删除的，个人有权请求删除" in text.zh_hans
    assert "（五）法律、行政法规规定的其他情形" in text.zh_hans
    assert "right to request deletion" in text.en and "other circumstances provided by laws" in text.en


def test_pipl_57_individual_notice_may_be_omitted_where_harm_is_avoided(cn_pack):
    text = summary(cn_pack, "PIPL-57")
    assert "个人信息处理者采取措施能够有效避免信息泄露、篡改、丢失造成危害的，个人信息处理者可以不通知个人" in text.zh_hans
    assert "有权要求个人信息处理者通知个人" in text.zh_hans
    assert "need not notify individuals" in text.en


def test_pipl_66_regulator_notifies_the_licensing_authority(cn_pack, strings):
    text = summary(cn_pack, "PIPL-66")
    assert "通报有关主管部门吊销相关业务许可或者吊销营业执照" in text.zh_hans
    assert "notify the competent authorities to revoke" in text.en
    nowhere("停业整顿、吊销", zh(strings))
    nowhere("suspend business or revoke licences", en(strings))


def test_pipl_55_missing_prior_assessment_is_unlawful(cn_pack, strings):
    why = rule(cn_pack, "R-GOV-01").why
    assert "违反《个人信息保护法》" in why.zh_hans and "均属违法" in why.zh_hans
    assert "unlawful" in why.en
    nowhere("违规", [text for text in zh(strings) if "违法违规" not in text])


def test_oth_06_rules_are_published_or_notified_to_workers(cn_pack, strings):
    assert "公示或者告知劳动者" in question(cn_pack, "consent.contract_or_hr_ground").help.zh_hans
    assert "公示或者告知劳动者" in rule_zh(cn_pack, "R-CONSENT-16")
    nowhere("向劳动者公示", zh(strings))
    nowhere("向员工公示", zh(strings))


def test_gbt39335_04_controller_and_entrusted_party(cn_pack, strings):
    text = summary(cn_pack, "GBT39335-04")
    assert "个人信息控制者与受托方（个人信息处理者与受托人）" in text.zh_hans
    assert "controller and entrusted party" in text.en
    nowhere("、控制者与处理者、", zh(strings))
    nowhere("controller and processor", en(strings))


def test_frtd_04_is_policy_orientation_not_a_bottom_line(cn_pack, strings):
    assert "政策取向" in rule_zh(cn_pack, "R-PURPOSE-06")
    nowhere("底线", zh(strings))
    nowhere("ethical line", en(strings))


def test_conventions_watch_list_terms(cn_pack, strings):
    assert "比对名单（黑名单）" in question(cn_pack, "auto.watchlist").text.zh_hans
    assert "比对名单（黑名单）" in rule_zh(cn_pack, "R-AUTO-02")
    nowhere("重点人员名单", zh(strings))


def test_conventions_the_deployer_is_the_processor_or_your_organisation(cn_pack, strings):
    section = next(s for s in cn_pack.pack.sections if s.title.en == "Organisation and system")
    assert section.title.zh_hans == "个人信息处理者与系统"
    for old in ("组织不清楚", "其他组织提供", "该组织", "组织控制", "部署方"):
        nowhere(old, zh(strings))
    # 您 only inside quoted wording addressed to individuals (a sign, a consent text), never to the processor.
    unquoted = [re.sub(r"“[^”]*”", "", text) for text in zh(strings)]
    nowhere("您", unquoted)


def test_conventions_data_strings_do_not_spell_out_old_severity_labels(cn_pack, strings):
    for old in ("阻断性", "高等级", "建议性"):
        nowhere(old, zh(strings))
    glossary = next(term for term in cn_pack.pack.glossary if term.term.en == "Blocking, high and advisory findings")
    for label in ("严重问题（整改前不得处理）", "重要问题（须限期整改）", "提示事项（建议改进）"):
        assert label in glossary.definition.zh_hans


# --- Citation and title corrections ---------------------------------------------------------------


@pytest.mark.parametrize(("ref", "en_article", "zh_article"), [
    ("FRT-08a", "Art. 8", "第八条"), ("FRT-08b", "Art. 8", "第八条"),
    ("FRT-13a", "Art. 13", "第十三条"), ("FRT-13b", "Art. 13", "第十三条"),
    ("FRT-15a", "Art. 15", "第十五条"), ("FRT-15b", "Art. 15", "第十五条"), ("FRT-15c", "Art. 15", "第十五条"),
])
def test_unverified_paragraph_numbers_are_not_printed(cn_pack, ref, en_article, zh_article):
    citation = cn_pack.catalog.citation(ref)
    assert citation.article_confirmed
    assert citation.text.en == f"FRT Measures {en_article}"
    assert citation.text.zh_hans == f"《人脸识别技术应用安全管理办法》{zh_article}"
    assert "(" not in citation.text.en and "款" not in citation.text.zh_hans


def test_filing_announcement_title_and_guide(cn_pack, strings):
    title = "国家互联网信息办公室关于开展人脸识别技术应用备案工作的公告"
    assert cn_pack.catalog.instruments["FRT_FILING"].name.zh_hans == title
    assert cn_pack.catalog.citation("FRT-15d").text.zh_hans.startswith(f"《{title}》")
    guide = "《人脸识别技术应用备案系统填报说明（第一版）》"
    assert guide in summary(cn_pack, "FRT-15d").zh_hans
    assert guide in question(cn_pack, "scale.filing_materials").help.zh_hans
    nowhere("关于人脸识别技术应用备案工作的公告", zh(strings))
    nowhere("《填报说明", zh(strings))
    nowhere("filling guide", en(strings))


def test_special_action_announcement_title_and_issuer(cn_pack, strings):
    title = "中央网信办、工业和信息化部、公安部、市场监管总局关于开展2025年个人信息保护系列专项行动的公告"
    assert cn_pack.catalog.instruments["SPECIAL_ACTION_2025"].name.zh_hans == title
    assert cn_pack.catalog.citation("OTH-01").text.zh_hans.startswith(f"《{title}》")
    assert "中央网信办" in rule(cn_pack, "R-GOV-08").why.zh_hans
    assert "Central Cyberspace Affairs Commission" in rule(cn_pack, "R-GOV-08").why.en
    for old in ("国家网信办、工业和信息化部", "国家互联网信息办公室、工业和信息化部", "个人信息保护专项行动", "2025年专项行动"):
        nowhere(old, zh(strings))


def test_frtd_13_filing_deadline_and_level_are_no_longer_unverified(cn_pack):
    text = summary(cn_pack, "FRTD-13")
    assert "“在30个工作日内向所属地市级以上网信部门备案”" in text.zh_hans
    assert "within 30 working days" in text.en and "municipal level or above" in text.en
    assert "尚待核实" not in text.zh_hans and "unverified" not in text.en
    # The article number itself stays unverified and is never printed.
    assert not cn_pack.catalog.citation("FRTD-13").article_confirmed


def test_frt_07_no_longer_attributes_special_rules_to_the_measures(cn_pack):
    requirement = cn_pack.catalog.get("FRT-07")
    assert requirement.title.zh_hans == "不满十四周岁未成年人：监护人同意"
    assert "special" not in requirement.title.en + requirement.summary.en
    assert "专门" not in requirement.title.zh_hans + requirement.summary.zh_hans
    minors = next(s for s in cn_pack.pack.sections if s.id == "minors")
    assert "《个人信息保护法》还要求个人信息处理者制定专门的个人信息处理规则" in minors.intro.zh_hans


def test_oth_02_summary_does_not_cite_itself(cn_pack):
    text = summary(cn_pack, "OTH-02")
    assert "OTH-02" not in text.en and "OTH-02" not in text.zh_hans


def test_pipl_30_points_to_item_c_of_frt_05c(cn_pack, strings):
    assert "item (c) of FRT-05c" in summary(cn_pack, "PIPL-30").en
    assert "FRT-05c告知事项第（c）项" in summary(cn_pack, "PIPL-30").zh_hans
    nowhere("FRT-05(c)", en(strings) + zh(strings))


def test_frt_16_rights_are_pipl_44_to_50(cn_pack, strings):
    assert "PIPL-44 to PIPL-50" in summary(cn_pack, "FRT-16").en
    assert "PIPL-44至PIPL-50" in summary(cn_pack, "FRT-16").zh_hans
    nowhere("PIPL-45/47", en(strings) + zh(strings))


def test_spc_02_questionnaire_mapping_is_recorded(cn_pack):
    catalog_text = (cn_pack.path.parent / "catalog-cn.yaml").read_text(encoding="utf-8")
    mapping = catalog_text.split("  - id: SPC-02\n")[0].rsplit("  # SPC-02 questionnaire mapping", 1)[1]
    for item in ("detection-only systems (FRT-19)", "4 → PIPL-14 and FRT-08c", "7 → FRT-03 and PIPL-10", "8 → FRT-04"):
        assert item in mapping


def test_pipl_55_notes_that_public_disclosure_needs_separate_consent(cn_pack):
    text = summary(cn_pack, "PIPL-55")
    assert "Public disclosure also requires the individual's separate consent (PIPL-25)" in text.en
    assert "公开个人信息的，还应当取得个人单独同意（PIPL-25）" in text.zh_hans


def test_frt_06_points_to_frt_08c_for_data_kept_after_withdrawal(cn_pack):
    text = summary(cn_pack, "FRT-06")
    assert "FRT-08c" in text.en and "撤回同意后仍保存人脸信息的，见FRT-08c" in text.zh_hans


def test_frt_15a_de_duplicated_count_is_labelled_practice(cn_pack, strings):
    assert "“去重计数，合并计算全部应用场景”系实务评论介绍的备案实践，并非本办法的条文内容" in summary(cn_pack, "FRT-15a").zh_hans
    assert "practice described in commentaries, not the text of the Measures" in summary(cn_pack, "FRT-15a").en
    counted = [text for text in zh(strings) if "去重计数" in text]
    assert counted and all("并非本办法的条文内容" in text for text in counted)
    counted_en = [text for text in en(strings) if "de-duplicated" in text]
    assert counted_en and all("not the text of the Measures" in text for text in counted_en)


def test_instrument_kinds_give_the_report_labels(cn_pack):
    kinds = {name: instrument.kind for name, instrument in cn_pack.catalog.instruments.items()}
    assert {kinds[name] for name in ("GBT39335", "GBT41819", "GBT35273")} == {"recommended_standard"}  # 推荐性国家标准
    assert kinds["FRT_FILING"] == kinds["SPECIAL_ACTION_2025"] == "regulator_announcement"  # 规范性文件
    assert kinds["FRTD"] == "draft_for_comment"  # 征求意见稿
