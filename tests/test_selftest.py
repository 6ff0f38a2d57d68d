"""`dpia-app --self-test` and `dpia --self-test`: in-process, as the installed commands run it, and failing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from dpia_app import selftest
from dpia_app.selftest import EXIT_FAILED, EXIT_OK, Expected, Step, SubsetterWatch, report_lines

OK_LINE = "dpia self-test: OK — pack cn-frt-2025 "


@pytest.fixture
def self_test_can_pass(report_libraries_present) -> None:
    """Pango (the fixture), and HarfBuzz's subsetter, without which the self-test rightly fails.

    A developer machine without libharfbuzz-subset skips with the install command; CI, which sets
    DPIA_REQUIRE_REPORT_LIBRARIES, fails instead.
    """
    from dpia_app.report import report_libraries

    warning = report_libraries().warning
    if warning:
        if os.environ.get("DPIA_REQUIRE_REPORT_LIBRARIES"):
            raise RuntimeError(warning)
        pytest.skip(warning)


def _clean_environment(home: Path) -> dict[str, str]:
    """No display, and a home of its own, so that the test sees whatever the self-test writes there."""
    environment = {key: value for key, value in os.environ.items()
                   if key not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "DPIA_APP_CONFIG_DIR")}
    environment.update(HOME=str(home), XDG_CONFIG_HOME=str(home / "config"), XDG_STATE_HOME=str(home / "state"),
                       APPDATA=str(home / "config"), LOCALAPPDATA=str(home / "state"),
                       PYTHONIOENCODING="utf-8")  # a Windows pipe would otherwise get the summary's dash in cp1252
    return environment


@pytest.mark.usefixtures("self_test_can_pass", "qapp")
def test_in_process_every_step_passes_and_the_result_is_also_written_to_a_file(tmp_path, capsys):
    output = tmp_path / "result.txt"
    assert selftest.run_and_report(output) == EXIT_OK
    printed = capsys.readouterr().out.strip()
    assert printed.startswith(OK_LINE) and "\n" not in printed, printed
    for part in ("3 examples", "bilingual PDF", "bundled fonts embedded", "HarfBuzz subsetter used", "window opened", "export process wrote", "not frozen"):
        assert part in printed, part
    assert output.read_text(encoding="utf-8") == printed + "\n"


@pytest.mark.usefixtures("self_test_can_pass")
@pytest.mark.parametrize("command", [["-m", "dpia_app", "--self-test"], ["-m", "dpia_app.cli", "--self-test"]],
                         ids=["dpia-app", "dpia"])
def test_the_commands_pass_without_a_display_and_write_nothing_outside_their_temporary_folders(tmp_path, command):
    work, home = tmp_path / "work", tmp_path / "home"
    work.mkdir()
    home.mkdir()
    run = subprocess.run([sys.executable, *command], cwd=work, env=_clean_environment(home),
                         capture_output=True, text=True, encoding="utf-8", timeout=300)
    assert run.returncode == EXIT_OK, run.stdout + run.stderr
    assert run.stdout.startswith(OK_LINE) and run.stdout.count("\n") == 1, run.stdout
    assert list(work.iterdir()) == []  # nothing in the working directory
    # The user's settings, recent files and recovery copies were never touched.
    assert not (home / "config" / "dpia-app").exists() and not (home / "state" / "dpia-app").exists()


def test_dpia_self_test_command_and_flag_reach_the_self_test(monkeypatch, tmp_path):
    from dpia_app.cli import main

    calls = []
    monkeypatch.setattr(selftest, "run_and_report", lambda output=None: calls.append(output) or EXIT_FAILED)
    assert main(["--self-test"]) == EXIT_FAILED
    assert main(["--self-test", "--self-test-output", str(tmp_path / "a.txt")]) == EXIT_FAILED
    assert main(["self-test", "-o", str(tmp_path / "b.txt")]) == EXIT_FAILED
    assert main(["self-test"]) == EXIT_FAILED
    assert calls == [None, tmp_path / "a.txt", tmp_path / "b.txt", None]


@pytest.mark.usefixtures("self_test_can_pass", "qapp")
def test_wrong_verdicts_and_a_foreign_font_fail_and_the_other_steps_still_run(monkeypatch, capsys):
    s1, *others = selftest.EXPECTED
    monkeypatch.setattr(selftest, "EXPECTED", (Expected(s1.file, ("must_not_proceed",), s1.filing_required), *others))
    # As if the report's fonts had not been the bundled Noto Sans CJK SC.
    monkeypatch.setattr("dpia_app.report.pdf_fonts.bundled_program_names", lambda: frozenset({"DejaVuSans"}))
    assert selftest.run_and_report() == EXIT_FAILED
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("dpia self-test: FAILED — examples: s1-office-turnstiles.dpia: verdict proceed_with_conditions, expected must_not_proceed; PDF: Report-Sans"), lines
    assert "not one of the bundled fonts" in lines[0]
    passed = next(line for line in lines if line.startswith("  passed: "))
    assert "HarfBuzz subsetter used" in passed and "window opened" in passed  # the later steps still ran


def test_an_export_process_that_fails_says_why(tmp_path):
    """The export step runs the wizard's own child process; a draft it cannot read is its error, worded."""
    broken = tmp_path / "broken.dpia"
    broken.write_text("{ not a draft", encoding="utf-8")
    from dpia_app.core.packs import builtin_pack_paths

    kind, message = selftest.run_export_process(broken, builtin_pack_paths()["cn-frt-2025"], tmp_path / "out.pdf")
    assert kind == "error" and "broken.dpia" in message, (kind, message)
    assert not (tmp_path / "out.pdf").exists()


