"""The demo's content comes from cairn/demo/data, and the plan is the one it was in code.

The expected figures and records were read off the plan while the content was still written in
northwind.py (seed 2026), so a file that loses, reorders or changes an entry fails here.
"""

from collections import Counter

from cairn.demo import northwind


def test_the_content_files_hold_everything():
    assert len(northwind.DEPARTMENTS) == 8
    assert sum(len(d.teams) for d in northwind.DEPARTMENTS) == 25
    assert len(northwind.PLACES) == 28
    assert len(northwind.CULTURES) == 67
    assert len(northwind.NAMES) == 200
    assert len(northwind.HOBBIES) == 32
    assert len(northwind.CROSS_CUTTING) == 20
    assert northwind.CEO_DIRECT == (("Chief of Staff", "senior"), ("Executive Assistant", "mid"))
    assert northwind.CULTURES["nz"] == (("Te reo Māori",), ("NZ",))
    assert northwind.PLACES[9].label == "Remote (Kraków, Poland)"


def test_the_plan_is_the_same_people_as_before():
    people = northwind.plan_people()
    assert len(people) == 152
    assert Counter(p.department for p in people) == {
        "Engineering": 40,
        "Sales": 23,
        "Customer Success": 20,
        "People & Operations": 18,
        "Data & Analytics": 14,
        "Marketing": 14,
        "Product": 12,
        "Design": 11,
    }
    ceo = people[0]
    assert (ceo.name, ceo.title, ceo.city, ceo.languages) == (
        "Adaeze Okafor",
        "Chief Executive Officer & Co-founder",
        "London",
        ["Igbo", "English", "Italian"],
    )
    assert ceo.offers == [
        "Stakeholder management",
        "Budgeting",
        "Project management",
        "Conflict resolution",
        "Giving feedback",
        "Spanish conversation",
    ]
    lead = people[77]
    assert (lead.name, lead.title, lead.manager) == (
        "DeShawn Williams",
        "Machine Learning Lead",
        "mei.huang@northwind.example",
    )
    assert lead.bio == (
        "I've led Machine Learning since 2020; we look after skills extraction from free text. "
        "Previously at a large bank, then two start-ups, one of which you may have heard of. "
        "I'm learning design thinking and would love a patient guide. Glad to pair on anything "
        "involving career planning and giving feedback. I run a small book club that has mostly "
        "become a snack club."
    )
    other = people[100]
    assert (other.name, other.culture, other.team, other.timezone) == (
        "Rahul Verma",
        "in-hi",
        "Solutions Engineering",
        "America/Toronto",
    )
    assert other.bio.startswith(
        "I lead the Solutions Engineering team: 3 people in Toronto and Singapore. I can help "
        "with security questionnaires and conflict resolution; grab me for a coffee or a call."
    )
    assert other.wants == ["Generative AI tools", "SQL", "Negotiation"]
