"""In a real browser: an admin runs a mentoring program match end to end, and a participant
sees their match and why."""

import re

from playwright.sync_api import expect


def test_an_admin_runs_a_program_match(signed_in_page, personas) -> None:
    from cairn.matching.actions import do_sign_up
    from cairn.matching.models import Program
    from cairn.testing import make_person

    dan = make_person(
        personas.acme,
        "Dan Dunn",
        title="Engineering Manager",
        department="Engineering",
        offers=["Public speaking", "Leading a team"],
    )
    erin = make_person(
        personas.acme, "Erin Evans", title="Engineer", department="Engineering", wants=["SQL"]
    )

    page = signed_in_page(personas.alice)
    page.goto("/programs/")
    page.get_by_role("link", name="Start a program").click()
    page.get_by_label("Name").fill("Spring mentoring")
    page.get_by_label("Description").fill("Six months, one hour a fortnight.")
    page.get_by_label("Sign-ups open").fill("2026-01-01T09:00")
    page.get_by_label("Sign-ups close").fill("2030-12-31T17:00")
    page.get_by_label("Questions for people signing up").fill("How often: Weekly | Monthly")
    page.get_by_role("button", name="Start the program").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Spring mentoring")
    expect(page.get_by_role("status")).to_contain_text("Your program is ready")

    # A few sign-ups, made through the actions as people would on the program's page.
    program = Program.objects.get(name="Spring mentoring")
    do_sign_up(personas.alice, program, role="mentor", capacity=2)
    do_sign_up(dan, program, role="mentor", capacity=1)
    do_sign_up(personas.bob, program, role="mentee", goal_text="Write faster SQL queries")
    do_sign_up(personas.carol, program, role="mentee", goal_text="Speak at a conference")
    do_sign_up(
        erin,
        program,
        role="mentee",
        goal_text="Query the data warehouse with SQL",
        picks=[personas.alice.pk],
        answers={"q1": "Weekly"},
    )

    page.reload()
    expect(page.get_by_text("3 mentees, 2 mentors")).to_be_visible()
    page.get_by_role("button", name="Close sign-ups now").click()
    expect(page.get_by_role("status")).to_contain_text("Sign-ups are closed")
    page.get_by_label("Best overall fit").check()
    page.get_by_role("button", name="Run the matching").click()

    page.wait_for_url(re.compile(r"/programs/\d+/review/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Review the matches")
    expect(page.get_by_text("Worst-matched mentee", exact=True)).to_be_visible()
    table = page.get_by_role("table")
    expect(table.get_by_role("row", name=re.compile("Erin Evans"))).to_contain_text("Alice Archer")
    expect(table).to_contain_text("your 1st pick")

    # Adjust: swapping Bob's and Carol's mentors is checked against the rules, without a reload.
    page.get_by_label("Swap the mentors of").select_option(label="Bob Baker")
    page.get_by_label("and", exact=True).select_option(label="Carol Chen")
    page.get_by_role("button", name="Swap", exact=True).click()
    expect(table.get_by_role("row", name=re.compile("Bob Baker"))).to_contain_text("adjusted")

    page.get_by_role("button", name="Publish the matches and tell everyone").click()
    expect(page.get_by_role("status")).to_contain_text("The matches are published")

    page = signed_in_page(erin)
    page.goto(f"/programs/{program.pk}/")
    match = page.get_by_role("region", name="Your match")
    expect(match).to_contain_text("Alice Archer will mentor you")
    expect(match).to_contain_text("Why:")
    match.get_by_role("link", name="Go to your mentoring").click()
    expect(page.get_by_text("Matched in the mentoring program")).to_be_visible()