def test_a_step_that_raises_fails_alone_with_its_traceback():
    step = selftest.run_step("pack", lambda: {}["cn-frt-2025"])
    assert not step.ok and step.said == "KeyError: 'cn-frt-2025'"
    assert step.details[0].startswith("Traceback") and step.details[-1] == "KeyError: 'cn-frt-2025'"
    assert selftest.run_step("pack", lambda: "pack x 1").ok


def test_the_summary_is_one_line_when_all_pass_and_lists_each_failure_after_it():
    passed = [Step("pack", True, "pack p 1"), Step("window", True, "window opened")]
    assert report_lines(passed, 2.0) == [f"dpia self-test: OK — pack p 1, window opened — {selftest.installation()}, 2.0 s"]
    failed = [Step("pack", True, "pack p 1"), Step("examples", False, "s2: wrong", ("s2: wrong", "s3: wrong")),
              Step("window", False, "no window")]
    assert report_lines(failed, 2.0) == [
        "dpia self-test: FAILED — examples: s2: wrong; window: no window",
        "  examples:",
        "    s3: wrong",
        "  passed: pack p 1",
        f"  {selftest.installation()}, 2.0 s",
    ]


@pytest.mark.usefixtures("report_libraries_present")
def test_the_watch_sees_which_subsetter_weasyprint_used(monkeypatch):
    from dpia_app.report.pdf import RenderOptions, render_pdf

    def render() -> SubsetterWatch:
        with SubsetterWatch() as watch:
            render_pdf("<p>hello 你好</p>", RenderOptions(attachment=b"{}", attachment_name="a.dpia"))
        return watch

    from weasyprint.text import ffi

    if ffi.harfbuzz_subset is not None:
        assert render().problems() == []
    # WeasyPrint without HarfBuzz's subsetter falls back to fontTools: the watch must see it.
    monkeypatch.setattr("weasyprint.pdf.fonts.harfbuzz_subset", None)
    watch = render()
    assert (watch.harfbuzz_calls, watch.fonttools_calls) == (0, 1)
    assert watch.problems() == ["1 fonts were subset with fontTools instead of HarfBuzz"]
    from weasyprint.pdf.fonts import Font

    assert Font._fonttools_subset.__name__ == "_fonttools_subset"  # the original is back


@pytest.mark.usefixtures("report_libraries_present")
def test_the_watch_fails_when_weasyprint_no_longer_has_the_methods_it_watches(monkeypatch):
    monkeypatch.delattr("weasyprint.pdf.fonts.Font._harfbuzz_subset")
    with SubsetterWatch() as watch:
        pass
    assert watch.problems() == ["cannot observe WeasyPrint's subsetting: its Font class has no _harfbuzz_subset (another WeasyPrint version?)"]


def test_a_windowed_app_without_streams_still_prints_somewhere(monkeypatch, tmp_path):
    # Windows' windowed executable has no sys.stdout; elsewhere (or with no parent console) the
    # output goes nowhere, but printing must not crash and the file and exit status still tell.
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    selftest.reach_a_console()
    stream = sys.stdout
    assert stream is not None and sys.stderr is stream
    output = tmp_path / "result.txt"
    assert selftest.emit(["dpia self-test: OK — x"], output)
    assert output.read_text(encoding="utf-8") == "dpia self-test: OK — x\n"
    assert not selftest.emit(["x"], tmp_path / "missing" / "result.txt")
    stream.close()
