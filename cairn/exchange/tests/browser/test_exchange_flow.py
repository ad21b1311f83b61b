"""In a real browser: ask for help, get an answer, accept it and credit the helper; share a
lesson learned and comment on it; start a circle, welcome a member and discuss."""

from playwright.sync_api import expect

from cairn.browser_testing import PHONE, pick_person, shot


def test_ask_for_help_and_credit_the_helper(signed_in_page, personas, context) -> None:
    page = signed_in_page(personas.bob)
    page.goto("/requests/")
    page.get_by_role("link", name="Ask for help").first.click()
    page.get_by_label("What do you need help with?").fill("How do window functions work?")
    page.get_by_label("Details").fill("I keep getting one row per group.")
    page.get_by_label("Skills").fill("SQL")
    pick_person(page, page.get_by_label("Ask particular people (optional)"), "ali", "Alice Archer")
    page.get_by_role("button", name="Ask").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How do window functions work?")
    shot(page, "request-asked")

    context.clear_cookies()
    page = signed_in_page(personas.alice)
    page.goto("/requests/?show=directed")
    page.get_by_role("link", name="How do window functions work?").click()
    expect(page.get_by_text("No responses yet. Be the first to help")).to_be_visible()
    page.get_by_label("Your response").fill("Use OVER (PARTITION BY …) instead of GROUP BY.")
    page.get_by_role("button", name="Respond").click()
    expect(page.get_by_text("Use OVER (PARTITION BY …)")).to_be_visible()

    context.clear_cookies()
    page = signed_in_page(personas.bob)
    page.set_viewport_size(PHONE)
    page.goto("/requests/?show=mine")
    page.get_by_role("link", name="How do window functions work?").click()
    page.get_by_role("button", name="Accept this answer").click()
    expect(page.get_by_text("Accepted", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Give Alice Archer private feedback")).to_be_visible()
    pick_person(page, page.get_by_role("combobox", name="Person 1"), "Alice", "Alice Archer")
    page.get_by_role("textbox", name="What person 1 gave").fill(
        "Explained window functions with my own data"
    )
    page.get_by_role("button", name="Mark resolved").click()
    expect(page.get_by_role("status")).to_contain_text("Resolved")
    expect(page.get_by_text("Explained window functions with my own data")).to_be_visible()
    shot(page, "request-resolved-phone")


def test_share_a_lesson_and_comment_on_it(signed_in_page, personas, context) -> None:
    page = signed_in_page(personas.carol)
    page.goto("/posts/")
    page.get_by_role("link", name="Share a lesson learned").click()
    page.get_by_label("Title").fill("The export I sent to the wrong client")
    page.get_by_label("What happened, and what went wrong").fill("Two files, similar names.")
    page.get_by_label("What I learned, and what I'd do differently").fill("Name files by client.")
    page.get_by_role("button", name="Share the lesson").click()
    expect(page.get_by_text("Lesson learned", exact=True)).to_be_visible()
    url = page.url

    context.clear_cookies()
    visitor = context.new_page()
    visitor.goto(url)
    expect(visitor.get_by_role("heading", name="Sign in to read and comment")).to_be_visible()

    page = signed_in_page(personas.bob)
    page.set_viewport_size(PHONE)
    page.goto(url)
    expect(page.get_by_text("Be the first to comment.")).to_be_visible()
    page.get_by_label("Your comment").fill("Thank you for sharing this.")
    page.get_by_role("button", name="Comment").click()
    expect(page.locator("#comments")).to_contain_text("Thank you for sharing this.")
    page.get_by_text("Say thanks to Carol Chen").click()
    page.get_by_label("Your note").fill("Brave and useful.")
    page.get_by_role("button", name="Send thanks").click()
    expect(page.get_by_role("status")).to_contain_text("Your thanks is on its way")
    shot(page, "lesson-phone")


def test_a_circle_by_approval(signed_in_page, personas, context) -> None:
    page = signed_in_page(personas.alice)
    page.goto("/communities/")
    page.get_by_role("link", name="Start a community").click()
    page.get_by_label("Name").fill("Data leads circle")
    page.get_by_label("Description").fill("Monthly, for people leading data work.")
    page.get_by_label("By approval").check()
    page.get_by_role("button", name="Start the community").click()
    page.get_by_role("link", name="Start a discussion").click()
    page.get_by_label("Title").fill("Hiring this year")
    page.get_by_label("What's on your mind").fill("How do you interview analysts?")
    page.get_by_role("button", name="Start the discussion").click()
    community_url = page.get_by_role("link", name="← Data leads circle").get_attribute("href")

    context.clear_cookies()
    page = signed_in_page(personas.bob)
    page.goto(community_url)
    expect(page.get_by_text("Hiring this year")).to_have_count(0)
    page.get_by_label("A word to the facilitators").fill("I lead the analytics team.")
    page.get_by_role("button", name="Ask to join").click()
    expect(page.get_by_role("status")).to_contain_text("with the facilitators")

    context.clear_cookies()
    page = signed_in_page(personas.alice)
    page.goto(community_url)
    page.get_by_role("link", name="1 waiting to join").click()
    page.get_by_role("button", name="Welcome").click()
    expect(page.get_by_role("status")).to_contain_text("Bob Baker is in.")

    context.clear_cookies()
    page = signed_in_page(personas.bob)
    page.set_viewport_size(PHONE)
    page.goto(community_url)
    page.get_by_role("link", name="Hiring this year").click()
    page.get_by_label("Reply").fill("Take-home exercise, then pairing.")
    page.get_by_role("button", name="Reply").click()
    expect(page.locator("#replies")).to_contain_text("Take-home exercise, then pairing.")
    shot(page, "thread-phone")
