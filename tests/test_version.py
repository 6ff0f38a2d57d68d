"""The version is written once, in pyproject.toml, and read from there by the app."""

from __future__ import annotations

import tomllib
from pathlib import Path

import dpia_app

ROOT = Path(__file__).resolve().parent.parent


def pyproject_version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def test_the_package_version_is_pyprojects():
    assert dpia_app.__version__ == pyproject_version()


def test_an_installed_package_reads_its_metadata(tmp_path, monkeypatch):
    # As in a wheel or the frozen app: no pyproject.toml beside the package.
    monkeypatch.setattr(dpia_app, "_version_from_metadata", lambda: "7.8.9")
    assert dpia_app.find_version(tmp_path / "dpia_app") == "7.8.9"


def test_without_metadata_or_source_tree_the_version_says_unknown(tmp_path, monkeypatch):
    monkeypatch.setattr(dpia_app, "_version_from_metadata", lambda: None)
    assert dpia_app.find_version(tmp_path / "dpia_app") == "0+unknown"


def test_another_projects_pyproject_is_ignored(tmp_path, monkeypatch):
    monkeypatch.setattr(dpia_app, "_version_from_metadata", lambda: None)
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "something-else"\nversion = "3.0"\n', encoding="utf-8")
    assert dpia_app.find_version(tmp_path / "dpia_app") == "0+unknown"
    (tmp_path / "pyproject.toml").write_text("not toml [", encoding="utf-8")
    assert dpia_app.find_version(tmp_path / "dpia_app") == "0+unknown"


def test_a_source_tree_wins_over_stale_installed_metadata(tmp_path, monkeypatch):
    monkeypatch.setattr(dpia_app, "_version_from_metadata", lambda: "0.0.1")
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "dpia-app"\nversion = "2.1.0"\n', encoding="utf-8")
    assert dpia_app.find_version(tmp_path / "dpia_app") == "2.1.0"


def test_the_installed_metadata_matches_pyproject():
    # Fails after a version bump until the project is reinstalled (dev.py does so when pyproject changes).
    assert dpia_app._version_from_metadata() == pyproject_version()


def test_the_reports_method_section_names_the_app_version(cn_pack):
    import datetime as dt

    from dpia_app.core.drafts import read_draft
    from dpia_app.core.evaluation import evaluate
    from dpia_app.report.content import build_report

    example = ROOT / "examples" / "s1-office-turnstiles.dpia"
    assessment = read_draft(example, cn_pack).assessment
    today = dt.date(2026, 11, 20)
    for language, label in (("en", "Produced by"), ("zh", "生成工具")):
        report = build_report(cn_pack, assessment, evaluate(cn_pack, assessment, today), example.read_bytes(), language, today)
        facts = {fact.label.main: fact.value.main for fact in report.method_facts}
        assert facts.get(label) == f"dpia-app {pyproject_version()}", facts
