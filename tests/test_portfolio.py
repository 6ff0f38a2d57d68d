"""The portfolio: a folder of drafts as rows, cached by file hash, a damaged file as a row that says
why, each processor's totals against the thresholds, the Excel workbook read back, and the CLI."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from dpia_app.cli import main
from dpia_app.core import portfolio
from dpia_app.core.drafts import read_draft
from dpia_app.core.portfolio import PortfolioRow, processor_totals, scan
from dpia_app.portfolio_report import crossing_text, write_xlsx

from .conftest import EXAMPLES, TODAY


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setattr(portfolio, "cache_file", lambda: tmp_path / "cache" / "portfolio.json")
    root = tmp_path / "drive"
    (root / "east").mkdir(parents=True)
    (root / "west").mkdir()
    shutil.copy(EXAMPLES / "s1-office-turnstiles.dpia", root / "east")
    shutil.copy(EXAMPLES / "s2-mall-vip-recognition.dpia", root / "west")
    shutil.copy(EXAMPLES / "s3-gym-entry-with-children.dpia", root / "west")
    (root / "west" / "damaged.dpia").write_text("{ not json", encoding="utf-8")
    (root / "notes.txt").write_text("not a draft, not listed", encoding="utf-8")
    return root


def _scan(root, cn_pack, today=TODAY):
    return scan(root, lambda: {"cn-frt-2025": cn_pack}, today, lambda error: type(error).__name__ + ": " + str(error))


def test_each_draft_is_a_row_and_a_damaged_one_says_why(cn_pack, folder):
    rows = _scan(folder, cn_pack)
    assert [row.path.rsplit("/", 1)[-1] for row in rows] == [
        "s1-office-turnstiles.dpia", "damaged.dpia", "s2-mall-vip-recognition.dpia", "s3-gym-entry-with-children.dpia"]
    damaged = rows[1]
    assert not damaged.readable and "DraftError" in damaged.problem and damaged.title == ""
    s2 = rows[2]
    assert s2.verdict == "must_not_proceed" and s2.open_blocking == 13 and s2.filing_state == "required"
    assert s2.organisation.startswith("Hangzhou Xinghe Plaza") and s2.stored_individuals == 350_000
    assert s2.actions and {"id", "measure", "owner", "due", "status", "findings", "risks"} == set(s2.actions[0])


def test_a_rescan_reads_only_the_files_that_changed(cn_pack, folder, monkeypatch):
    first = _scan(folder, cn_pack)
    read = []
    original = portfolio.row_for
    monkeypatch.setattr(portfolio, "row_for", lambda path, *a: read.append(path.name) or original(path, *a))
    assert _scan(folder, cn_pack) == first and read == ["damaged.dpia"], "only the file that cannot be read is read again"
    read.clear()
    s1 = folder / "east" / "s1-office-turnstiles.dpia"
    document = json.loads(s1.read_text(encoding="utf-8"))
    document["metadata"]["title"] = "Lobby turnstiles, rebuilt"
    s1.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    again = _scan(folder, cn_pack)
    assert read == ["s1-office-turnstiles.dpia", "damaged.dpia"] and again[0].title == "Lobby turnstiles, rebuilt"
    read.clear()
    _scan(folder, cn_pack, today=TODAY + dt.timedelta(days=1))
    assert len(read) == 4, "a new day: deadlines and reviews move, every row is evaluated again"
    assert "damaged.dpia" in read


def test_a_damaged_cache_is_ignored(cn_pack, folder):
    expected = _scan(folder, cn_pack)
    portfolio.cache_file().write_text('{"format": 1, "fingerprint": "x", "rows": {"a": 1}}', encoding="utf-8")
    assert _scan(folder, cn_pack) == expected
    fingerprint = json.loads(portfolio.cache_file().read_text(encoding="utf-8"))["fingerprint"]
    digest = next(iter(json.loads(portfolio.cache_file().read_text(encoding="utf-8"))["rows"]))
    portfolio.cache_file().write_text(json.dumps({"format": 1, "fingerprint": fingerprint, "rows": {digest: {"title": 5}}}), encoding="utf-8")
    assert _scan(folder, cn_pack) == expected


def _site(organisation: str, stored: int | None, method: str | None, pi: int | None = None, overlap: str | None = None) -> PortfolioRow:
    return PortfolioRow(path=f"{organisation}-{stored}.dpia", title="t", organisation=organisation, verdict="may_proceed",
                        stored_individuals=stored, count_method=method, pi_individuals=pi, overlap=overlap)


def test_a_group_whose_sites_add_up_past_a_threshold_no_site_reaches_is_pointed_out():
    rows = [_site("Jade Hotels", 60_000, "this_system_only", 600_000), _site("jade  hotels", 45_000, "this_system_only", 500_000),
            _site("Solo Shop", 99_000, "this_system_only")]
    totals = {t.organisation: t for t in processor_totals(rows)}
    jade = totals["Jade Hotels"]
    assert (jade.assessments, jade.stored_sum, jade.stored_largest_site, jade.counted_separately) == (2, 105_000, 60_000, 2)
    assert jade.crosses == ("filing", "officer") and totals["Solo Shop"].crosses == ()
    warning = crossing_text(jade, "en")[0]
    assert "up to 105,000" in warning and "no single site reaches" in warning
    assert "10万" in crossing_text(jade, "zh-Hans")[0] or "100,000" in crossing_text(jade, "zh-Hans")[0]
    assert not jade.stored_exact, "nobody said whether people are counted at two hotels"
    separate = [_site("Jade Hotels", 60_000, "this_system_only", overlap="none"), _site("Jade Hotels", 45_000, "this_system_only", overlap="none")]
    exact = processor_totals(separate)[0]
    assert exact.stored_exact and "stores 105,000 people's faces" in crossing_text(exact, "en")[0] and "must file" in crossing_text(exact, "en")[0]
    some = [separate[0], _site("Jade Hotels", 45_000, "this_system_only", overlap="some")]
    assert not processor_totals(some)[0].stored_exact and "up to 105,000" in crossing_text(processor_totals(some)[0], "en")[0]
    # A site that counted distinct people across the whole group already gives the group's number.
    counted = [*rows[:2], _site("Jade Hotels", 80_000, "deduplicated_all")]
    assert "filing" not in {t.organisation: t for t in processor_totals(counted)}["Jade Hotels"].crosses
    # A site over the threshold on its own has its own filing duty: nothing hidden to point out.
    big = [_site("Big", 150_000, "this_system_only"), _site("Big", 10, "this_system_only")]
    assert processor_totals(big)[0].crosses == ()


def test_the_workbook_reads_back_with_its_header_filters_and_dates(cn_pack, folder, tmp_path):
    rows = _scan(folder, cn_pack)
    out = tmp_path / "portfolio.xlsx"
    write_xlsx(out, rows, processor_totals(rows), "en")
    book = load_workbook(out)
    assert book.sheetnames == ["Portfolio", "Actions", "Processors"]
    sheet = book["Portfolio"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == sheet.dimensions
    header = [cell.value for cell in sheet[1]]
    assert header[:4] == ["Assessment", "Organisation", "Site", "Verdict"]
    by_title = {line[0]: dict(zip(header, line)) for line in sheet.iter_rows(min_row=2, values_only=True)}
    s2 = by_title["Mall entrances: VIP shopper recognition (1:N)"]
    assert s2["Verdict"] == "Must not proceed" and s2["Open blocking findings"] == 13
    assert isinstance(s2["Next review"], dt.datetime) and s2["Filing deadline"] == dt.datetime(2026, 9, 20)
    assert by_title[None]["Problem"], "the damaged file is a row that says why"
    actions = book["Actions"]
    assert actions.max_row - 1 == sum(len(row.actions) for row in rows)
    first = [cell.value for cell in actions[2]]
    assert first[0].endswith(".dpia") and first[1].startswith("A-")
    chinese = tmp_path / "组合.xlsx"
    write_xlsx(chinese, rows, processor_totals(rows), "zh-Hans")
    assert load_workbook(chinese).sheetnames == ["评估清单", "整改措施", "处理者"]


def test_cli_portfolio_text_json_and_excel(capsys, cn_pack, folder, tmp_path):
    out = tmp_path / "p.xlsx"
    code = main(["portfolio", str(folder), "--today", str(TODAY), "--xlsx", str(out)])
    text = capsys.readouterr().out
    assert code == 3, "a file could not be read"
    assert "Cannot be read" in text and "Must not proceed" in text and out.is_file()
    (folder / "west" / "damaged.dpia").unlink()
    assert main(["portfolio", str(folder), "--json", "--today", str(TODAY)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["assessments"]) == 3 and data["processors"]
    assert main(["portfolio", str(folder / "nowhere")]) == 3
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["portfolio", str(empty)]) == 0 and "No drafts (.dpia) found" in capsys.readouterr().out
    assert main(["portfolio", str(folder), "--xlsx", str(tmp_path / "p.csv")]) == 3


def _edited_workbook(cn_pack, folder, tmp_path, changes: dict[int, str], language="en"):
    """The portfolio workbook with the Status of some Actions rows changed (by sheet row number)."""
    rows = _scan(folder, cn_pack)
    out = tmp_path / "follow-up.xlsx"
    write_xlsx(out, rows, processor_totals(rows), language)
    book = load_workbook(out)
    sheet = book.worksheets[1]
    status_column = [cell.value for cell in sheet[1]].index({"en": "Status", "zh-Hans": "状态"}[language]) + 1
    for row, status in changes.items():
        sheet.cell(row=row, column=status_column, value=status)
    book.save(out)
    return out, sheet


def _actions_of(path):
    return {a.id: a.status for a in read_draft(path).assessment.actions}


def test_statuses_changed_in_the_workbook_go_back_into_the_drafts_line_by_line(cn_pack, folder, tmp_path):
    from dpia_app.action_import import import_statuses

    out, sheet = _edited_workbook(cn_pack, folder, tmp_path, {2: "Done", 3: "finished", 4: ""})
    file_2, action_2 = sheet.cell(row=2, column=1).value, sheet.cell(row=2, column=2).value
    before = _actions_of(file_2)
    dry = import_statuses(out, "en", dry_run=True)
    assert _actions_of(file_2) == before, "a dry run writes nothing"
    lines = import_statuses(out, "en")
    by_row = {line.row: line for line in lines}
    assert by_row[2].outcome == "changed" and "→ Done" in by_row[2].text
    assert by_row[3].outcome == "refused" and "'finished' is not one of" in by_row[3].text
    assert by_row[4].outcome == "refused", "an emptied status is not a status"
    assert all(line.outcome == "unchanged" for row, line in by_row.items() if row > 4)
    assert len(lines) == sheet.max_row - 1 and [line.row for line in dry] == [line.row for line in lines], "every line reported"
    assert _actions_of(file_2)[action_2] == "done"
    assert "import-actions" in read_draft(file_2).assessment.changelog[-1].by
    again = import_statuses(out, "en")
    assert {line.row: line.outcome for line in again}[2] == "unchanged"


def test_a_draft_in_use_or_changed_is_left_alone_and_a_chinese_workbook_is_understood(cn_pack, folder, tmp_path):
    from dpia_app.action_import import import_statuses
    from dpia_app.core.draft_lock import acquire

    out, sheet = _edited_workbook(cn_pack, folder, tmp_path, {2: "已完成"}, language="zh-Hans")
    draft = sheet.cell(row=2, column=1).value
    before = Path(draft).read_bytes()
    holder = acquire(Path(draft), take_over=True)
    lines = import_statuses(out, "en")
    assert lines[0].outcome == "refused" and "open for editing" in lines[0].text and Path(draft).read_bytes() == before
    holder.release()
    assert import_statuses(out, "en")[0].outcome == "changed"


def test_a_workbook_that_is_not_the_portfolio_says_so(tmp_path, capsys):
    from openpyxl import Workbook

    from dpia_app.action_import import import_statuses

    other = tmp_path / "budget.xlsx"
    book = Workbook()
    book.active.append(["Item", "Cost"])
    book.save(other)
    assert "has the columns File, Action id and Status" in import_statuses(other, "en")[0].text
    (tmp_path / "broken.xlsx").write_bytes(b"not a zip")
    assert "cannot be read as an Excel workbook" in import_statuses(tmp_path / "broken.xlsx", "en")[0].text
    assert main(["import-actions", str(other)]) == 3
