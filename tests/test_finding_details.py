"""The words of one finding's details (Qt-free): what the wizard's details pane shows."""

from __future__ import annotations

from dpia_app.finding_details import finding_details

from .conftest import assess, example_answers


def s2(cn_pack):
    return assess(cn_pack, example_answers(cn_pack, "s2-mall-vip-recognition.dpia"))


def test_details_name_the_law_the_answers_and_the_actions(cn_pack):
    assessment, evaluation = s2(cn_pack)
    finding = next(f for f in evaluation.findings if f.rule_id == "R-PURPOSE-01")
    en = finding_details(finding, cn_pack, assessment, "en")
    zh = finding_details(finding, cn_pack, assessment, "zh-Hans")
    assert en.severity == "Blocking" and zh.severity == "严重问题"
    assert en.legal_basis[0].citation == "FRT Measures Art. 4"
    assert en.legal_basis[0].summary == cn_pack.catalog.get("FRT-04").summary.en
    assert zh.legal_basis[0].citation == "《人脸识别技术应用安全管理办法》第四条"
    causes = {c.question_id: c for c in zh.causes}
    category = cn_pack.pack.question("purpose.category")
    assert causes["purpose.category"].answer == category.option(assessment.answers["purpose.category"]).label.zh_hans
    assert causes["purpose.category"].section == cn_pack.pack.section_of("purpose.category").title.zh_hans


def test_a_draft_for_comment_is_marked_as_not_law_and_long_answers_are_cut(cn_pack):
    assessment, evaluation = s2(cn_pack)
    drafts = [b for f in evaluation.findings for b in finding_details(f, cn_pack, assessment, "en").legal_basis
              if "Draft for Comment" in b.citation]
    assert drafts and not any(b.binding for b in drafts)
    long_answer = {**assessment.answers, "consent.basis_justification": "x" * 500}
    assessment, evaluation = assess(cn_pack, long_answer)
    for finding in evaluation.findings:
        for cause in finding_details(finding, cn_pack, assessment, "en").causes:
            assert len(cause.answer) <= 160


def test_cross_references_in_the_law_read_as_the_law_they_cite(cn_pack):
    assessment, evaluation = s2(cn_pack)
    import re

    for finding in evaluation.findings:
        for language in ("en", "zh-Hans"):
            for basis in finding_details(finding, cn_pack, assessment, language).legal_basis:
                assert not re.search(r"(?<![A-Za-z0-9-])(FRT|PIPL|SPC|OTH|GBT\d+|FRTD)-\d{2}[a-z]?(?![A-Za-z0-9])", basis.summary), basis.summary
    notice = next(f for f in evaluation.findings if "FRT-05" in f.refs)
    zh = finding_details(notice, cn_pack, assessment, "zh-Hans")
    frt05 = next(b for b in zh.legal_basis if b.citation == "《人脸识别技术应用安全管理办法》第五条" and "告知内容的完整性" in b.summary)
    assert "见《人脸识别技术应用安全管理办法》第五条" in frt05.summary
