"""Trust explanations in words: the sentences the pages and ``cairn trust explain`` show."""

import pytest

from cairn.trust import words
from cairn.trust.engine import Fact
from cairn.trust.engine.confidence import MAX_FURTHER
from cairn.trust.engine.tests.test_model import explained_bob


@pytest.mark.parametrize(
    ("fact", "line"),
    [
        (Fact("helped", 2, 1, 12.0), "helped 1 person (12 hours given)"),
        (Fact("helped", 3, 3), "helped 3 people"),
        (Fact("thanked", 6, 3), "thanked 6 times by 3 colleagues"),
        (Fact("credited", 1, 1), "credited by 1 colleague"),
        (Fact("mentored", 2, 2), "mentored 2 people"),
        (Fact("shared", 1), "shared know-how 1 time"),
        (Fact("asked", 4), "asked for help 4 times"),
        (Fact("lesson", 2), "shared 2 lessons learned from setbacks"),
        (Fact("credited_others", 3), "credited others 3 times"),
        (Fact("kept", 14, total=15), "kept 14 of 15 commitments confirmed by others"),
        (Fact("missed_recently", 1), "missed 1 in the last 30 days"),
        (Fact("committed", 2), "made 2 commitments, none confirmed yet"),
        (
            Fact("rated", 4, 3, 0.5),
            "rated by 3 people, average +0.50 on a scale of -1 to +1",
        ),
        (Fact("responded", 5, value=5.0), "answered 5 requests, usually within 5 hours"),
        (Fact("responded", 1), "answered 1 request"),
        (Fact("unanswered", 2), "left 2 requests unanswered"),
    ],
)
def test_each_kind_of_evidence_reads_as_a_sentence(fact: Fact, line: str) -> None:
    assert words.evidence_line(fact) == line
    assert words.evidence_line(fact.__dict__) == line  # as stored on a TrustProfile


def test_a_hidden_rating_average_says_why_it_is_hidden() -> None:
    stored = {"kind": "rated", "count": 2, "people": 2, "value": None, "average_from": 3}
    assert words.evidence_line(stored) == (
        "rated by 2 people (the average shows from 3 raters on, so nobody's rating stands out)"
    )


def test_a_line_stored_before_explanations_were_data_is_shown_as_it_is() -> None:
    assert words.evidence_line("thanked 2 times by 2 colleagues") == (
        "thanked 2 times by 2 colleagues"
    )


def test_an_unknown_kind_of_evidence_is_an_error_not_a_blank() -> None:
    with pytest.raises(ValueError, match="unknown kind"):
        words.evidence_line(Fact("gossiped", 1))


@pytest.mark.parametrize(
    ("further", "needs_backing", "dimension", "said"),
    [
        (0, False, "integrity", ""),
        (1, False, "integrity", "one more commitment confirmed by a colleague"),
        (3, False, "generosity", "three more thanks from different colleagues"),
        (12, False, "courage", "12 more requests for help to different colleagues"),
        (
            -1,
            False,
            "responsiveness",
            f"more than {MAX_FURTHER} more answered requests to different colleagues",
        ),
        (
            2,
            True,
            "integrity",
            "established members working with them, who can then vouch for them",
        ),
    ],
)
def test_what_would_make_a_score_known(
    further: int, needs_backing: bool, dimension: str, said: str
) -> None:
    assert words.to_be_known(further, needs_backing, dimension) == said


def test_advice_puts_being_known_first_then_backing_then_the_weakest_dimensions() -> None:
    advice = words.to_raise(
        ["courage", "integrity"], is_seed=False, backed=False, further=2, needs_backing=False
    )
    assert advice == [
        "to be known: two more commitments confirmed by different colleagues",
        words.WORK_WITH_ESTABLISHED,
        "humility & courage: " + words.RAISE["courage"],
        "honesty & integrity: " + words.RAISE["integrity"],
    ]
    seed = words.to_raise(["courage"], is_seed=True, backed=True, further=0, needs_backing=False)
    assert seed == ["humility & courage: " + words.RAISE["courage"]]


def test_stored_notes_say_seed_unbacked_or_how_many_vouch() -> None:
    assert "one of them" in words.stored_notes({"is_seed": True, "backed": True})[0]
    assert words.stored_notes({"backed": False})[0].startswith("Nobody trusted vouches")
    assert words.stored_notes({"backed": True, "vouchers": 1})[0].startswith(
        "Vouched for by 1 colleague through"
    )
    assert words.stored_notes({"newcomer": True}) == [words.NEWCOMER_NOTE]
    assert words.stored_advice({"newcomer": True}) == words.NEWCOMER_ADVICE


def test_the_cli_text_says_why_in_plain_words() -> None:
    text = words.explanation_text(explained_bob())
    assert "kept 14 of 15 commitments" in text
    assert "by 3 colleagues" in text
    assert "usually within 5 hours" in text
    assert "What would raise it" in text
    assert "How much cat can trust bob" in text
