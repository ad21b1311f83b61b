"""In a real browser: make a commitment, hear of it by the bell, confirm it kept; follow someone
and see what they do on the home page."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from cairn.browser_testing import PHONE, pick_person, shot


def test_make_and_confirm_a_commitment(signed_in_page, personas, context) -> None:
    page = signed_in_page(personas.bob)
    page.goto("/commitments/")
    pick_person(page, page.get_by_label("To whom"), "arch", "Alice Archer")
    page.get_by_label("What you commit to").fill("Review your draft")
    friday = (timezone.now() + timedelta(days=4)).date().isoformat()
    page.get_by_label("By when").fill(friday)
    page.get_by_role("button", name="Commit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("“Review your draft”")
    expect(page.get_by_role("status")).to_contain_text("Your commitment is made")
    page.goto("/commitments/")
    shot(page, "commitments-desktop")

    context.clear_cookies()
    page = signed_in_page(personas.alice)
    page.set_viewport_size(PHONE)
    page.goto("/home/")
    bell = page.get_by_role("link", name="Notifications")
    expect(bell).to_contain_text("1")
    shot(page, "home-phone")
    bell.click()
    shot(page, "notifications-phone")
    page.get_by_role("link", name="Bob Baker made you a commitment: “Review your draft”").click()
    shot(page, "commitment-phone")
    expect(page.get_by_role("link", name="Notifications")).not_to_contain_text("1")

    page.get_by_role("button", name="It was kept").click()  # htmx swaps the state in place
    expect(page.locator("#state")).to_contain_text("Kept")
    expect(page.get_by_role("button", name="It was kept")).to_have_count(0)
    commitment = personas.bob.commitments_made.get()
    assert commitment.status == "kept"


def test_follow_a_colleague_and_see_their_goal_at_home(signed_in_page, personas) -> None:
    from cairn.learning.actions import do_set_goal

    page = signed_in_page(personas.bob)
    page.goto("/people/carol.chen/")
    page.get_by_role("button", name="Follow Carol Chen").click()  # htmx: the button turns
    expect(page.get_by_role("button", name="Unfollow Carol Chen")).to_be_visible()
    shot(page, "profile-followed")

    do_set_goal(personas.carol, "Learn SQL window functions", visibility="organisation")
    page.goto("/home/")
    feed = page.get_by_role("region", name="Around you")
    expect(feed).to_contain_text("Carol Chen set the learning goal")
    expect(feed.get_by_role("link", name="Learn SQL window functions")).to_be_visible()
