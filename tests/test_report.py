"""The PDF report: content, languages, fonts, the attached draft, metadata, and that it fetches nothing."""

from __future__ import annotations

import datetime as dt
import io
import re
import socket
import threading
from pathlib import Path

import pytest
from pypdf import PdfReader

from dpia_app.cli import EXIT_BAD_FILE, EXIT_OK, main
from dpia_app.core.draft_in_pdf import ATTACHMENT_NAME, NoDraftInPdf, draft_from_pdf
from dpia_app.core.drafts import (
    DraftError,
    new_assessment,
    read_draft,
    save_draft,
    serialise,
)
from dpia_app.core.evaluation import evaluate
from dpia_app.core.packs import load_builtin_pack
from dpia_app.presentation import outcome_label
from dpia_app.report import make_report
from dpia_app.report.pdf import RenderOptions, render_pdf
from dpia_app.report.pdf_fonts import PdfFont, font_problems, fonts_in_pdf

from .conftest import assess, require_report_libraries

# Every test here makes a PDF; without Pango they are skipped with the install command (see conftest).
pytestmark = pytest.mark.usefixtures("report_libraries_present")

EXAMPLES = Path(__file__).parent.parent / "examples"
TODAY = dt.date(2026, 12, 1)


def _squash(text: str) -> str:
    # Extracted text breaks lines (and Chinese has no spaces to break at): compare without whitespace.
    return re.sub(r"\s+", "", text)


def _text(pdf: bytes) -> str:
    return _squash("".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages))


@pytest.fixture(scope="module")
def pack():
    require_report_libraries()  # module-scoped report fixtures below render before any test runs
    return load_builtin_pack("cn-frt-2025")


def _example(name: str, pack, language: str):
    path = EXAMPLES / name
    data = path.read_bytes()
    assessment = read_draft(path, pack).assessment
    made = make_report(pack, assessment, data, language, TODAY)
    return data, assessment, evaluate(pack, assessment, TODAY), made


@pytest.fixture(scope="module")
def s2_en(pack):
    return _example("s2-mall-vip-recognition.dpia", pack, "en")


@pytest.fixture(scope="module")
def s2_zh(pack):
    return _example("s2-mall-vip-recognition.dpia", pack, "zh")


@pytest.fixture(scope="module")
def s1_bilingual(pack):
    return _example("s1-office-turnstiles.dpia", pack, "bilingual")


@pytest.mark.parametrize("fixture, languages", [("s2_en", ("en",)), ("s2_zh", ("zh-Hans",)), ("s1_bilingual", ("zh-Hans", "en"))])
def test_text_has_the_verdict_every_citation_and_every_risk_level(request, pack, fixture, languages):
    _data, _assessment, evaluation, made = request.getfixturevalue(fixture)
    text = _text(made.pdf)
    labels = pack.pack.risk_method.labels
    main = languages[0]
    for language in languages:
        # A bilingual report gives the English reader the verdict, every finding's title and
        # recommendation and every risk's title; the body, citations and levels are in Chinese.
        assert _squash(outcome_label(evaluation.verdict.outcome, language)) in text
        for finding in evaluation.findings:
            assert _squash(finding.title.get(language)) in text, finding.rule_id
            assert _squash(finding.recommendation.get(language)) in text, finding.rule_id
        for risk in evaluation.risks:
            assert _squash(risk.title.get(language)) in text
    for finding in evaluation.findings:
        for citation in finding.citations:
            assert _squash(citation.text.get(main)) in text, (finding.rule_id, citation.ref)
    for risk in evaluation.risks:
        assert _squash(labels.risk_levels[risk.inherent.level].get(main)) in text
        assert _squash(labels.risk_levels[risk.residual.level].get(main)) in text
    assert made.refused == ()


