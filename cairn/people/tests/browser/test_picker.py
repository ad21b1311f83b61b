"""In a real browser, on a desktop and on a phone: choose a colleague with the keyboard from the
type-ahead, and the same form without JavaScript."""

import pytest
from playwright.sync_api import expect

from cairn.browser_testing import PHONE
from cairn.commitments.models import Commitment

WIDTHS = [pytest.param({"width": 1280, "height": 800}, id="desktop"),
          pytest.param(PHONE, id="phone")]  # fmt: skip


@pytest.mark.parametrize("viewport", WIDTHS)
def test_pick_a_colleague_with_arrow_keys_and_enter(signed_in_page, personas, viewport) -> None:
    page = signed_in_page(personas.bob)
    page.set_viewport_size(viewport)
    page.goto("/commitments/")
    box = page.get_by_role("combobox", name="To whom")
    expect(box).to_have_attribute("aria-expanded", "false")
    box.press_sequentially("c", delay=30)
    listbox = page.get_by_role("listbox")
    expect(listbox.get_by_role("option")).to_have_count(1)
    expect(listbox).to_contain_text("Carol Chen")
    expect(box).to_have_attribute("aria-expanded", "true")
    box.fill("")
    box.press_sequentially("a", delay=30)  # Alice Archer and Carol Chen (Design)... by name
    expect(listbox.get_by_role("option", name="Alice Archer")).to_be_visible()
    box.press("ArrowDown")
    first = listbox.get_by_role("option").first
    expect(first).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", first.get_attribute("id") or "")
    box.press("Enter")  # picks; does not submit the form
    expect(box).to_have_value("Alice Archer (alice.archer)")
    expect(box).to_have_attribute("aria-expanded", "false")
    page.get_by_label("What you commit to").fill("Send the slides")
    page.get_by_label("By when").fill("2031-03-01")
    page.get_by_role("button", name="Commit").click()
    expect(page.get_by_text("Send the slides").first).to_be_visible()
    assert Commitment.objects.get(text="Send the slides").counterpart == personas.alice
    no_sideways_scroll(page)


def test_escape_closes_the_list_and_a_typed_name_still_works(signed_in_page, personas) -> None:
    page = signed_in_page(personas.bob)
    page.goto("/commitments/")
    box = page.get_by_role("combobox", name="To whom")
    box.press_sequentially("Carol", delay=30)
    expect(page.get_by_role("listbox")).to_be_visible()
    box.press("Escape")
    expect(page.get_by_role("listbox")).to_be_hidden()
    box.fill("Carol Chen")  # typed in full, never picked: the server finds her
    page.get_by_label("What you commit to").fill("Pair on the dashboard")
    page.get_by_label("By when").fill("2031-03-01")
    page.get_by_role("button", name="Commit").click()
    expect(page.get_by_text("Pair on the dashboard").first).to_be_visible()
    assert Commitment.objects.get(text="Pair on the dashboard").counterpart == personas.carol


def test_without_javascript_the_box_is_a_plain_field(
    browser, live_server, personas, _browser_settings
) -> None:
    from django.conf import settings
    from django.test import Client

    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    client = Client()
    client.force_login(personas.bob)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    page = context.new_page()
    page.goto("/commitments/")
    page.get_by_label("To whom").fill("Nobody Known")
    page.get_by_label("What you commit to").fill("Something")
    page.get_by_label("By when").fill("2031-03-01")
    page.get_by_role("button", name="Commit").click()
    expect(page.get_by_text("No colleague found for “Nobody Known”")).to_be_visible()
    page.get_by_label("To whom").fill("alice.archer")
    page.get_by_role("button", name="Commit").click()
    expect(page.get_by_text("Something").first).to_be_visible()
    assert Commitment.objects.get(text="Something").counterpart == personas.alice
    context.close()


def no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], width
