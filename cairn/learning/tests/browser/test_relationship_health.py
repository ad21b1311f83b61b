"""In a real browser: a quiet relationship is nudged, the learner proposes the next session, the
mentor accepts, and the badge reads "On track" again — at phone width, with nothing scrolling
sideways."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from cairn.browser_testing import PHONE
from cairn.learning.actions import (
    do_accept,
    do_nudge_quiet,
    do_request_relationship,
    do_set_goal,
    do_set_rhythm,
)
from cairn.learning.models import Relationship, SessionProposal


def test_nudge_then_proposal_then_recovered(signed_in_page, personas) -> None:
    goal = do_set_goal(personas.bob, "Write good SQL")
    relationship = do_request_relationship(
        personas.bob, personas.alice, "mentoring", goal, "Would you?"
    )
    do_accept(personas.alice, relationship)
    do_set_rhythm(personas.alice, relationship, 7)
    Relationship.objects.filter(pk=relationship.pk).update(
        last_active_at=timezone.now() - timedelta(days=20)
    )
    assert do_nudge_quiet() == 1

    page = signed_in_page(personas.bob)
    page.set_viewport_size(PHONE)
    page.goto("/notifications/")
    page.get_by_role("link", name="You have not met for a while").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Stalled")
    expect(page.locator("#health")).to_contain_text("Two or more meetings were missed")

    when = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT10:00")
    page.get_by_label("Date and time").fill(when)
    page.get_by_label("How long").fill("45")
    page.get_by_role("button", name="Propose").click()
    expect(page.get_by_role("status")).to_contain_text("Proposed")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page = signed_in_page(personas.alice)
    page.goto(relationship.get_absolute_url())
    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_role("status")).to_contain_text("Accepted")
    expect(page.get_by_role("heading", level=1)).to_contain_text("On track")
    expect(page.get_by_role("link", name="Add to my calendar (.ics)")).to_be_visible()
    assert SessionProposal.objects.get().status == SessionProposal.Status.ACCEPTED
