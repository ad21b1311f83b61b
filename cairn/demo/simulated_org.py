"""A simulated community's trust events written into an organisation's ledger, in bulk.

For the tests and benchmarks of the live trust worker, which need an organisation whose
ledger holds a realistic amount of trust evidence quickly: the people are added through the
people actions (one ``joined`` event each), their trust events are the simulator's
(:func:`cairn.demo.simulator.simulate`), written with ``bulk_create`` as the rows the actions
would append (actor, subject, verb, time, value), ending an hour ago. Nothing else of the
actions is built (no goals, requests or commitments behind the events); ``cairn demo`` builds
that.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
from django.db import transaction
from django.utils import timezone

from cairn.demo.simulator import simulate
from cairn.ledger.models import Event
from cairn.people.actions import do_add_person, do_create_organisation
from cairn.people.models import Organisation, User
from cairn.trust.engine.events import KINDS


def simulated_organisation(slug: str, people: int, days: int, seed: int = 1) -> Organisation:
    """Return a new organisation of ``people`` members (the first an admin) whose ledger holds
    a simulated community's ``days`` of trust events."""
    sim = simulate(people, days, seed=seed)
    organisation = do_create_organisation(f"Simulated {slug}", slug)
    users = [
        do_add_person(
            organisation,
            email=f"{name}@{slug}.example",
            name=f"Member {name}",
            role=User.Role.ADMIN if k == 0 else User.Role.MEMBER,
        )
        for k, name in enumerate(sim.people)
    ]
    shift = timezone.now() - timedelta(hours=1) - datetime.fromtimestamp(sim.time.max(), UTC)
    ids = np.array([u.pk for u in users] + [0])
    actor, subject = ids[sim.actor].tolist(), ids[sim.subject].tolist()
    rows = [
        Event(
            organisation=organisation,
            time=datetime.fromtimestamp(t, UTC) + shift,
            actor_id=a,
            subject_id=s or None,
            verb=KINDS[k],
            value=None if v != v else v,
        )
        for t, a, s, k, v in zip(
            sim.time.tolist(), actor, subject, sim.kind.tolist(), sim.value.tolist(), strict=True
        )
    ]
    with transaction.atomic():
        Event.objects.bulk_create(rows, batch_size=5000)
    return organisation
