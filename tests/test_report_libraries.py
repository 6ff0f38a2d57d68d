"""Telling the user which system library the PDF report lacks; these need no PDF to be made."""

from __future__ import annotations

import datetime as dt

import pytest

from dpia_app.core.drafts import new_assessment, serialise
from dpia_app.report import MissingReportLibrary, make_report
from dpia_app.report import libraries

TODAY = dt.date(2026, 12, 1)


def test_a_missing_system_library_is_named_with_how_to_install_it(mini, monkeypatch, tmp_path, capsys):
    status = libraries.LibraryStatus(False, problem="PDF reports need the system library libpango-1.0-0, which is not installed. On Debian or Ubuntu: sudo apt-get install libpango-1.0-0")
    monkeypatch.setattr(libraries, "report_libraries", lambda: status)
    assessment = new_assessment(mini)
    with pytest.raises(MissingReportLibrary, match="libpango-1.0-0.*apt-get install"):
        make_report(mini, assessment, serialise(assessment), "en", TODAY)


def test_missing_harfbuzz_subsetter_is_detected(monkeypatch):
    if not libraries.report_libraries().available:
        pytest.skip(libraries.report_libraries().problem)
    from weasyprint.text import ffi

    libraries.report_libraries.cache_clear()
    monkeypatch.setattr(ffi, "harfbuzz_subset", None)
    try:
        status = libraries.report_libraries()
        assert status.available and "libharfbuzz-subset" in status.warning and "many times longer" in status.warning
    finally:
        libraries.report_libraries.cache_clear()


def test_library_name_is_found_in_the_loader_message():
    assert libraries._library_name("cannot load library 'libpango-1.0-0': error 0x7e") == "libpango-1.0-0"
    assert libraries._library_name("no library called \"gobject-2.0-0\" was found") == "GObject"


def test_render_command_says_what_to_install_and_writes_nothing(mini, monkeypatch, tmp_path, capsys):
    from dpia_app.cli import EXIT_BAD_FILE, main
    from dpia_app.core.drafts import save_draft
    from dpia_app.core.packs import load_builtin_pack

    status = libraries.LibraryStatus(False, problem="PDF reports need the system library libpango-1.0-0 (cannot load). On macOS: brew install pango")
    monkeypatch.setattr(libraries, "report_libraries", lambda: status)
    draft = tmp_path / "a.dpia"
    save_draft(new_assessment(load_builtin_pack("cn-frt-2025")), draft)
    assert main(["render", str(draft), "-o", str(tmp_path / "a.pdf")]) == EXIT_BAD_FILE
    assert "brew install pango" in capsys.readouterr().err
    assert not (tmp_path / "a.pdf").exists()
