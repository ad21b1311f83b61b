"""In a real browser: a person disputes a commitment marked missed, the counterpart overturns it
without a page reload, and an admin's insights page reads well at phone width."""

from playwright.sync_api import expect

from cairn.browser_testing import PHONE, shot
from cairn.disputes.tests.helpers import missed_commitment
from cairn.insights.tests.test_dashboard import evidence, make_ring
from cairn.ledger.models import Verb
from cairn.safeguards.actions import do_scan_organisation
from cairn.testing import IMMEDIATE_TASKS


def test_dispute_a_miss_and_the_counterpart_overturns_it(
    signed_in_page, personas, settings
) -> None:
    settings.TASKS = IMMEDIATE_TASKS
    commitment, _ = missed_commitment(personas.bob, personas.carol, "Review the launch deck")

    page = signed_in_page(personas.bob)
    page.set_viewport_size(PHONE)
    page.goto(f"/commitments/{commitment.pk}/")
    page.get_by_role("link", name="Dispute this").click()
    page.get_by_label("Why is it unfair?").fill("I sent my review on Thursday, by email.")
    page.get_by_role("button", name="Send the dispute").click()
    expect(page.get_by_text("Waiting for review", exact=True)).to_be_visible()
    shot(page, "dispute_opened")

    page = signed_in_page(personas.carol)
    page.set_viewport_size(PHONE)
    page.goto("/disputes/")
    page.get_by_role("link", name="Bob Baker disputes").click()
    page.get_by_label("Overturn: it should no longer count").check()
    page.get_by_label("Why").fill("Found it in my inbox, sorry.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("Overturned: the evidence no longer counts")).to_be_visible()
    shot(page, "dispute_resolved")

    evidence(Verb.HELPED, personas.bob, personas.carol, 7)
    evidence(Verb.THANKED, personas.alice, personas.carol, 3)
    make_ring(personas.acme, "Ringo")
    do_scan_organisation(personas.acme)
    page = signed_in_page(personas.alice)
    page.set_viewport_size(PHONE)
    page.goto("/insights/")
    expect(page.get_by_text("4 accounts thanked, credited or rated each other")).to_be_visible()
    expect(page.get_by_role("heading", name="Trust by department")).to_be_visible()
    shot(page, "insights")