def test_s2_english_report_says_must_not_proceed_and_states_the_filing_duty(s2_en):
    _data, _assessment, evaluation, made = s2_en
    text = _text(made.pdf)
    assert evaluation.verdict.outcome == "must_not_proceed"
    assert _squash("Must not proceed") in text
    filing = next(f for f in evaluation.filing if f.state == "required")
    assert filing.deadline is not None and filing.deadline.isoformat() in text
    assert _squash("per GB/T 39335 (approval-draft values)") in text or _squash("approval-draft") in text
    # Running header, page X of Y and the table of contents with page numbers.
    reader = PdfReader(io.BytesIO(made.pdf))
    pages = len(reader.pages)
    assert f"Page3of{pages}" in text
    title = _squash(read_draft(EXAMPLES / "s2-mall-vip-recognition.dpia").assessment.metadata.title)
    assert title + "Draft" in _squash(reader.pages[5].extract_text())  # running header: title and status
    # The matrix reads from serious impact at the top down to low, as GB/T 39335 prints it.
    scope = _squash(reader.pages[[i for i, p in enumerate(reader.pages) if "Riskmatrix" in _squash(p.extract_text())][0]].extract_text())
    assert scope.index("SeriousMediumHighSeriousSerious") < scope.index("LowLowLowMediumMedium")
    assert "1.Executivesummary" in text and "Appendix" in text


def test_chinese_report_has_no_english_interface_words(s2_zh):
    _data, _assessment, evaluation, made = s2_zh
    text = _text(made.pdf)
    assert "不得实施" in text and "个人信息保护影响评估" in text
    for english in ("Executive summary", "Findings", "Risk register", "Why it matters", "Recommendation", "Page 3 of",
                    "Inherent risk", "after the planned actions", "Likelihood"):
        assert _squash(english) not in text, english


def test_chinese_report_uses_the_catalogs_severity_and_party_terms(s2_zh):
    """Catalog 2026.2 conventions: 严重问题 / 重要问题 / 提示事项, never 阻断性 / 高等级 / 建议性."""
    text = _text(s2_zh[3].pdf)
    for term in ("严重问题（整改前不得处理）", "重要问题（须限期整改）", "严重问题"):
        assert _squash(term) in text, term
    # (The text is squashed, so "高" and "等级" from neighbouring cells can meet: look for the old phrases.)
    for old in ("阻断性", "高等级发现事项", "高等级事项", "建议性", "重点人员名单"):
        assert old not in text, old


def test_attachment_gives_back_the_draft_byte_for_byte(s2_en, tmp_path):
    data, _assessment, _evaluation, made = s2_en
    reader = PdfReader(io.BytesIO(made.pdf))
    assert reader.attachments[ATTACHMENT_NAME] == [data]
    assert draft_from_pdf(made.pdf) == data
    report = tmp_path / "report.pdf"
    report.write_bytes(made.pdf)
    opened = read_draft(report)
    assert opened.from_pdf and opened.assessment == read_draft(EXAMPLES / "s2-mall-vip-recognition.dpia").assessment
    assert report.read_bytes() == made.pdf  # opening never writes


def test_every_font_is_embedded_and_is_the_bundled_one(s1_bilingual):
    made = s1_bilingual[3]
    fonts = fonts_in_pdf(PdfReader(io.BytesIO(made.pdf)))
    assert fonts and font_problems(fonts) == []
    # Chinese and English alike are set in the bundled Noto Sans CJK SC: no fallback was needed.
    assert {font.program_name for font in fonts} == {"NotoSansCJKsc-Regular", "NotoSansCJKsc-Bold"}, fonts
    assert all(font.pdf_name.startswith("Report-Sans") for font in fonts), fonts


def test_the_font_check_names_a_font_that_is_not_embedded_or_not_bundled():
    fonts = [PdfFont("Report-Sans", True, "NotoSansCJKsc-Regular"), PdfFont("Report-Fallback-Bold", True, "DejaVuSans-Bold"),
             PdfFont("Report-Sans-Bold", False, ""), PdfFont("DejaVu-Sans", True, "DejaVuSans"),
             PdfFont("Report-Sans", True, "WenQuanYiZenHei")]
    assert font_problems(fonts) == [
        "Report-Sans-Bold: not embedded",
        "DejaVu-Sans: not a bundled font family (expected one of Report-Sans, Report-Fallback, Report-Tibetan, Report-Mongolian, Report-Yi)",
        "Report-Sans: the embedded program is 'WenQuanYiZenHei', not one of the bundled fonts",
    ]


def test_pdfa_metadata_language_and_title(s2_zh):
    made = s2_zh[3]
    reader = PdfReader(io.BytesIO(made.pdf))
    root = reader.trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data()
    assert b'pdfaid:part="3"' in xmp and b'pdfaid:conformance="B"' in xmp
    assert root["/Lang"] == "zh-Hans"
    assert "/StructTreeRoot" not in root, "tagging is asked for (it doubles the time spent writing)"
    assert reader.metadata.title.startswith("个人信息保护影响评估报告")
    assert "/AF" in root  # PDF/A-3 associated file: the draft


