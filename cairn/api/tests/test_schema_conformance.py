"""Every API operation answers as its published OpenAPI schema says: schemathesis, every check.

Each operation is tried with a member's token (and, by the ``ignored_auth`` check, with no token
and a wrong one) through its examples, its coverage cases (boundaries, missing and malformed
parts, other methods) and ``SCHEMA_EXAMPLES`` generated requests — a few here so ``make test``
stays quick, many more under ``make fuzz``. A status the schema does not list, a response that
breaks its schema, a 500, a schema-breaking request accepted: each fails, naming the operation.
"""

import os
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings

from cairn.api.main import api
from cairn.commitments.actions import do_commit
from cairn.communities.actions import do_create_community
from cairn.exchange.actions import do_ask, do_share_post
from cairn.learning.actions import do_set_goal
from cairn.people.actions import do_create_api_token
from cairn.people.models import User
from cairn.testing import make_organisation, make_person

#: Generated requests per operation; ``make fuzz`` raises it.
SCHEMA_EXAMPLES = int(os.environ.get("CAIRN_SCHEMA_EXAMPLES", "3"))

#: A schema-valid request may still be refused by a rule about stored state that no schema can
#: state (an unknown handle, following yourself, a skill I do not want): 422 naming the field.
#: ``refused_for_a_stated_rule`` below still fails one that pydantic itself refused.
CONFIG = schemathesis.Config.from_dict(
    {
        "seed": 20261204,
        "generation": {"max-examples": SCHEMA_EXAMPLES},
        "checks": {
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "401", "403", "404", "409", "422", "429"]
            }
        },
    }
)

#: The published schema, calling the site in-process.
schema = schemathesis.openapi.from_dict(
    api.get_openapi_schema(path_prefix="/api/v1/"), config=CONFIG
)
schema.app = WSGIHandler()


@pytest.fixture
def member_token(db: None) -> Iterator[str]:
    """Return a member's token in an organisation with some of everything to act on.

    Requests run in the test's transaction: Django's per-request connection clean-up, which
    would close it, is off meanwhile (as Django's own test client does).
    """
    acme = make_organisation("acme", "Acme Learning", ("acme.example",))
    globex = make_organisation("globex", "Globex")
    make_person(acme, "Alice Archer", User.Role.ADMIN, offers=["SQL"], open_to_mentor=True)
    bob = make_person(acme, "Bob Baker", wants=["SQL"], offers=["Excel"])
    carol = make_person(acme, "Carol Chen", offers=["Figma"])
    make_person(globex, "Oscar Outsider")
    do_set_goal(bob, title="Learn SQL", skills=["SQL"])
    do_share_post(carol, title="Figma tips", body="Use components.")
    do_ask(carol, title="Help with SQL joins", details="Which join?")
    do_create_community(bob, name="Data guild", description="All things data.")
    do_commit(bob, carol, "Review your deck", timezone.now() + timedelta(days=7))
    _, raw = do_create_api_token(bob, "schemathesis")
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield raw
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@schemathesis.check
def refused_for_a_stated_rule(ctx: Any, response: Any, case: Any) -> bool | None:
    """A schema-valid request refused with 422 was refused by one of Cairn's rules (a sentence
    naming the field), not by a validator the schema failed to describe."""
    meta = case.meta
    if response.status_code != 422 or meta is None or not meta.generation.mode.is_positive:
        return None
    detail = response.json()["detail"]
    wrong = (
        [e for e in detail if e.get("type") != "value_error"] if isinstance(detail, list) else []
    )
    if wrong:
        raise AssertionError(f"A schema-valid request was refused by validation: {wrong}")
    return None


@pytest.mark.django_db
@schema.parametrize()
@settings(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_operation_answers_as_its_schema_says(case: Any, member_token: str) -> None:
    case.call_and_validate(
        headers={"Authorization": f"Bearer {member_token}"},
        additional_checks=[refused_for_a_stated_rule],
    )
