"""In a real browser: a member flags a post with private information, the community's
facilitator edits it out from the moderation queue, and the author is told why."""

from playwright.sync_api import expect

from cairn.browser_testing import PHONE, shot
from cairn.communities.actions import do_create_community, do_join
from cairn.exchange.actions import do_share_post
from cairn.testing import make_person


def test_a_flagged_phone_number_is_edited_out_and_the_author_told(
    signed_in_page, personas, context
) -> None:
    circle = do_create_community(personas.carol, "Platform circle")
    dave = make_person(personas.acme, "Dave Dunn")
    for person in (personas.bob, dave):
        do_join(person, circle)
    post = do_share_post(
        personas.bob,
        "Who to call when the build breaks",
        "Call me on my mobile, 07700 900123, any time.",
        community=circle,
    )

    page = signed_in_page(dave)
    page.set_viewport_size(PHONE)
    page.goto(post.get_absolute_url())
    page.get_by_role("link", name="Flag this post").click()
    page.get_by_label("Private information").check()
    page.get_by_label("Anything the moderators should know?").fill("A personal mobile number.")
    page.get_by_role("button", name="Flag it").click()
    expect(page.get_by_text("The moderators will look at it.")).to_be_visible()

    context.clear_cookies()
    page = signed_in_page(personas.carol)
    page.set_viewport_size(PHONE)
    page.goto("/home/")
    page.get_by_role("link", name="Moderation 1 waiting for review").click()
    page.get_by_role("link", name="Post by Bob Baker").click()
    expect(page.get_by_text("A personal mobile number.")).to_be_visible()
    page.get_by_role("link", name="Edit out private information").click()
    page.get_by_label("Body").fill("Call me on my mobile (ask me for the number), any time.")
    page.get_by_label("Why").fill("Personal phone numbers stay out of posts.")
    page.get_by_role("button", name="Save the edit").click()
    expect(page.get_by_text("Nothing waits for review.")).to_be_visible()
    shot(page, "moderation_queue")

    context.clear_cookies()
    page = signed_in_page(personas.bob)
    page.set_viewport_size(PHONE)
    page.goto("/notifications/")
    told = page.get_by_text("A moderator edited private information out of what you wrote")
    expect(told).to_be_visible()
    expect(page.get_by_text("Personal phone numbers stay out of posts.")).to_be_visible()
    page.goto(post.get_absolute_url())
    expect(page.get_by_text("ask me for the number")).to_be_visible()
    expect(page.get_by_text("07700 900123")).to_have_count(0)