def _mini_made(mini, answers: dict, language="en", **kwargs):
    assessment = new_assessment(mini, title="Gate <b>3</b>").model_copy(update={"answers": answers, **kwargs})
    data = serialise(assessment)
    return data, make_report(mini, assessment, data, language, TODAY)


def test_pdf_ua_option_tags_the_report_and_declares_both_identifications(mini):
    assessment = new_assessment(mini)
    made = make_report(mini, assessment, serialise(assessment), "en", TODAY, pdf_ua=True)
    root = PdfReader(io.BytesIO(made.pdf)).trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data()
    assert b'pdfaid:part="3"' in xmp and b'pdfuaid:part="1"' in xmp
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]


class _Listener:
    """A local TCP server that counts connection attempts: the renderer must make none."""

    def __init__(self):
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(5)
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.connections = 0
        self.running = True
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while self.running:
            try:
                connection, _ = self.server.accept()
                self.connections += 1
                connection.close()
            except OSError:
                continue

    def close(self):
        self.running = False
        self.thread.join()
        self.server.close()


def test_user_text_with_markup_css_and_urls_is_printed_as_text_and_fetches_nothing(mini, tmp_path):
    listener = _Listener()
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    hostile = (f'<img src="file://{secret}"> <img src="http://127.0.0.1:{listener.port}/pixel.png">'
               f'<link rel="stylesheet" href="http://127.0.0.1:{listener.port}/x.css">'
               f'<style>body {{ background: url(http://127.0.0.1:{listener.port}/bg.png) }}</style>'
               f'<script>alert(1)</script><a href="file:///etc/passwd">passwd</a>')
    try:
        data, made = _mini_made(mini, {"alt.offered": "no"}, notes={"alt.offered": hostile},
                                metadata=new_assessment(mini, title=hostile, organisation=f"url(file://{secret})").metadata)
    finally:
        listener.close()
    text = _text(made.pdf)
    assert listener.connections == 0
    assert made.refused == ()  # escaped: the renderer was never even asked for those addresses
    assert "TOP-SECRET-CONTENT" not in text and "root:" not in text
    assert _squash('<img src="file://') in text and _squash("<script>alert(1)</script>") in text
    assert b"/URI" not in made.pdf  # no link to anywhere outside the document


def test_the_renderer_refuses_any_address_outside_the_apps_resources(tmp_path):
    # Even markup that reached the renderer unescaped could not read a file or use the network.
    listener = _Listener()
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"\x89PNG not really")
    html = (f'<html><body><p>x</p><img src="{secret.as_uri()}"><img src="http://127.0.0.1:{listener.port}/a.png">'
            f'<link rel="stylesheet" href="http://127.0.0.1:{listener.port}/b.css"><img src="data:image/png;base64,AAAA"></body></html>')
    options = RenderOptions(attachment=b"{}", attachment_name="a.dpia")
    try:
        pdf = render_pdf(html, options)
    finally:
        listener.close()
    assert pdf.startswith(b"%PDF-")
    assert listener.connections == 0
    assert any(url.startswith("file:") and "secret.png" in url for url in options.refused)
    assert any(url.startswith("http://127.0.0.1") for url in options.refused)
    assert any(url.startswith("data:") for url in options.refused)


def test_a_pdf_without_a_draft_or_a_broken_pdf_is_refused_and_left_alone(tmp_path, mini):
    foreign = tmp_path / "foreign.pdf"
    render_options = RenderOptions(attachment=b"x", attachment_name="other.bin")
    foreign.write_bytes(render_pdf("<p>hello</p>", render_options))
    before = foreign.read_bytes()
    with pytest.raises(DraftError, match="PDF, but this PDF does not contain an assessment draft"):
        read_draft(foreign)
    assert foreign.read_bytes() == before
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n garbage")
    with pytest.raises(DraftError, match="PDF"):
        read_draft(broken)
    with pytest.raises(NoDraftInPdf, match="not a PDF"):
        draft_from_pdf(b"{}")


