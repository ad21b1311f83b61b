"""In a real browser: a member searches before asking, and finds the answer already there."""

from playwright.sync_api import expect


def test_a_member_finds_an_answered_request_before_asking_again(signed_in_page, personas) -> None:
    from cairn.exchange.actions import do_ask, do_mark_response, do_respond

    asked = do_ask(personas.bob, "How do window functions work in SQL?", "One row per group.")
    answer = do_respond(personas.alice, asked, "Use OVER (PARTITION BY …) instead of GROUP BY.")
    do_mark_response(personas.bob, answer, accepted=True)

    page = signed_in_page(personas.carol)
    page.goto("/home/")
    box = page.get_by_role("searchbox", name="Search Cairn")
    box.fill("window function")
    box.press("Enter")
    results = page.locator("#results")
    expect(results.get_by_role("heading", name="Requests for help (1)")).to_be_visible()
    expect(results.get_by_text("Answered", exact=True)).to_be_visible()
    expect(results.get_by_text("Use OVER (PARTITION BY …) instead of GROUP BY.")).to_be_visible()

    # Typing on the search page narrows the results without a reload (htmx).
    page.get_by_role("searchbox", name="Search for").fill("partit")
    expect(results.get_by_text("Use OVER (PARTITION BY …)")).to_be_visible()

    # The ask form points at the answer as the question is typed.
    page.goto("/requests/ask/")
    page.get_by_label("What do you need help with?").press_sequentially("window functions")
    hints = page.locator("#answered-already")
    expect(
        hints.get_by_role("heading", name="Someone may have answered this already")
    ).to_be_visible()
    hints.get_by_role("link", name="How do window functions work in SQL?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "How do window functions work in SQL?"
    )
    expect(page.get_by_text("Use OVER (PARTITION BY …) instead of GROUP BY.")).to_be_visible()
