"""In a real browser: confirming a kept commitment raises the committer's integrity on their
page within seconds, while a ring of mutual thanks between fresh accounts changes nothing."""

import os
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from playwright.sync_api import expect

from cairn.commitments.actions import do_commit
from cairn.ledger.models import Verb
from cairn.testing import IMMEDIATE_TASKS, make_person
from cairn.trust import adapter
from cairn.trust.tests.helpers import praise_ring, working_history

SHOTS = os.environ.get("CAIRN_SCREENSHOTS")  # a folder: save phone-width screenshots there


def test_a_kept_commitment_shows_on_the_committers_page(signed_in_page, personas, settings) -> None:
    settings.TASKS = IMMEDIATE_TASKS  # the worker's job, run at once
    working_history(personas.alice, personas.bob, personas.carol)
    adapter.recompute_organisation(personas.acme)
    commitment = do_commit(
        personas.bob, personas.alice, "Send the quarterly numbers", timezone.now() + timedelta(1)
    )

    page = signed_in_page(personas.alice)
    if SHOTS:
        page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/people/bob.baker/")
    integrity = page.locator(".trust-dimensions li", has_text="Honesty & integrity")
    expect(integrity).not_to_contain_text("Kept 1 of 1")

    page.goto(f"/commitments/{commitment.pk}/")
    page.get_by_role("button", name="It was kept").click()
    expect(page.get_by_text("Kept", exact=True)).to_be_visible()
    page.goto("/people/bob.baker/")
    expect(integrity).to_contain_text("Kept 1 of 1 commitment confirmed by others")
    # Alice has worked with Bob herself, so "Can I trust him?" says her experience counts.
    expect(page.locator("#can-i-trust")).to_contain_text("You have worked with Bob Baker")
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/trust_colleague.png", full_page=True)

    page = signed_in_page(personas.bob)
    page.goto("/people/bob.baker/")
    expect(page.get_by_role("heading", name="Your trust", exact=True)).to_be_visible()
    expect(page.get_by_text("What would raise your trust")).to_be_visible()
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/trust_own.png", full_page=True)


def test_a_ring_of_mutual_thanks_changes_nothing_visible(
    signed_in_page, personas, settings
) -> None:
    settings.TASKS = IMMEDIATE_TASKS
    working_history(personas.alice, personas.bob, personas.carol)
    ring = [make_person(personas.acme, f"Ring Member{n}") for n in range(3)]
    praise_ring(ring, 10, Verb.THANKED, Verb.RATED)
    with transaction.atomic():
        adapter.recompute_organisation(personas.acme)

    page = signed_in_page(personas.bob)
    page.goto(f"/people/{ring[0].profile.handle}/")
    expect(page.locator("section.trust")).to_contain_text("trust is not yet known")
    expect(page.locator("#can-i-trust")).to_contain_text("nor has anyone you have worked with")
