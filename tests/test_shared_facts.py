"""One fact, one place: the details and the questions that ask them again fill each other."""

from __future__ import annotations

from dpia_app.core.assessment import Metadata
from dpia_app.core.shared_facts import answers_following_details, answers_following_tables, details_following_answer, table_disagrees


def test_an_empty_or_equal_answer_follows_the_details(cn_pack):
    before, after = Metadata(organisation=""), Metadata(organisation="Lanting Ltd")
    assert answers_following_details(cn_pack.pack, before, after, {})["org.name"] == "Lanting Ltd"
    assert answers_following_details(cn_pack.pack, Metadata(organisation="Lanting"), after, {"org.name": "Lanting"})["org.name"] == "Lanting Ltd"


def test_an_answer_written_on_purpose_is_never_overwritten(cn_pack):
    # The registered legal name in the question, a short trading name in the details.
    answers = {"org.name": "上海兰亭软件有限公司"}
    after = answers_following_details(cn_pack.pack, Metadata(organisation="Lanting"), Metadata(organisation="Lanting Ltd"), answers)
    assert after == answers
    assert details_following_answer(cn_pack.pack, "org.name", "上海兰亭软件有限公司", "上海兰亭软件股份有限公司", Metadata(organisation="Lanting")) == {}


def test_the_details_follow_an_answer_while_empty_or_equal(cn_pack):
    assert details_following_answer(cn_pack.pack, "org.system_name", None, "Turnstiles", Metadata()) == {"system": "Turnstiles"}
    assert details_following_answer(cn_pack.pack, "org.system_name", "Turnstiles", "Turnstiles B", Metadata(system="Turnstiles")) == {"system": "Turnstiles B"}
    assert details_following_answer(cn_pack.pack, "org.contact", None, "021-1234", Metadata()) == {}, "only questions that ask a detail"


def test_the_dpo_is_asked_once(cn_pack):
    after = answers_following_details(cn_pack.pack, Metadata(), Metadata(dpo="Wang Li, dpo@lanting.cn"), {})
    assert after["org.pio_contact"] == "Wang Li, dpo@lanting.cn"
    assert details_following_answer(cn_pack.pack, "org.pio_contact", None, "Wang Li", Metadata()) == {"dpo": "Wang Li"}


LOCATIONS = [{"location": "Gate 1", "room_type": "entrance_exit", "device_count": 3},
             {"location": "Lobby", "room_type": "lobby_corridor", "device_count": 2}]


def test_the_device_count_follows_the_locations_table_while_empty_or_equal(cn_pack):
    pack = cn_pack.pack
    after = answers_following_tables(pack, {}, {"devices.locations": LOCATIONS})
    assert after["org.device_count"] == 5
    more = [*LOCATIONS, {"location": "Car park", "room_type": "entrance_exit", "device_count": 4}]
    assert answers_following_tables(pack, after, {**after, "devices.locations": more})["org.device_count"] == 9
    # A count typed on purpose (the table lists only one site so far) is kept, and the difference is said.
    typed = {**after, "org.device_count": 12}
    assert answers_following_tables(pack, typed, {**typed, "devices.locations": more})["org.device_count"] == 12
    assert table_disagrees(pack, pack.question("org.device_count"), {**typed, "devices.locations": more}) == 9
    assert table_disagrees(pack, pack.question("org.device_count"), after) is None
    # Emptying the table empties what it had filled in.
    assert "org.device_count" not in answers_following_tables(pack, after, {**after, "devices.locations": []})


def test_storage_places_are_gathered_from_the_processing_activities(cn_pack):
    pack = cn_pack.pack
    activities = [{"activity": "Matching", "storage_place": "on_device"}, {"activity": "Backup", "storage_place": "vendor_cloud"},
                  {"activity": "Alerts", "storage_place": "not_stored"}, {"activity": "Logs", "storage_place": "on_device"}]
    after = answers_following_tables(pack, {}, {"org.activities": activities})
    assert after["storage.locations"] == ["on_device", "vendor_cloud"], "options of the question only, in its order, once"
    ticked = {**after, "storage.locations": ["vendor_cloud", "on_device"]}  # the same, ticked in another order
    assert table_disagrees(pack, pack.question("storage.locations"), ticked) is None
    assert table_disagrees(pack, pack.question("storage.locations"), {**after, "storage.locations": ["on_device"]}) == ["on_device", "vendor_cloud"]


def test_an_answer_a_damaged_file_filled_with_mappings_disagrees_with_its_table_and_raises_nothing(cn_pack):
    """Found by bench/robustness.py: a list holding a mapping could not be compared as a set, and
    the storage step of the wizard failed to show (TypeError in the page's slot)."""
    pack = cn_pack.pack
    activities = [{"activity": "Matching", "storage_place": "on_device"}]
    answers = {"org.activities": activities, "storage.locations": ["on_device", {}]}
    assert table_disagrees(pack, pack.question("storage.locations"), answers) == ["on_device"]


def test_a_pack_whose_question_gathers_a_column_that_does_not_fit_is_refused(tmp_path):
    import shutil
    from pathlib import Path

    from dpia_app.core.packs import check_pack

    forms = Path(__file__).parent.parent / "forms"
    for name in ("cn-frt-2025.yaml", "catalog-cn.yaml"):
        shutil.copy(forms / name, tmp_path / name)
    pack = tmp_path / "cn-frt-2025.yaml"
    text = pack.read_text(encoding="utf-8")
    pack.write_text(text.replace("from_table: {question: devices.locations, field: device_count}",
                                 "from_table: {question: devices.locations, field: location}"), encoding="utf-8")
    problems = check_pack(pack)
    assert [p.message for p in problems] == ["a whole number totals a whole-number column; 'location' is short_text"]
    assert problems[0].line == text[:text.index("from_table: {question: devices.locations")].count("\n") + 1
