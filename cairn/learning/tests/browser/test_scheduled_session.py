"""In a real browser, on a desktop and on a phone: a session is proposed, accepted, held, logged
from the proposal ("Log how it went") and given feedback, which then shows as sent."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from cairn.learning.actions import do_accept, do_request_relationship, do_set_goal
from cairn.learning.models import Feedback, Session, SessionProposal


def fits(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 844)])
def test_a_session_from_proposal_to_feedback(signed_in_page, personas, width, height) -> None:
    goal = do_set_goal(personas.bob, "Write good SQL")
    relationship = do_request_relationship(
        personas.bob, personas.alice, "mentoring", goal, "Would you?"
    )
    do_accept(personas.alice, relationship)

    page = signed_in_page(personas.bob)
    page.set_viewport_size({"width": width, "height": height})
    page.goto(relationship.get_absolute_url())
    when = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT10:00")
    page.get_by_label("Date and time").fill(when)
    page.get_by_label("How long").fill("45")
    page.get_by_role("button", name="Propose").click()
    expect(page.get_by_role("status")).to_contain_text("Proposed")
    fits(page)

    page = signed_in_page(personas.alice)
    page.set_viewport_size({"width": width, "height": height})
    page.goto(relationship.get_absolute_url())
    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_role("status")).to_contain_text("Accepted")
    expect(page.get_by_role("link", name="Add to my calendar (.ics)")).to_be_visible()
    fits(page)

    # The session's time comes and goes.
    SessionProposal.objects.update(starts_at=timezone.now() - timedelta(hours=2))
    page = signed_in_page(personas.bob)
    page.set_viewport_size({"width": width, "height": height})
    page.goto(relationship.get_absolute_url())
    page.get_by_role("link", name="Log how it went").click()
    expect(page.get_by_label("Minutes")).to_have_value("45")
    page.get_by_role("button", name="Log session").click()
    expect(page.get_by_role("status")).to_contain_text("Session logged")
    assert Session.objects.filter(relationship=relationship, duration_minutes=45).exists()
    fits(page)

    page.get_by_role("link", name="Feedback for Alice Archer").first.click()
    for name in ("Helpfulness", "Responsiveness", "Openness and honesty", "Presence"):
        page.get_by_role("group", name=name).get_by_label("4").check()
    page.get_by_role("button", name="Send feedback").click()
    expect(page.get_by_role("status")).to_contain_text("will never see your name on it")
    assert Feedback.objects.filter(giver=personas.bob, receiver=personas.alice).exists()
    page.goto(relationship.get_absolute_url())
    expect(page.get_by_text("Feedback sent to Alice Archer").first).to_be_visible()
    fits(page)
