"""In a real browser: sign up by invitation, sign in and out."""

import re

from playwright.sync_api import expect

from cairn.browser_testing import sign_in
from cairn.people.actions import do_invite
from cairn.people.models import User

PASSWORD_LABEL = re.compile(r"^Password:?$")


def test_sign_up_by_invitation(page, personas) -> None:
    invitation = do_invite(personas.alice, "dana@partner.example")

    page.goto(f"/join/{invitation.token}/")

    expect(page).to_have_url(re.compile(r"/accounts/signup/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Join Acme Learning on Cairn")
    expect(page.get_by_label("Email")).to_have_value("dana@partner.example")
    page.get_by_label("Your name").fill("Dana Diaz")
    page.get_by_label(PASSWORD_LABEL).fill("a long and private passphrase")
    page.get_by_label("Password (again)").fill("a long and private passphrase")
    page.get_by_role("button", name="Create my account").click()

    page.wait_for_url("**/home/")
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Me", exact=True)
    ).to_be_visible()
    dana = User.objects.get(email="dana@partner.example")
    assert dana.organisation == personas.acme
    assert dana.profile.name == "Dana Diaz"


def test_sign_in_and_out(page, personas) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("bob.baker@acme.example")
    page.get_by_label(PASSWORD_LABEL).fill("not my password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("not correct")

    sign_in(page, "bob.baker@acme.example")
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/login/")
    expect(page.get_by_role("navigation", name="Main")).to_have_count(0)
