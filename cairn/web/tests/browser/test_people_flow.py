"""In a real browser: edit my profile, and find a colleague with the directory's live search."""

import re

from playwright.sync_api import expect


def test_edit_the_profile(signed_in_page, personas) -> None:
    page = signed_in_page(personas.bob)
    page.goto("/me/edit/")

    page.get_by_label("Title").fill("Senior Analyst")
    page.get_by_label("Skills and topics I can help with").fill("Python, Data visualisation")
    page.get_by_label("I am open to mentoring others").check()
    page.get_by_role("button", name="Save profile").click()

    page.wait_for_url("**/people/bob.baker/")
    expect(page.get_by_role("status")).to_contain_text("Your profile is saved.")
    expect(page.get_by_text("Senior Analyst").first).to_be_visible()
    expect(page.get_by_text("Data visualisation").first).to_be_visible()
    personas.bob.profile.refresh_from_db()
    assert personas.bob.profile.title == "Senior Analyst"


def test_find_a_colleague_with_live_search(signed_in_page, personas) -> None:
    page = signed_in_page(personas.bob)
    page.goto("/people/")
    results = page.locator("#results")
    expect(results).to_contain_text("Alice Archer")

    with page.expect_response(
        lambda r: "q=figma" in r.url.lower() and r.request.headers.get("hx-request") == "true"
    ):
        page.get_by_role("searchbox", name="Search people").press_sequentially("figma")

    expect(results.get_by_role("link", name="Carol Chen")).to_be_visible()
    expect(results).not_to_contain_text("Alice Archer")
    expect(results).not_to_contain_text("Oscar")
    expect(page).to_have_url(re.compile(r"q=figma"))

    results.get_by_role("link", name="Carol Chen").click()
    page.wait_for_url("**/people/carol.chen/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Carol Chen")
