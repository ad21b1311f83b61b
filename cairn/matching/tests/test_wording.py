"""The words for the engine's reasons: every kind has some, and numbers read naturally."""

import pytest

from cairn.matching.engine.reasons import KINDS, Reason
from cairn.matching.wording import ordinal, reason_text, reasons_text


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_of_reason_has_words(kind):
    assert reason_text(Reason(kind, phrase="negotiation", amount=2, names=("en",))).strip()


def test_an_unknown_kind_is_refused_by_name():
    with pytest.raises(ValueError, match="'gossip'"):
        reason_text(Reason("gossip"))


@pytest.mark.parametrize(
    ("reason", "words"),
    [
        (Reason("offers", phrase="stakeholder management"), "offers stakeholder management"),
        (Reason("slots", amount=1), "1 mentoring slot free"),
        (Reason("slots", amount=3), "3 mentoring slots free"),
        (Reason("shared_hours", amount=2.8), "shares 3 working hours"),
        (Reason("shared_hours", amount=1.1), "shares 1 working hour"),
        (Reason("shared_hours", amount=4.4), "shares 4.5 working hours"),
        (Reason("languages", names=("de", "en")), "speaks de, en with you"),
        (Reason("department", phrase="Sales"), "works in Sales, a different perspective"),
        (Reason("pick", amount=2), "your 2nd pick"),
        (Reason("learning", phrase="x" * 80), "is also learning " + "x" * 59 + "…"),
    ],
)
def test_reasons_in_words(reason, words):
    assert reason_text(reason) == words


def test_ordinals():
    assert [ordinal(k) for k in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st",
    ]  # fmt: skip


def test_reasons_keep_their_order():
    reasons = [Reason("trusted", amount=0.9), Reason("replies_slowly", amount=0.1)]
    assert reasons_text(reasons) == ["well trusted by colleagues", "often slow to reply"]