def test_cli_render_and_import_pdf(tmp_path, capsys, mini):
    draft = tmp_path / "site.dpia"
    save_draft(new_assessment(load_builtin_pack("cn-frt-2025"), title="Lobby 北门"), draft)
    report = tmp_path / "site.pdf"
    assert main(["render", str(draft), "-o", str(report), "--lang", "bilingual", "--today", "2026-12-01"]) == EXIT_OK
    assert report.read_bytes().startswith(b"%PDF-")
    assert main(["render", str(draft), "-o", str(report)]) == EXIT_BAD_FILE  # exists: not replaced silently
    assert "already exists" in capsys.readouterr().err
    back = tmp_path / "back.dpia"
    assert main(["import-pdf", str(report), "-o", str(back)]) == EXIT_OK
    assert back.read_bytes() == draft.read_bytes()
    assert main(["import-pdf", str(draft), "-o", str(tmp_path / "x.dpia")]) == EXIT_BAD_FILE
    assert "not a PDF" in capsys.readouterr().err
    assert not (tmp_path / "x.dpia").exists()


# What people in China type into an assessment besides Chinese and English: names in Uyghur,
# Tibetan, Mongolian and Yi, accented Latin and Greek in vendor names, symbols, rare characters.
SCRIPTS = "艾力·买买提 ئەخمەت ئىمىن བཀྲ་ཤིས་ ᠪᠠᠲᠤ ꆈꌠ José Łódź Ελληνικά Дмитрий 𠮷野家 ①②③ ±×÷ → ✓ “quoted” ﹝注﹞"


def _bundled_fonts_cover(text: str) -> set[str]:
    from fontTools.ttLib import TTFont

    from dpia_app.report.pdf import FONT_FACES, fonts_dir

    covered: set[int] = set()
    for _family, _weight, _style, name in FONT_FACES:
        with TTFont(fonts_dir() / name, lazy=True) as font:
            covered |= set(font.getBestCmap())
    return {ch for ch in text if not ch.isspace() and ord(ch) not in covered}


def test_every_character_people_type_renders_with_a_bundled_font(mini):
    assert _bundled_fonts_cover(SCRIPTS) == set()
    assessment = new_assessment(mini, title=SCRIPTS, organisation=SCRIPTS)
    assessment = assessment.model_copy(update={"notes": {"alt.offered": SCRIPTS}})
    made = make_report(mini, assessment, serialise(assessment), "zh", TODAY)
    fonts = fonts_in_pdf(PdfReader(io.BytesIO(made.pdf)))
    assert fonts and font_problems(fonts) == [], fonts  # no system font stepped in
    assert len({font.program_name for font in fonts}) > 2, fonts  # the fallback fonts did their part
    text = _text(made.pdf)
    for word in ("艾力·买买提", "José", "Łódź", "Ελληνικά", "Дмитрий", "𠮷野家"):
        assert _squash(word) in text, word


def test_unusable_hidden_and_orphaned_answers_are_printed_not_lost(mini):
    answers = {"alt.offered": "maybe", "who.count": "many", "retired.question": {"kept": True}}
    data, made = _mini_made(mini, answers)
    text = _text(made.pdf)
    assert _squash('"maybe"') in text and _squash('"many"') in text
    assert "retired.question" in text and _squash("Answers kept for questions this form pack no longer has") in text
    # Unusable answers leave required questions open and nothing blocks yet: no conclusion.
    assert _squash("Verdict: Incomplete: no conclusion yet") in text and _squash("there is no conclusion until") in text


def test_long_text_breaks_across_pages_without_losing_any_of_it(mini):
    words = " ".join(f"word{i}" for i in range(6000)) + " 结尾标记END"
    data, made = _mini_made(mini, {"alt.offered": "no"}, notes={"alt.offered": words})
    reader = PdfReader(io.BytesIO(made.pdf))
    text = _text(made.pdf)
    assert len(reader.pages) > 8
    assert "word0" in text and "word5999" in text and "结尾标记END" in text


def test_an_incomplete_assessment_is_reported_as_incomplete_never_may_proceed():
    """The report's content (no PDF needed): an empty draft has no conclusion, in both languages."""
    from dpia_app.report.content import build_report

    pack = load_builtin_pack("cn-frt-2025")
    assessment = new_assessment(pack)
    today = dt.date(2026, 11, 20)
    evaluation = evaluate(pack, assessment, today)
    report = build_report(pack, assessment, evaluation, serialise(assessment), "bilingual", today)
    assert report.verdict == "incomplete"
    assert (report.verdict_label.main, report.verdict_label.second) == ("评估未完成，尚无结论", "Incomplete: no conclusion yet")
    assert "全部作答前不作评估结论" in report.provisional.main and "no conclusion until they are answered" in report.provisional.second
    everything = str(report.__dict__)
    assert "May proceed" not in everything and "可以实施" not in everything


