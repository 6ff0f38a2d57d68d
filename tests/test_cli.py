"""The `dpia` command line: exit status, output in both languages, refusing bad files."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from dpia_app.cli import EXIT_BAD_FILE, EXIT_INCOMPLETE, EXIT_MUST_NOT_PROCEED, EXIT_OK, EXIT_USAGE, main
from dpia_app.core.drafts import new_assessment, read_draft, save_draft

from .conftest import MINI_PACK


@pytest.fixture
def mini_draft(tmp_path, mini):
    def make(answers: dict, name: str = "a.dpia", **metadata):
        path = tmp_path / name
        save_draft(new_assessment(mini, **metadata).model_copy(update={"answers": answers}), path)
        return path
    return make


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_check_exit_status_follows_the_verdict(capsys, mini_draft):
    good = mini_draft({"who.groups": ["adults"], "who.count": 5, "alt.offered": "yes", "alt.kind": "pin"}, "good.dpia")
    bad = mini_draft({"alt.offered": "no"}, "bad.dpia", title="Gate 3")
    code, out, _ = run(capsys, "check", str(good), "--pack-file", str(MINI_PACK), "--today", "2026-11-20")
    assert code == EXIT_OK and "Verdict: MAY PROCEED" in out
    code, out, _ = run(capsys, "check", str(bad), "--pack-file", str(MINI_PACK), "--today", "2026-11-20")
    assert code == EXIT_MUST_NOT_PROCEED
    # The finding by its title; the rule id trails as secondary text for those who cite it.
    assert "Verdict: MUST NOT PROCEED" in out and "[BLOCKING] No alternative" in out and "[R-ALT-01]" in out
    assert "Legal basis: Example Law Art. 1" in out and "Gate 3" in out
    assert "Provisional" in out and "Who › Groups? [who.groups]" in out


def test_check_in_chinese(capsys, mini_draft):
    bad = mini_draft({"alt.offered": "no"})
    code, out, _ = run(capsys, "check", str(bad), "--pack-file", str(MINI_PACK), "--lang", "zh", "--today", "2026-11-20")
    assert code == EXIT_MUST_NOT_PROCEED
    assert "结论：不得实施" in out and "未提供替代方式。" in out and "依据：《示例法》第一条" in out
    assert "[严重问题]" in out or "严重问题" in out
    assert "阻断性" not in out and "高等级" not in out and "建议性" not in out
    assert "Verdict" not in out and "Recommendation" not in out


def test_check_json_is_complete_and_parseable(capsys, mini_draft):
    path = mini_draft({"alt.offered": "no", "who.count": 150, "who.reached_on": "2025-09-15", "who.filed": "no"})
    code, out, _ = run(capsys, "check", str(path), "--json", "--pack-file", str(MINI_PACK), "--today", "2026-11-20")
    data = json.loads(out)
    assert code == EXIT_MUST_NOT_PROCEED
    assert data["summary"]["verdict"] == "must_not_proceed"
    assert data["summary"]["findings_by_severity"] == {"blocking": 1, "high": 1, "advisory": 0}
    assert data["evaluation"]["filing"][0]["deadline"] == "2025-10-31"
    assert data["evaluation"]["findings"][0]["citations"][0]["text"]["zh-Hans"] == "《示例法》第一条"
    assert "2025-10-31" in data["summary"]["filing"][0] and "OVERDUE" in data["summary"]["filing"][0]


@pytest.mark.parametrize(("content", "message"), [
    (b"not json at all", "not a DPIA draft"),
    (b'{"format": "dpia-draft", "format_version": 7}', "newer version of this app"),
    (b'{"format": "dpia-draft", "format_version": 1, "answers": {"a": ', "incomplete"),
])
def test_bad_draft_exits_3_with_a_message_and_the_file_untouched(capsys, tmp_path, content, message):
    path = tmp_path / "bad.dpia"
    path.write_bytes(content)
    code, out, err = run(capsys, "check", str(path))
    assert code == EXIT_BAD_FILE and message in err and out == ""
    assert path.read_bytes() == content


def test_usage_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as raised:
        main(["check"])
    assert raised.value.code == EXIT_USAGE
    with pytest.raises(SystemExit):
        main(["check", "x.dpia", "--lang", "fr"])
    assert "unsupported language 'fr'" in capsys.readouterr().err
    assert main([]) == EXIT_USAGE


def test_forms_check_prints_every_problem(capsys, tmp_path):
    text = MINI_PACK.read_text(encoding="utf-8").replace("severity: blocking", "severity: critical")
    (tmp_path / "mini-catalog.yaml").write_bytes((MINI_PACK.parent / "mini-catalog.yaml").read_bytes())
    pack = tmp_path / "pack.yaml"
    pack.write_text(text, encoding="utf-8")
    code, out, err = run(capsys, "forms", "check", str(pack))
    assert code == EXIT_BAD_FILE
    assert out.count("'critical' is not allowed") == 2 and f"{pack}:" in out and "2 problem(s)" in err
    code, out, _ = run(capsys, "forms", "check", str(MINI_PACK))
    assert code == EXIT_OK and "4 rules" in out


def test_new_refuses_to_overwrite_and_unknown_pack(capsys, tmp_path):
    target = tmp_path / "new.dpia"
    target.write_text("precious", encoding="utf-8")
    code, _, err = run(capsys, "new", "--pack", "cn-frt-2025", "-o", str(target))
    assert code == EXIT_BAD_FILE and "already exists" in err
    assert target.read_text(encoding="utf-8") == "precious"
    code, _, err = run(capsys, "new", "--pack", "no-such-pack", "-o", str(tmp_path / "x.dpia"))
    assert code == EXIT_BAD_FILE and "no built-in form pack 'no-such-pack'" in err


def test_a_new_empty_assessment_is_incomplete_with_its_own_exit_status(capsys, tmp_path):
    draft = tmp_path / "new.dpia"
    assert run(capsys, "new", "--pack", "cn-frt-2025", "-o", str(draft), "--title", "Lobby")[0] == EXIT_OK
    code, out, _ = run(capsys, "check", str(draft), "--today", "2026-11-20")
    assert code == EXIT_INCOMPLETE
    assert "Verdict: INCOMPLETE: NO CONCLUSION YET" in out and "MAY PROCEED" not in out
    assert "there is no conclusion until they are answered" in " ".join(out.split()) and "Provisional" not in out
    code, out, _ = run(capsys, "check", str(draft), "--today", "2026-11-20", "--lang", "zh")
    assert code == EXIT_INCOMPLETE and "结论：评估未完成，尚无结论" in out and "全部作答前不作评估结论" in "".join(out.split())
    code, out, _ = run(capsys, "check", str(draft), "--today", "2026-11-20", "--json")
    assert code == EXIT_INCOMPLETE and json.loads(out)["summary"]["verdict"] == "incomplete"


def test_new_template_and_new_from(capsys, tmp_path):
    first = tmp_path / "hq.dpia"
    assert run(capsys, "new", "--pack", "cn-frt-2025", "-o", str(first), "--title", "HQ", "--organisation", "ACME")[0] == EXIT_OK
    opened = read_draft(first)
    assert (opened.assessment.metadata.title, opened.assessment.metadata.organisation, opened.assessment.pack.id) == ("HQ", "ACME", "cn-frt-2025")
    template = tmp_path / "t.dpia"
    assert run(capsys, "template", str(first), "-o", str(template))[0] == EXIT_OK
    assert read_draft(template).kind == "template" and read_draft(template).assessment.metadata.organisation == ""
    derived = tmp_path / "branch.dpia"
    assert run(capsys, "new", "--from", str(template), "-o", str(derived), "--title", "Branch")[0] == EXIT_OK
    assert read_draft(derived).assessment.metadata.derived_from == "t.dpia"


def test_schema_command_writes_current_schemas(capsys, tmp_path):
    assert run(capsys, "schema", "-o", str(tmp_path))[0] == EXIT_OK
    from pathlib import Path

    published = Path(__file__).parent.parent / "schemas"
    for name in ("form-pack.schema.json", "catalog.schema.json", "draft.schema.json"):
        assert (tmp_path / name).read_text(encoding="utf-8") == (published / name).read_text(encoding="utf-8"), f"schemas/{name} is stale: run `dpia schema`"


def test_console_script_runs_as_a_process(tmp_path):
    result = subprocess.run([sys.executable, "-m", "dpia_app.cli", "forms", "list"], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0 and result.stdout.startswith("cn-frt-2025\t")


@pytest.mark.parametrize("language, heading", [("en", "Notes on the legal sources"), ("zh", "关于法律依据的说明")])
def test_check_explains_each_marker_its_citations_carry(capsys, language, heading):
    """A citation printed with † or ‡ is explained once at the end, as on screen and in the report."""
    from .conftest import EXAMPLES

    main(["check", str(EXAMPLES / "s2-mall-vip-recognition.dpia"), "--lang", language, "--today", "2026-12-01"])
    out = capsys.readouterr().out
    body, _sep, notes = out.partition(heading)
    markers = [marker for marker in ("†", "‡") if marker in body]
    assert markers == ["†", "‡"]
    assert sorted(line.strip()[0] for line in notes.splitlines() if line.strip()[:1] in markers) == sorted(markers)
