"""One fact, one place: the details and the questions that ask them again fill each other."""

from __future__ import annotations

from dpia_app.core.assessment import Metadata
from dpia_app.core.shared_facts import answers_following_details, details_following_answer


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