def test_the_method_section_labels_each_instrument_by_its_kind():
    """Catalog 2026.2: GB/T standards are 推荐性国家标准, CAC announcements 规范性文件, the 2023 draft 征求意见稿."""
    from dpia_app.report.content import build_report

    pack = load_builtin_pack("cn-frt-2025")
    example = Path(__file__).parent.parent / "examples" / "s2-mall-vip-recognition.dpia"
    assessment = read_draft(example, pack).assessment
    today = dt.date(2026, 12, 1)
    report = build_report(pack, assessment, evaluate(pack, assessment, today), example.read_bytes(), "zh", today)
    described = {fact.label.main: fact.value.main for fact in report.instruments}
    assert "推荐性国家标准" in described["《个人信息安全影响评估指南》(GB/T 39335-2020)"]
    assert "规范性文件" in described["《国家互联网信息办公室关于开展人脸识别技术应用备案工作的公告》"]
    assert "法律" in described["《个人信息保护法》"] and "部门规章" in described["《人脸识别技术应用安全管理办法》"]
    draft = described["《人脸识别技术应用安全管理规定（试行）（征求意见稿）》"]
    assert draft.count("征求意见稿") == 2 and "不作为法律依据引用" in draft  # its title, and why it is not cited


def test_the_method_note_explains_once_each_marker_the_reports_citations_carry():
    """Provenance notes (article to be confirmed, 2019 approval draft) are said once, in the method
    section, for the markers the report's citations carry; the bundled fonts draw the markers."""
    from dpia_app.report.content import build_report

    pack = load_builtin_pack("cn-frt-2025")
    example = Path(__file__).parent.parent / "examples" / "s2-mall-vip-recognition.dpia"
    assessment = read_draft(example, pack).assessment
    today = dt.date(2026, 12, 1)
    evaluation = evaluate(pack, assessment, today)
    for language, draft, unconfirmed in (("zh", "2019年报批稿", "待核实"), ("en", "2019 approval draft", "to be confirmed")):
        report = build_report(pack, assessment, evaluation, example.read_bytes(), language, today)
        cited = [reference.citation.main for reference in report.references]
        markers = [marker for marker in ("†", "‡") if any(marker in citation for citation in cited)]
        assert markers == ["†", "‡"], "S2 cites an unconfirmed article and a GB/T 39335 clause"
        notes = {p.main[0]: p.main for p in report.method_text if p.main[:1] in markers}
        assert sorted(notes) == sorted(markers), "each marker explained once"
        assert draft in notes["‡"] and unconfirmed in notes["†"]
        assert not any(draft in c or unconfirmed in c for c in cited)
    assert _bundled_fonts_cover("†‡") == set()


def _page_bodies(made) -> list[str]:
    """Each page's text without its running header (title, status) and its page number."""
    header = {_squash(made.report.title), _squash(made.report.status_label.main)}
    bodies = []
    for page in PdfReader(io.BytesIO(made.pdf)).pages:
        lines = [_squash(line) for line in (page.extract_text() or "").splitlines()]
        body = [line for line in lines if line and line not in header and not re.fullmatch(r"(Page\d+of\d+|第\d+页，共\d+页)", line)]
        bodies.append("".join(body))
    return bodies


def _text_outside_the_print_area(made) -> list[tuple[int, str]]:
    """Text that starts past the right margin of an A4 page (20 mm left, 18 mm right): a table wider
    than the page once ran its last columns off the paper."""
    right = (210 - 18) / 25.4 * 72 + 2  # points, with 2 pt for rounding
    outside: list[tuple[int, str]] = []
    for number, page in enumerate(PdfReader(io.BytesIO(made.pdf)).pages, start=1):
        def visit(text, cm, tm, _font, _size, number=number):
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            if text.strip() and x > right:
                outside.append((number, text.strip()))
        page.extract_text(visitor_text=visit)
    return outside


@pytest.fixture(scope="module")
def s2_bilingual(pack):
    return _example("s2-mall-vip-recognition.dpia", pack, "bilingual")


