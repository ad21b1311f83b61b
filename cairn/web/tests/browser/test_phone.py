"""In a real browser at phone width (390 px): every main page fits — nothing scrolls sideways,
the header stays a single compact bar — and its Menu opens the navigation and closes again.
At desktop width the navigation shows in the bar itself."""

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.utils import timezone
from playwright.sync_api import expect

from cairn.browser_testing import PHONE
from cairn.testing import Personas

DESKTOP = {"width": 1280, "height": 800}
#: The tallest the header may be on a phone, in CSS pixels (it was 177 of 844 before the menu).
HEADER_MOST = 80
#: Long words and names that would push a careless layout sideways.
LONG_NAME = "Customer Success and Operations Excellence"
LONG_WORD = "Donaudampfschifffahrtsgesellschaftskapitänsmütze"


def _build(personas: Personas) -> dict[str, str]:
    """Give each main page something to show; return the addresses of the single objects."""
    from cairn.commitments.actions import do_commit
    from cairn.communities.actions import do_create_community, do_join
    from cairn.exchange.actions import do_ask, do_respond
    from cairn.learning.actions import (
        do_accept,
        do_log_session,
        do_request_relationship,
        do_set_goal,
    )
    from cairn.matching.actions import (
        do_close_signups,
        do_create_program,
        do_run_matching,
        do_sign_up,
    )
    from cairn.people.actions import do_update_profile
    from cairn.trust.adapter import recompute_organisation

    alice, bob, carol = personas.alice, personas.bob, personas.carol
    now = timezone.now()
    do_update_profile(bob, timezone="Europe/Berlin")
    community = do_create_community(alice, f"{LONG_NAME} circle", "Where we learn together.")
    do_join(bob, community)
    ask = do_ask(bob, f"Stuck on {LONG_WORD} in Excel", "Where do I start?", skills=["SQL"])
    do_respond(alice, ask, "Start with the data model.")
    goal = do_set_goal(bob, "Write good SQL")
    relationship = do_request_relationship(bob, alice, "mentoring", goal, "Would you?")
    do_accept(alice, relationship)
    do_log_session(alice, relationship, now - timedelta(days=2), 60, shared_notes="Joins")
    commitment = do_commit(bob, alice, "Send the query plan", now + timedelta(days=3))
    program = do_create_program(
        alice,
        name=f"{LONG_NAME} mentoring",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=7),
    )
    do_sign_up(alice, program, role="mentor", capacity=2)
    do_sign_up(bob, program, role="mentee", goal_text="Write faster SQL")
    do_sign_up(carol, program, role="mentee", goal_text="Speak at a conference")
    do_run_matching(alice, do_close_signups(alice, program))
    recompute_organisation(personas.acme)
    return {
        "community": community.get_absolute_url(),
        "request": ask.get_absolute_url(),
        "relationship": relationship.get_absolute_url(),
        "commitment": commitment.get_absolute_url(),
        "review": f"/programs/{program.pk}/review/",
        "outcomes": f"/programs/{program.pk}/outcomes/",
    }


#: The elements that reach past the right edge, named as a selector would, the outermost first.
BEYOND_THE_EDGE = """() => [...document.querySelectorAll('body *')]
  .filter(el => el.getBoundingClientRect().right > innerWidth + 1)
  .slice(0, 3)
  .map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''))"""


def _misfits(page: Any, paths: list[str]) -> list[str]:
    """Visit each path; return what is wrong with each page that does not fit the phone."""
    wrong = []
    for path in paths:
        response = page.goto(path)
        assert response is not None and response.ok, (
            f"{path} answered {response and response.status}"
        )
        sizes = page.evaluate(
            "() => ({wide: document.scrollingElement.scrollWidth, width: innerWidth,"
            " header: document.querySelector('.site-header').getBoundingClientRect().height})"
        )
        if sizes["wide"] > sizes["width"]:
            beyond = ", ".join(page.evaluate(BEYOND_THE_EDGE))
            wrong.append(f"{path} is {sizes['wide']} px wide: {beyond}")
        if sizes["header"] > HEADER_MOST:
            wrong.append(f"{path} has a {sizes['header']:.0f} px header")
    return wrong


def test_every_main_page_fits_a_phone(
    signed_in_page: Callable[[Any], Any], personas: Personas, context: Any
) -> None:
    urls = _build(personas)
    everyone = ["/home/", "/people/", "/requests/", "/communities/", "/commitments/"]
    everyone += ["/mentoring/", "/notifications/", "/search/?q=SQL", "/goals/", "/posts/"]
    singles = [urls["community"], urls["request"], urls["relationship"], urls["commitment"]]

    page = signed_in_page(personas.bob)
    page.set_viewport_size(PHONE)
    wrong = _misfits(page, ["/people/bob.baker/", *everyone, *singles])

    context.clear_cookies()
    page = signed_in_page(personas.alice)
    admin = ["/people/alice.archer/", "/insights/", urls["review"], urls["outcomes"]]
    wrong += _misfits(page, [*admin, "/home/", "/people/", urls["relationship"]])
    assert not wrong, "\n".join(wrong)


def test_the_menu_opens_the_navigation_on_a_phone(
    signed_in_page: Callable[[Any], Any], personas: Personas
) -> None:
    page = signed_in_page(personas.bob)
    page.set_viewport_size(PHONE)
    page.goto("/home/")
    menu = page.locator(".site-menu > summary")
    people = page.get_by_role("navigation", name="Main").get_by_role("link", name="People")
    expect(people).to_be_hidden()
    expect(page.get_by_role("link", name="Notifications")).to_be_visible()  # the bell stays out

    menu.click()
    expect(people).to_be_visible()
    expect(page.get_by_role("searchbox", name="Search Cairn")).to_be_visible()
    page.keyboard.press("Escape")
    expect(people).to_be_hidden()
    expect(menu).to_be_focused()

    page.keyboard.press("Enter")  # the button works from the keyboard
    expect(people).to_be_visible()
    people.click()
    expect(page).to_have_url(re.compile(r"/people/$"))
    expect(people).to_be_hidden()  # a new page starts with the menu closed

    page.set_viewport_size(DESKTOP)
    expect(menu).to_be_hidden()
    expect(people).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
