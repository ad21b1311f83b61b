"""In a real browser: an admin reads a programme's outcomes at desktop and phone width, the
charts fit their box and nothing scrolls sideways."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cairn.learning.actions import do_log_session
from cairn.matching.actions import (
    do_close_signups,
    do_create_program,
    do_publish,
    do_run_matching,
    do_sign_up,
)


@pytest.mark.parametrize("width", [1280, 390])
def test_outcomes_page_fits_desktop_and_phone(signed_in_page, personas, width) -> None:
    now = timezone.now()
    program = do_create_program(
        personas.alice,
        name="Customer Success mentoring circle with a long name",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=7),
    )
    do_sign_up(personas.alice, program, role="mentor", capacity=2)
    do_sign_up(personas.bob, program, role="mentee", goal_text="Write faster SQL")
    do_sign_up(personas.carol, program, role="mentee", goal_text="Speak at a conference")
    program = do_run_matching(personas.alice, do_close_signups(personas.alice, program))
    program = do_publish(personas.alice, program)
    match = program.matches.exclude(relationship=None).first()
    assert match is not None and match.relationship is not None
    first = match.relationship
    do_log_session(personas.alice, first, now - timedelta(hours=3), 60)

    page = signed_in_page(personas.alice)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"/programs/{program.pk}/outcomes/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("achieved")
    expect(page.get_by_role("img", name="Relationships by health")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    chart = page.get_by_role("img", name="Relationships by health").bounding_box()
    assert chart is not None and chart["x"] + chart["width"] <= width