# The filing report of the largest example: what a DPO files and a regulator reads (issue 11).
PAGE_BUDGET = {"en": 25, "zh": 25, "bilingual": 40}


def test_the_filing_report_keeps_to_its_page_budget_and_to_the_page(s2_en, s2_zh, s2_bilingual):
    for language, (_d, _a, _e, made) in (("en", s2_en), ("zh", s2_zh), ("bilingual", s2_bilingual)):
        pages = len(PdfReader(io.BytesIO(made.pdf)).pages)
        assert pages <= PAGE_BUDGET[language], (language, pages)
        assert _text_outside_the_print_area(made) == [], language


@pytest.mark.parametrize("name", ["s1-office-turnstiles.dpia", "s2-mall-vip-recognition.dpia", "s3-gym-entry-with-children.dpia"])
def test_no_page_is_empty_apart_from_its_running_header(pack, name, s2_en, s2_zh, s2_bilingual):
    """The bilingual cover once overflowed by a line, leaving a page with nothing but "Draft" on it."""
    if name.startswith("s2"):
        made = [s2_bilingual[3], s2_en[3], s2_zh[3]]
    else:
        made = [_example(name, pack, "bilingual")[3]]
    for report in made:
        empty = [number for number, body in enumerate(_page_bodies(report), start=1) if not body]
        assert empty == [], (name, report.report.language, empty)


def test_the_processing_reads_as_a_fact_sheet_and_the_full_record_asks_the_whole_questions():
    pack, _evaluation, filing = _content("s2-mall-vip-recognition.dpia", "zh", "filing")
    _pack, _evaluation, full = _content("s2-mall-vip-recognition.dpia", "zh", "full")
    for topic, whole in zip(filing.topics, full.topics):
        assert topic.as_facts and not whole.as_facts
        assert topic.intro is None and whole.intro is not None, "the law per part is in the full record"
        for fact, asked in zip(topic.questions, whole.questions):
            question = pack.pack.question(fact.question_id)
            assert fact.question.main == question.label.zh_hans and asked.question.main == question.text.zh_hans
            assert fact.answer == asked.answer and fact.number == asked.number


def test_a_pack_without_labels_keeps_the_whole_questions(mini):
    """A pack that names no facts (an older or third-party pack) still prints every question."""
    from dpia_app.report.content import build_report

    assert not any(q.label for s in mini.pack.sections for q in s.questions)
    assessment, evaluation = assess(mini, {})
    report = build_report(mini, assessment, evaluation, serialise(assessment), "en", TODAY)
    printed = [q for topic in report.topics for q in topic.questions]
    assert printed and not any(topic.as_facts for topic in report.topics)
    assert all(q.question.main == mini.pack.question(q.question_id).text.en for q in printed)


def test_a_table_too_wide_for_the_page_is_printed_a_record_per_row(s2_en):
    _data, assessment, _evaluation, made = s2_en
    activities = next(q for topic in made.report.topics for q in topic.questions if q.question_id == "org.activities")
    table = activities.answer.table
    assert table.as_records and len(table.rows) == len(assessment.answers["org.activities"])
    assert "Provided to or processed by another party" in [label.main for label in table.record_labels]
    assert not any(label.main.endswith("?") for label in table.record_labels)
    text = _text(made.pdf)
    for row in assessment.answers["org.activities"]:
        assert _squash(row["activity"]) in text


def test_the_action_plan_names_what_each_action_treats_by_its_number_in_the_report():
    _pack, evaluation, report = _content("s2-mall-vip-recognition.dpia", "en", "filing")
    numbers = {f.rule_id: str(f.number) for f in report.findings}
    risk_numbers = {r.risk_id: str(r.number) for r in report.risks}
    for entry, action in zip(report.actions, read_draft(EXAMPLES / "s2-mall-vip-recognition.dpia").assessment.actions):
        assert [t.text for t in entry.findings] == sorted((numbers[f] for f in action.finding_ids), key=int)
        assert sorted(t.text for t in entry.risks) == sorted(risk_numbers[r] for r in action.risk_ids)
        assert all(t.anchor == "risks" for t in entry.risks), "the filing report links to the register"


