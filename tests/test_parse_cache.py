"""The parsed-YAML cache: used only for the very same bytes, never trusted, ignored when damaged."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from dpia_app.core import parse_cache
from dpia_app.core.packs import load_pack
from dpia_app.core.yaml_source import DataFileError, read_yaml

FORMS = Path(__file__).parent.parent / "forms"


@pytest.fixture()
def forms(tmp_path, monkeypatch):
    monkeypatch.setenv("DPIA_APP_CONFIG_DIR", str(tmp_path / "config"))
    folder = tmp_path / "forms"
    folder.mkdir()
    for name in ("cn-frt-2025.yaml", "catalog-cn.yaml"):
        shutil.copy(FORMS / name, folder / name)
    return folder


def test_a_pack_read_twice_is_parsed_once_and_loads_the_same(forms, monkeypatch):
    first = load_pack(forms / "cn-frt-2025.yaml")
    entries = sorted(parse_cache.cache_folder().glob("*.json"))
    assert len(entries) == 2, "the pack and its catalog"
    calls = []
    monkeypatch.setattr("ruamel.yaml.YAML", lambda *a, **k: calls.append(a) or pytest.fail("parsed again"))
    second = load_pack(forms / "cn-frt-2025.yaml")
    assert calls == [] and second.pack == first.pack and second.catalog == first.catalog and second.sha256 == first.sha256
    assert second.catalog.instruments["PIPL"].effective == dt.date(2021, 11, 1), "dates come back as dates"


def test_a_changed_file_is_parsed_again_and_its_problems_still_found(forms):
    load_pack(forms / "cn-frt-2025.yaml")
    pack = forms / "cn-frt-2025.yaml"
    pack.write_text(re.sub(r'(?m)^version: "(\d+\.\d+)\.\d+"', r'version: "\1"', pack.read_text(encoding="utf-8"), count=1), encoding="utf-8")
    with pytest.raises(DataFileError) as error:
        load_pack(pack)
    assert any(problem.where == "version" for problem in error.value.problems)


@pytest.mark.parametrize("damage", [b"", b"{not json", b'{"format": 1, "app_version": "0", "data": {}}', b"[1, 2]",
                                    b'{"format": 1, "app_version": "%s", "data": 7}', b'{"format": 1, "data": {"$date": 5}}',
                                    b'{"data": {"$datetime": null}}', b"[" * 100_000])
def test_a_damaged_or_stale_entry_is_ignored_and_written_again(forms, damage):
    raw, data = read_yaml(forms / "catalog-cn.yaml", with_lines=False)
    entry = next(parse_cache.cache_folder().glob("*.json"))
    entry.write_bytes(damage.replace(b"%s", parse_cache.__version__.encode()) if b"%s" in damage else damage)
    again_raw, again = read_yaml(forms / "catalog-cn.yaml", with_lines=False)
    assert again == data
    assert parse_cache.cached(raw) == data, "rewritten"


def test_a_cached_entry_that_does_not_validate_is_never_trusted(forms):
    """The cache holds data, not validated objects: wrong data in it fails validation, the file
    itself is read instead, and the wrong entry is dropped."""
    raw, data = read_yaml(forms / "cn-frt-2025.yaml", with_lines=False)
    parse_cache.remember(raw, dict(data, version="not a version"))
    assert parse_cache.cached(raw)["version"] == "not a version"
    assert load_pack(forms / "cn-frt-2025.yaml").pack.version == data["version"]
    assert parse_cache.cached(raw) is None


def test_an_entry_changed_on_disk_that_still_validates_is_not_used(forms):
    """A damaged sector, a sync conflict or an edit could change a question's wording in the cache
    and still validate: the entry's own SHA-256 no longer matches, and the file is read instead."""
    raw, data = read_yaml(forms / "cn-frt-2025.yaml", with_lines=False)
    question = data["sections"][0]["questions"][0]
    entry = next(e for e in parse_cache.cache_folder().glob("*.json") if e.stat().st_size > 500_000)
    original = question["text"]["en"]
    text = entry.read_text(encoding="utf-8")
    assert text.count(original) >= 1
    entry.write_text(text.replace(original, "Do you process faces? (edited)", 1), encoding="utf-8")
    assert load_pack(forms / "cn-frt-2025.yaml").pack.sections[0].questions[0].text.en == original
    assert parse_cache.cached(raw) == data, "read from the file and written again"


def test_a_file_with_yaml_aliases_is_never_written_out(tmp_path, monkeypatch):
    """Aliases make one node appear many times; writing that out as JSON would copy it each time
    (a "billion laughs" file would never finish). Such a file is parsed every time instead."""
    monkeypatch.setenv("DPIA_APP_CONFIG_DIR", str(tmp_path / "config"))
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]  # 10^9 leaves if expanded
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text("\n".join(levels) + "\n", encoding="utf-8")
    read_yaml(bomb, with_lines=False)
    assert not parse_cache.cache_folder().exists() or list(parse_cache.cache_folder().glob("*.json")) == []
