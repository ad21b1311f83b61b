"""In a real browser, at 1280 px and at 390 px: the home page leads with my next steps, uses the
width on a desktop, stacks on a phone without scrolling sideways, and shows more of the feed in
place."""

import os
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

SHOTS = os.environ.get("CAIRN_SCREENSHOTS")  # a folder: save the screenshots there


def build_home(personas: Any) -> None:
    """Give Bob a goal, a session proposed to him, a request asked of him, a commitment, and a
    feed longer than one page from Alice, whom he follows."""
    from cairn.commitments.actions import do_commit
    from cairn.exchange.actions import do_ask
    from cairn.learning.actions import (
        do_accept,
        do_add_milestone,
        do_propose_session,
        do_request_relationship,
        do_set_goal,
    )
    from cairn.notifications.actions import do_follow
    from cairn.notifications.feed import PAGE

    alice, bob, carol = personas.alice, personas.bob, personas.carol
    goal = do_set_goal(bob, "Learn SQL window functions", visibility="organisation")
    do_add_milestone(bob, goal, "Rewrite the monthly report with RANK()")
    relationship = do_request_relationship(bob, alice, "mentoring", goal, "Would you?")
    do_accept(alice, relationship)
    do_propose_session(alice, relationship, timezone.now() + timedelta(days=3))
    do_ask(carol, "Stuck on Excel — where do I start?", directed_to=[bob])
    do_commit(bob, alice, "Send the quarterly numbers", timezone.now() + timedelta(days=2))
    do_follow(bob, alice)
    long_word = "Supercalifragilistic" * 6  # one unbroken word must wrap, not widen the page
    for n in range(PAGE + 4):
        do_set_goal(alice, f"Goal {n:02} {long_word}", visibility="organisation")
        do_ask(alice, f"Question {n:02}: how do we plan the offsite?")


def no_sideways_scroll(page: Any) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls {overflow} px sideways"


def shot(page: Any, name: str) -> None:
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 844)])
def test_home_leads_with_next_steps_and_holds_at_every_width(
    signed_in_page: Any, personas: Any, width: int, height: int
) -> None:
    build_home(personas)
    page = signed_in_page(personas.bob)
    page.set_viewport_size({"width": width, "height": height})
    page.goto("/home/")

    steps = page.get_by_role("region", name="Your next steps")
    feed = page.get_by_role("region", name="Around you")
    expect(steps).to_contain_text("Next: Rewrite the monthly report with RANK()")
    expect(steps).to_contain_text("Alice Archer proposed a session on")
    expect(steps.get_by_role("link", name="Stuck on Excel — where do I start?")).to_be_visible()
    expect(steps).to_contain_text("Send the quarterly numbers")
    expect(steps).to_contain_text("Your trust is not yet known")
    expect(feed).to_contain_text("Alice Archer asked for help with")
    expect(feed.get_by_role("heading", name="Today")).to_be_visible()

    steps_box, feed_box = steps.bounding_box(), feed.bounding_box()
    if width >= 1280:  # two columns side by side, using the width
        assert feed_box["x"] > steps_box["x"] + steps_box["width"] - 1
        assert abs(feed_box["y"] - steps_box["y"]) < 80
        assert steps_box["width"] + feed_box["width"] > 0.8 * width
    else:  # stacked: my next steps first
        assert feed_box["y"] >= steps_box["y"] + steps_box["height"] - 1
    no_sideways_scroll(page)
    shot(page, f"home-{width}")

    items = feed.locator("ul.feed > li")
    shown = items.count()
    feed.get_by_role("link", name="Show more").click()  # htmx appends the next page in place
    expect(feed).to_contain_text("Question 10: how do we plan the offsite?")
    assert items.count() > shown
    assert page.url.endswith("/home/")  # no reload, no navigation
    expect(page.get_by_role("heading", name="Today")).to_have_count(1)
    no_sideways_scroll(page)
