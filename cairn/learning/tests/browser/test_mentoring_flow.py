"""In a real browser: set a goal, ask a colleague for mentoring, get accepted, log a session."""

from playwright.sync_api import expect

from cairn.browser_testing import PHONE, SHOTS, shot
from cairn.learning.models import Goal, Relationship, Session


def test_goal_request_accept_and_session(signed_in_page, personas, context) -> None:
    page = signed_in_page(personas.bob)
    if SHOTS:
        page.set_viewport_size(PHONE)

    # Bob sets a goal and adds a first step without reloading the page.
    page.goto("/goals/")
    expect(page.get_by_text("Set your first goal")).to_be_visible()
    page.get_by_role("link", name="Set a goal").first.click()
    page.get_by_label("What do you want to learn?").fill("Write good SQL")
    page.get_by_label("Why it matters to you").fill("My reports are slow")
    page.get_by_label("Skills it grows").fill("SQL")
    page.get_by_label("Everyone in my organisation").check()
    page.get_by_role("button", name="Set this goal").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Write good SQL")
    page.get_by_label("Next step").fill("Learn joins")
    page.get_by_role("button", name="Add step").click()
    expect(page.locator("#milestones")).to_contain_text("Learn joins")
    shot(page, "goal")

    # Bob finds Alice and asks her to mentor him.
    page.goto("/people/alice.archer/")
    page.get_by_role("link", name="Ask for mentoring / propose a peer partnership").click()
    expect(page.get_by_text("Mentoring 0 of 2 people")).to_be_visible()
    page.get_by_label("What are you asking for?").select_option("mentoring")
    page.get_by_label("For which of your goals?").select_option(label="Write good SQL")
    page.get_by_label("A few words to them").fill("Could you help me with joins?")
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_role("status")).to_contain_text("on its way to Alice Archer")
    shot(page, "request_sent")

    # Alice accepts on her Mentoring page.
    page = signed_in_page(personas.alice)
    page.goto("/mentoring/")
    expect(page.get_by_text("Could you help me with joins?")).to_be_visible()
    shot(page, "mentoring")
    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_role("status")).to_contain_text("Accepted")

    # Alice logs their first session, with a private note.
    page.get_by_label("When").fill("2026-01-05T10:00")
    page.get_by_label("Minutes").fill("45")
    page.get_by_label("Shared notes").fill("Inner and outer joins")
    page.get_by_label("Private notes").fill("Bob is nervous about SQL")
    page.get_by_role("button", name="Log session").click()
    expect(page.get_by_role("status")).to_contain_text("Session logged")
    expect(page.get_by_text("Inner and outer joins")).to_be_visible()
    shot(page, "relationship")

    relationship = Relationship.objects.get()
    assert relationship.status == "active"
    assert Session.objects.get().duration_minutes == 45
    assert Goal.objects.get().owner == personas.bob

    # Carol may see the goal and the shared notes, never the private ones.
    page = signed_in_page(personas.carol)
    page.goto(relationship.get_absolute_url())
    expect(page.get_by_text("Inner and outer joins")).to_be_visible()
    expect(page.get_by_text("Bob is nervous about SQL")).to_have_count(0)
