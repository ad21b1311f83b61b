"""Ledger events become valid xAPI statements with stable ids; private things stay home."""

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from cairn.ledger.models import Event, Verb
from cairn.xapi.statements import ADL, MAPPINGS, Person, statement_for, statement_id

SITE = "https://cairn.example.org"
PEOPLE = {1: Person(1, "Ada Lovelace", "ada@example.org"), 2: Person(2, "Bo", "bo@example.org")}


def event(verb: str, **fields) -> Event:
    defaults = {
        "pk": 41,
        "actor_id": 1,
        "subject_id": 2,
        "object_type": "learning.goal",
        "object_id": "7",
        "time": datetime(2026, 5, 1, 9, 0, tzinfo=UTC),
        "context": {"outcome": "achieved"},
    }
    return Event(verb=verb, **{**defaults, **fields})


@pytest.mark.parametrize("verb", [v for v, m in MAPPINGS.items() if not m.commitment])
def test_every_sent_verb_makes_a_valid_statement(verb: str) -> None:
    statement = statement_for(event(verb), PEOPLE, site=SITE)
    assert statement is not None
    assert statement["version"] == "1.0.3"
    assert statement["id"] == statement_id(41)
    assert statement["actor"] == {
        "objectType": "Agent",
        "account": {"homePage": SITE, "name": "1"},
    }
    assert statement["verb"]["id"].startswith((ADL, SITE + "/xapi/verbs/"))
    assert statement["object"]["id"] == f"{SITE}/xapi/activities/learning.goal/7"
    assert statement["timestamp"].startswith("2026-05-01T09:00:00")


def test_the_id_is_the_same_on_every_send_and_differs_between_events() -> None:
    assert statement_id(41) == statement_id(41)
    assert statement_id(41) != statement_id(42)


def test_commitments_go_only_where_the_organisation_allows_it() -> None:
    kept = event(Verb.KEPT, object_type="commitments.commitment")
    assert statement_for(kept, PEOPLE, site=SITE) is None
    statement = statement_for(kept, PEOPLE, site=SITE, send_commitments=True)
    assert statement is not None
    assert statement["verb"]["id"] == SITE + "/xapi/verbs/kept-commitment"
    # The person who kept it is the event's subject, not the counterpart who confirmed it.
    assert statement["actor"]["account"]["name"] == "2"


def test_a_goal_set_aside_is_not_a_completion() -> None:
    aside = event(Verb.GOAL_CLOSED, context={"outcome": "set_aside"})
    assert statement_for(aside, PEOPLE, site=SITE) is None
    done = statement_for(event(Verb.GOAL_CLOSED), PEOPLE, site=SITE)
    assert done is not None
    assert done["verb"]["id"] == ADL + "completed"


def test_emails_only_when_the_organisation_chose_them() -> None:
    statement = statement_for(event(Verb.ASKED), PEOPLE, site=SITE, by_email=True)
    assert statement is not None
    assert statement["actor"] == {
        "objectType": "Agent",
        "name": "Ada Lovelace",
        "mbox": "mailto:ada@example.org",
    }
    plain = statement_for(event(Verb.ASKED), PEOPLE, site=SITE)
    assert "ada@example.org" not in str(plain)


def test_events_that_are_not_learning_records_are_not_sent() -> None:
    for verb in (Verb.RATED, Verb.THANKED, Verb.PROFILE_UPDATED, Verb.SESSION_LOGGED + "x"):
        assert statement_for(event(verb), PEOPLE, site=SITE) is None


def test_hours_helped_become_an_iso_duration() -> None:
    statement = statement_for(event(Verb.HELPED, value=1.5), PEOPLE, site=SITE)
    assert statement is not None
    assert statement["result"]["duration"] == "PT1H30M"


def test_an_invalid_statement_is_refused_before_it_leaves() -> None:
    with pytest.raises(ValidationError):
        statement_for(event(Verb.ASKED), PEOPLE, site="not a url")
