"""In a real browser, on a desktop and on a phone: start an organisation from the landing page,
confirm the founder's address, and see the first-run checklist tick."""

import re
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import expect

from cairn.browser_testing import PHONE, sign_in
from cairn.people.models import Organisation, User
from cairn.people.tests.test_accounts import link_in

WIDTHS = [pytest.param({"width": 1280, "height": 800}, id="desktop"),
          pytest.param(PHONE, id="phone")]  # fmt: skip
PASSWORD_LABEL = re.compile(r"^Password:?$")


def fits(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


@pytest.mark.parametrize("viewport", WIDTHS)
def test_a_new_organisations_sign_up(page: Any, personas: Any, viewport: dict[str, int]) -> None:
    page.set_viewport_size(viewport)
    page.goto("/")
    page.get_by_role("link", name="Start Cairn for your team").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Start Cairn for your team")
    assert fits(page)
    page.get_by_label("Your organisation's name").fill("Initech")
    page.get_by_label("Short name").fill("acme")  # taken: says so, keeps what was typed
    page.get_by_role("button", name="Next: your account").click()
    expect(page.get_by_text("The short name 'acme' is taken")).to_be_visible()
    page.get_by_label("Short name").fill("initech")
    page.get_by_role("button", name="Next: your account").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Start Initech on Cairn")
    assert fits(page)
    page.get_by_label("Email").fill("pat@initech.example")
    page.get_by_label("Your name").fill("Pat Park")
    page.get_by_label(PASSWORD_LABEL).fill("a long and private passphrase")
    page.get_by_label("Password (again)").fill("a long and private passphrase")
    page.get_by_role("button", name="Create my account").click()
    page.wait_for_url("**/accounts/confirm-email/")

    page.goto(link_in(mail.outbox[-1]))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("You have confirmed pat@initech.example")).to_be_visible()
    sign_in(page, "pat@initech.example", "a long and private passphrase")
    org = Organisation.objects.get(slug="initech")
    assert org.email_domains == ["initech.example"]
    assert User.objects.get(email="pat@initech.example").is_org_admin

    page.goto("/organisation/invitations/")
    checklist = page.get_by_role("region", name="Set up your organisation")
    expect(checklist).to_contain_text("1 of 5 done")
    assert fits(page)
    page.get_by_label("Email").fill("sam@elsewhere.example")
    page.get_by_role("button", name="Create invitation").click()
    expect(checklist).to_contain_text("2 of 5 done")
    expect(page.locator("#invitation-link")).to_contain_text("/join/")