def _content(name: str, language: str, edition: str):
    from dpia_app.report.content import build_report

    pack = load_builtin_pack("cn-frt-2025")
    path = EXAMPLES / name
    assessment = read_draft(path, pack).assessment
    today = dt.date(2026, 12, 1)
    evaluation = evaluate(pack, assessment, today)
    return pack, evaluation, build_report(pack, assessment, evaluation, path.read_bytes(), language, today, edition)


def test_the_filing_report_has_one_record_of_the_answers_and_the_full_record_adds_the_annexes():
    _pack, _evaluation, filing = _content("s2-mall-vip-recognition.dpia", "en", "filing")
    _pack, _evaluation, full = _content("s2-mall-vip-recognition.dpia", "en", "full")
    assert filing.appendix_answers == () and filing.changelog == ()
    # The filing report cites each article where it applies; the index of every requirement is an annex.
    assert [h.main for h in filing.appendix_headings.values()] == ["A. Glossary", "B. Integrity"]
    assert full.appendix_answers and [h.main for h in full.appendix_headings.values()][:3] == [
        "A. Every answer", "B. How each risk was rated", "C. Legal references"]
    # Section 3 is the one readable account: each answer numbered, linking to the findings it caused.
    numbered = [q for topic in filing.topics for q in topic.questions]
    assert numbered[0].number == "3.1.1" and len({q.number for q in numbered}) == len(numbered)
    caused = [q for q in numbered if q.findings]
    assert caused and all(anchor.startswith("finding-R-") for q in caused for _n, anchor in q.findings)


def test_findings_are_sized_by_severity_numbered_and_point_at_the_answers_behind_them():
    _pack, evaluation, report = _content("s2-mall-vip-recognition.dpia", "en", "filing")
    order = [severity for severity, _label, group in report.findings_by_severity for _f in group]
    assert order == sorted(order, key=["blocking", "high", "advisory"].index), "blocking first"
    assert [f.number for _s, _l, group in report.findings_by_severity for f in group] == list(range(1, len(evaluation.findings) + 1))
    blocking = next(group for severity, _l, group in report.findings_by_severity if severity == "blocking")
    assert all(cause.number.startswith("3.") for f in blocking for cause in f.caused_by), "a cause is a number, not the question again"
    assert report.liability is not None and "PIPL Art. 66" in report.liability.main, "exposure said once, not per finding"


def test_a_bilingual_report_puts_english_where_both_readers_need_it():
    _pack, evaluation, report = _content("s2-mall-vip-recognition.dpia", "bilingual", "filing")
    finding = report.findings[0]
    assert finding.title.second and finding.recommendation.second, "titles and recommendations in both languages"
    assert finding.finding.second is None and finding.why.second is None, "the body in Chinese only"
    assert report.verdict_label.second and all(r.headline.second for r in report.reasons)
    assert report.headings["findings"].second == "4. Findings"
    question = report.topics[0].questions[0]
    assert question.question.second is None


def test_the_public_summary_prints_only_what_the_pack_chose_and_carries_no_draft(tmp_path):
    pack, _evaluation, report = _content("s2-mall-vip-recognition.dpia", "zh", "public")
    chosen = {q for part in pack.pack.public_summary.parts for q in part.questions}
    printed = {question.main for part in report.public_parts for question, _answer in part.answers}
    assert printed and printed <= {pack.pack.question(q).text.zh_hans for q in chosen}
    assert not any(pack.pack.question(q).text.zh_hans in printed for q in pack.pack.questions if q.startswith("security."))
    assert report.public_intro is not None and "安全措施细节未予列出" in report.public_intro.main
    made = make_report(pack, read_draft(EXAMPLES / "s2-mall-vip-recognition.dpia", pack).assessment,
                       (EXAMPLES / "s2-mall-vip-recognition.dpia").read_bytes(), "zh", dt.date(2026, 12, 1), edition="public")
    assert 1 <= len(PdfReader(io.BytesIO(made.pdf)).pages) <= 3
    assert "/StructTreeRoot" in PdfReader(io.BytesIO(made.pdf)).trailer["/Root"], "published: tagged for screen readers"
    (tmp_path / "public.pdf").write_bytes(made.pdf)
    with pytest.raises(NoDraftInPdf) as refused:
        draft_from_pdf(made.pdf)
    assert refused.value.public_summary
    with pytest.raises(DraftError, match="public summary of an assessment, which carries no draft"):
        read_draft(tmp_path / "public.pdf")
