"""Northwind, the demo organisation: about 150 people in 8 departments, made through the actions.

The module has two halves. The first is pure data (departments and teams, names, places, skills,
bio fragments) and :func:`plan_people`, which turns a seed into a list of :class:`PersonSpec`
without touching the database, so the same seed always gives the same people. The second,
:func:`build_northwind`, creates the organisation and everyone in it through
``do_create_organisation`` and ``do_add_person``, exactly as sign-up and the admin tools do.

Later issues extend the demo with history (goals, mentoring, requests, ...): add a step that takes
the organisation, the plan and a seeded ``random.Random`` and call it from :func:`build_northwind`
after the people exist. ``PersonSpec`` keeps what the database does not (team, seniority, the wish
for reverse mentoring) so such steps can pair people plausibly.
"""

import random
import re
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, TextIO

import time_machine
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from cairn.demo.history import HISTORY_DAYS, build_history
from cairn.ledger.record import erase_organisation
from cairn.people.actions import do_add_person, do_create_organisation
from cairn.people.models import Organisation, Profile, User

NAME = "Northwind"
SLUG = "northwind"
DOMAIN = "northwind.example"
SEED = 2026
DEMO_PASSWORD = "northwind-demo"  # noqa: S105 - the documented demo sign-in

LEVELS = ("junior", "mid", "senior", "principal")
LEVEL_WEIGHTS = (26, 40, 26, 8)


# --- Departments and teams ------------------------------------------------------------------


@dataclass(frozen=True)
class Team:
    """A team inside a department: its lead's title, size and the titles by seniority."""

    name: str
    lead: str
    size: int
    titles: dict[str, tuple[str, ...]]
    skills: tuple[str, ...]
    focus: tuple[str, ...]


@dataclass(frozen=True)
class Department:
    """A department: its head, teams, people reporting straight to the head, where they work."""

    name: str
    head: str
    teams: tuple[Team, ...]
    direct: tuple[tuple[str, str], ...]  # (title, level) reporting to the head
    skills: tuple[str, ...]
    focus: tuple[str, ...]
    offices: dict[str, int]  # office city -> weight; "remote" spreads over the remote places


def _list(text: str) -> tuple[str, ...]:
    """Return the items of a comma-separated list."""
    return tuple(item.strip() for item in text.split(",") if item.strip())


def _titles(junior: str, mid: str, senior: str, principal: str = "") -> dict[str, tuple[str, ...]]:
    split = [tuple(t.strip() for t in s.split("|")) if s else () for s in (junior, mid, senior)]
    return {
        "junior": split[0],
        "mid": split[1],
        "senior": split[2],
        "principal": tuple(t.strip() for t in principal.split("|")) if principal else (),
    }


DEPARTMENTS: tuple[Department, ...] = (
    Department(
        name="Engineering",
        head="VP of Engineering",
        teams=(
            Team(
                "Platform",
                "Engineering Manager, Platform",
                8,
                _titles(
                    "Junior Platform Engineer",
                    "Platform Engineer|Site Reliability Engineer",
                    "Senior Platform Engineer|Senior Site Reliability Engineer",
                    "Staff Platform Engineer",
                ),
                _list(
                    "Kubernetes, Terraform, AWS, Observability, Incident response, Linux, Go, "
                    "CI/CD pipelines, PostgreSQL"
                ),
                (
                    "keeping our Kubernetes clusters boring",
                    "making deploys fast and uneventful",
                    "on-call runbooks and the occasional 3 a.m. page",
                    "trimming our cloud bill without anyone noticing",
                ),
            ),
            Team(
                "Payments",
                "Engineering Manager, Payments",
                7,
                _titles(
                    "Junior Backend Engineer",
                    "Backend Engineer",
                    "Senior Backend Engineer",
                    "Staff Backend Engineer",
                ),
                _list(
                    "Python, Django, PostgreSQL, API design, PCI DSS, Distributed systems, "
                    "Automated testing, Domain-driven design"
                ),
                (
                    "reconciling ledgers so Finance can sleep at night",
                    "our card-payments integration",
                    "idempotent APIs and everything that can go wrong with money",
                    "invoicing, refunds and the edge cases in between",
                ),
            ),
            Team(
                "Web",
                "Engineering Manager, Web",
                8,
                _titles(
                    "Junior Frontend Engineer",
                    "Frontend Engineer|Full-stack Engineer",
                    "Senior Frontend Engineer|Senior Full-stack Engineer",
                    "Staff Frontend Engineer",
                ),
                _list(
                    "TypeScript, React, Accessibility, CSS, Web performance, Design systems, "
                    "Automated testing, Django"
                ),
                (
                    "our design system and its forty shades of grey",
                    "making the web app fast on cheap phones",
                    "accessibility fixes nobody notices until they are missing",
                    "the learner dashboard",
                ),
            ),
            Team(
                "Mobile",
                "Engineering Manager, Mobile",
                6,
                _titles(
                    "Junior iOS Engineer|Junior Android Engineer",
                    "iOS Engineer|Android Engineer",
                    "Senior iOS Engineer|Senior Android Engineer",
                    "Staff Mobile Engineer",
                ),
                _list(
                    "Swift, Kotlin, React Native, Mobile testing, Release management, "
                    "Offline-first design, Accessibility"
                ),
                (
                    "the offline mode of our mobile app",
                    "shaving seconds off app start-up",
                    "getting releases through app review in one piece",
                ),
            ),
            Team(
                "Security",
                "Security Engineering Lead",
                3,
                _titles(
                    "Junior Security Analyst",
                    "Security Engineer|Application Security Engineer",
                    "Senior Security Engineer",
                ),
                _list(
                    "Threat modelling, Application security, Incident response, "
                    "Identity and access management, Security awareness training"
                ),
                (
                    "threat models for every new feature",
                    "our bug bounty programme",
                    "phishing drills that people (mostly) forgive me for",
                ),
            ),
        ),
        direct=(("Principal Engineer", "principal"), ("Principal Engineer", "principal")),
        skills=_list(
            "Code review, System design, Technical writing, Debugging, Git, Python, "
            "Pair programming"
        ),
        focus=("architecture reviews across teams", "untangling our oldest services"),
        offices={"London": 3, "Berlin": 4, "Lisbon": 4, "Bengaluru": 4, "Nairobi": 1, "remote": 4},
    ),
    Department(
        name="Product",
        head="Chief Product Officer",
        teams=(
            Team(
                "Core Product",
                "Group Product Manager",
                4,
                _titles(
                    "Associate Product Manager",
                    "Product Manager",
                    "Senior Product Manager",
                    "Principal Product Manager",
                ),
                _list(
                    "Product discovery, Roadmapping, Writing specs, Prioritisation, "
                    "User interviews, Product analytics"
                ),
                (
                    "the learner experience from end to end",
                    "deciding what we won't build",
                    "turning customer calls into a roadmap",
                ),
            ),
            Team(
                "Growth",
                "Lead Product Manager, Growth",
                3,
                _titles(
                    "Associate Product Manager", "Growth Product Manager", "Senior Product Manager"
                ),
                ("A/B testing", "Funnel analysis", "Pricing", "SQL", "Onboarding design"),
                (
                    "activation and a new customer's first week",
                    "pricing experiments",
                    "our sign-up funnel",
                ),
            ),
        ),
        direct=(("Product Operations Manager", "senior"), ("Technical Writer", "mid")),
        skills=("Product strategy", "Stakeholder management", "OKRs", "Writing clearly"),
        focus=("release notes and the rituals that keep Product honest",),
        offices={"London": 4, "Berlin": 2, "Toronto": 2, "Lisbon": 1, "remote": 1},
    ),
    Department(
        name="Design",
        head="Head of Design",
        teams=(
            Team(
                "Product Design",
                "Design Lead",
                5,
                _titles(
                    "Junior Product Designer",
                    "Product Designer",
                    "Senior Product Designer",
                    "Principal Product Designer",
                ),
                _list(
                    "Figma, Interaction design, Prototyping, Design systems, Accessibility, "
                    "Visual design"
                ),
                (
                    "the mentoring flows in the app",
                    "our component library",
                    "making forms less painful",
                ),
            ),
            Team(
                "Research",
                "Research Lead",
                2,
                _titles("Junior UX Researcher", "UX Researcher", "Senior UX Researcher"),
                _list(
                    "User interviews, Usability testing, Survey design, Research synthesis, "
                    "Jobs to be done"
                ),
                (
                    "talking to learners and the people who manage them",
                    "our research repository",
                ),
            ),
        ),
        direct=(("Content Designer", "mid"),),
        skills=("Design critique", "Workshop facilitation", "Storytelling", "Design thinking"),
        focus=("the words in our product, button by button",),
        offices={"London": 3, "Berlin": 2, "Lisbon": 3, "remote": 2},
    ),
    Department(
        name="Data & Analytics",
        head="Head of Data",
        teams=(
            Team(
                "Analytics",
                "Analytics Lead",
                5,
                _titles(
                    "Junior Data Analyst",
                    "Data Analyst|Analytics Engineer",
                    "Senior Data Analyst|Senior Analytics Engineer",
                    "Staff Analytics Engineer",
                ),
                ("SQL", "dbt", "Looker", "Data visualisation", "Statistics", "Excel"),
                (
                    "the dashboards leadership actually reads",
                    "answering 'why did this number move?'",
                    "our metrics definitions",
                ),
            ),
            Team(
                "Data Engineering",
                "Data Engineering Manager",
                3,
                _titles(
                    "Junior Data Engineer",
                    "Data Engineer",
                    "Senior Data Engineer",
                    "Staff Data Engineer",
                ),
                ("Python", "Airflow", "Spark", "Data modelling", "PostgreSQL", "Kafka"),
                ("pipelines that do not break on Mondays", "our data warehouse"),
            ),
            Team(
                "Machine Learning",
                "Machine Learning Lead",
                2,
                _titles(
                    "Junior Data Scientist",
                    "Data Scientist|Machine Learning Engineer",
                    "Senior Data Scientist",
                ),
                _list(
                    "Python, Machine learning, Recommender systems, Experiment design, "
                    "Statistics, NLP"
                ),
                ("the mentor recommendations", "skills extraction from free text"),
            ),
        ),
        direct=(),
        skills=("Data storytelling", "SQL", "Python", "Data governance"),
        focus=("data quality",),
        offices={"London": 2, "Berlin": 2, "Bengaluru": 3, "Singapore": 1, "remote": 2},
    ),
    Department(
        name="Sales",
        head="VP of Sales",
        teams=(
            Team(
                "Enterprise Sales",
                "Enterprise Sales Director",
                5,
                _titles(
                    "Associate Account Executive",
                    "Enterprise Account Executive",
                    "Senior Enterprise Account Executive",
                    "Strategic Account Director",
                ),
                _list(
                    "Enterprise sales, Negotiation, Discovery calls, Procurement and RFPs, "
                    "Account planning, Salesforce"
                ),
                (
                    "our largest customers in Europe",
                    "six-month deals with twelve stakeholders",
                    "public-sector tenders",
                ),
            ),
            Team(
                "Mid-Market Sales",
                "Mid-Market Sales Manager",
                5,
                _titles(
                    "Associate Account Executive", "Account Executive", "Senior Account Executive"
                ),
                _list(
                    "Discovery calls, Objection handling, Pipeline management, Salesforce, "
                    "Demo delivery"
                ),
                ("closing deals with growing companies", "our North American pipeline"),
            ),
            Team(
                "Sales Development",
                "Sales Development Manager",
                5,
                _titles(
                    "Sales Development Representative",
                    "Sales Development Representative",
                    "Senior Sales Development Representative",
                ),
                _list(
                    "Prospecting, Cold outreach, LinkedIn outreach, Objection handling, "
                    "Handling rejection"
                ),
                ("first conversations with new prospects", "outbound campaigns"),
            ),
            Team(
                "Solutions Engineering",
                "Solutions Engineering Lead",
                2,
                _titles(
                    "Associate Solutions Engineer",
                    "Solutions Engineer",
                    "Senior Solutions Engineer",
                ),
                _list(
                    "Demo delivery, Technical discovery, API integrations, "
                    "Security questionnaires, Python"
                ),
                ("proofs of concept for big prospects", "security questionnaires, endless ones"),
            ),
        ),
        direct=(("Sales Operations Analyst", "mid"),),
        skills=("Negotiation", "Storytelling", "Forecasting", "Stakeholder management"),
        focus=("territory plans and commission maths",),
        offices={"London": 4, "Toronto": 3, "Austin": 4, "Singapore": 3, "remote": 2},
    ),
    Department(
        name="Customer Success",
        head="VP of Customer Success",
        teams=(
            Team(
                "Support",
                "Support Team Lead",
                7,
                _titles(
                    "Support Specialist",
                    "Support Specialist|Technical Support Engineer",
                    "Senior Support Specialist|Senior Technical Support Engineer",
                    "Principal Support Engineer",
                ),
                _list(
                    "Troubleshooting, Zendesk, Writing help articles, De-escalation, SQL, "
                    "API debugging"
                ),
                (
                    "the support queue, one ticket at a time",
                    "our help centre",
                    "the tricky tickets nobody else wants",
                ),
            ),
            Team(
                "Customer Success Management",
                "Customer Success Team Lead",
                5,
                _titles(
                    "Associate Customer Success Manager",
                    "Customer Success Manager",
                    "Senior Customer Success Manager",
                    "Strategic Customer Success Manager",
                ),
                _list(
                    "Renewals, Account health, Quarterly business reviews, Churn prevention, "
                    "Stakeholder management, Negotiation"
                ),
                (
                    "keeping our biggest customers happy and renewing",
                    "quarterly business reviews",
                ),
            ),
            Team(
                "Onboarding & Training",
                "Onboarding Lead",
                3,
                _titles(
                    "Onboarding Specialist",
                    "Implementation Consultant|Customer Trainer",
                    "Senior Implementation Consultant",
                ),
                _list(
                    "Workshop facilitation, Training design, Project management, "
                    "Change management, Data migration"
                ),
                ("getting new customers live in their first month", "admin training sessions"),
            ),
        ),
        direct=(("Support Operations Analyst", "mid"),),
        skills=_list(
            "Customer empathy, Active listening, Difficult conversations, Writing clearly"
        ),
        focus=("support tooling and the macros behind it",),
        offices={
            "Nairobi": 5,
            "Lisbon": 3,
            "Austin": 2,
            "Singapore": 2,
            "Bengaluru": 2,
            "remote": 3,
        },
    ),
    Department(
        name="Marketing",
        head="VP of Marketing",
        teams=(
            Team(
                "Brand & Content",
                "Content Lead",
                4,
                _titles(
                    "Content Marketing Associate|Social Media Coordinator",
                    "Content Marketing Manager|Brand Designer",
                    "Senior Content Strategist|Senior Brand Designer",
                ),
                _list(
                    "Copywriting, Brand strategy, Social media, Short-form video, SEO, "
                    "Editing, Podcast production"
                ),
                ("our blog and the podcast", "the brand refresh", "our social channels"),
            ),
            Team(
                "Demand Generation",
                "Demand Generation Lead",
                3,
                _titles(
                    "Marketing Coordinator",
                    "Lifecycle Marketing Manager|Marketing Operations Manager",
                    "Senior Demand Generation Manager",
                ),
                _list(
                    "Paid acquisition, Marketing automation, HubSpot, Email marketing, "
                    "Attribution, Event planning"
                ),
                ("webinars and events", "the email programmes", "paid campaigns"),
            ),
            Team(
                "Product Marketing",
                "Product Marketing Lead",
                2,
                _titles(
                    "Product Marketing Associate",
                    "Product Marketing Manager",
                    "Senior Product Marketing Manager",
                ),
                _list(
                    "Positioning, Messaging, Launch planning, Competitive analysis, "
                    "Customer research"
                ),
                ("launches and the stories we tell about them", "competitive intelligence"),
            ),
        ),
        direct=(("Community Manager", "mid"),),
        skills=("Data storytelling", "Copywriting", "Public speaking", "Campaign planning"),
        focus=("the Northwind learning community",),
        offices={"London": 4, "Austin": 2, "Toronto": 2, "Berlin": 1, "remote": 2},
    ),
    Department(
        name="People & Operations",
        head="Chief Operating Officer",
        teams=(
            Team(
                "People & Talent",
                "People Lead",
                4,
                _titles(
                    "People Operations Coordinator",
                    "People Partner|Talent Acquisition Partner|Learning and Development Specialist",
                    "Senior People Partner|Senior Talent Acquisition Partner",
                ),
                _list(
                    "Interviewing, Employee relations, Learning design, Onboarding, "
                    "Compensation, Coaching, Employment law"
                ),
                (
                    "hiring and onboarding",
                    "our learning and development programme",
                    "making performance reviews less dreaded",
                ),
            ),
            Team(
                "Finance",
                "Finance Manager",
                3,
                _titles(
                    "Accounts Assistant",
                    "Financial Analyst|Accountant|Payroll Specialist",
                    "Senior Financial Analyst",
                    "Financial Controller",
                ),
                _list(
                    "Financial modelling, Excel, Budgeting, Forecasting, Payroll, "
                    "Revenue recognition"
                ),
                ("month-end close", "budgets and forecasts", "paying everyone on time"),
            ),
            Team(
                "IT",
                "IT Operations Lead",
                2,
                _titles(
                    "IT Support Technician",
                    "IT Support Engineer|Systems Administrator",
                    "Senior Systems Administrator",
                ),
                _list(
                    "Device management, Identity and access management, "
                    "Google Workspace administration, Automation scripting, "
                    "Security awareness training"
                ),
                ("laptops, accounts and single sign-on", "automating the boring parts of IT"),
            ),
        ),
        direct=(("Legal Counsel", "senior"), ("Workplace Manager", "mid")),
        skills=("Project management", "Budgeting", "Process design", "Policy writing"),
        focus=("contracts, policies and the office",),
        offices={"London": 5, "Lisbon": 2, "Nairobi": 1, "Toronto": 1, "remote": 1},
    ),
)

#: The chief executive and the two people who report to her directly (all in People & Operations).
CEO_TITLE = "Chief Executive Officer & Co-founder"
CEO_DIRECT = (("Chief of Staff", "senior"), ("Executive Assistant", "mid"))
LEADERSHIP_TEAM = "Leadership"
LEADERSHIP_FOCUS = (
    "board meetings, offsites and the company plan",
    "keeping the leadership team's week in order",
)


# --- Places ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    city: str
    label: str
    timezone: str
    country: str
    language: str | None  # the local language, for people who live there
    remote: bool


def _office(city: str, country_name: str, tz: str, country: str, lang: str | None) -> Place:
    return Place(city, f"{city}, {country_name}", tz, country, lang, remote=False)


def _remote(city: str, country_name: str, tz: str, country: str, lang: str | None) -> Place:
    return Place(city, f"Remote ({city}, {country_name})", tz, country, lang, remote=True)


PLACES: tuple[Place, ...] = (
    _office("London", "United Kingdom", "Europe/London", "GB", None),
    _office("Berlin", "Germany", "Europe/Berlin", "DE", "German"),
    _office("Lisbon", "Portugal", "Europe/Lisbon", "PT", "Portuguese"),
    _office("Toronto", "Canada", "America/Toronto", "CA", None),
    _office("Austin", "United States", "America/Chicago", "US", None),
    _office("Singapore", "Singapore", "Asia/Singapore", "SG", None),
    _office("Bengaluru", "India", "Asia/Kolkata", "IN", None),
    _office("Nairobi", "Kenya", "Africa/Nairobi", "KE", "Swahili"),
    _remote("Dublin", "Ireland", "Europe/Dublin", "IE", None),
    _remote("Kraków", "Poland", "Europe/Warsaw", "PL", "Polish"),
    _remote("Madrid", "Spain", "Europe/Madrid", "ES", "Spanish"),
    _remote("Stockholm", "Sweden", "Europe/Stockholm", "SE", "Swedish"),
    _remote("Athens", "Greece", "Europe/Athens", "GR", "Greek"),
    _remote("Istanbul", "Türkiye", "Europe/Istanbul", "TR", "Turkish"),
    _remote("Lagos", "Nigeria", "Africa/Lagos", "NG", None),
    _remote("Accra", "Ghana", "Africa/Accra", "GH", None),
    _remote("Cape Town", "South Africa", "Africa/Johannesburg", "ZA", None),
    _remote("Mexico City", "Mexico", "America/Mexico_City", "MX", "Spanish"),
    _remote("Buenos Aires", "Argentina", "America/Argentina/Buenos_Aires", "AR", "Spanish"),
    _remote("São Paulo", "Brazil", "America/Sao_Paulo", "BR", "Portuguese"),
    _remote("Bogotá", "Colombia", "America/Bogota", "CO", "Spanish"),
    _remote("Denver", "United States", "America/Denver", "US", None),
    _remote("Vancouver", "Canada", "America/Vancouver", "CA", None),
    _remote("Manila", "Philippines", "Asia/Manila", "PH", "Filipino"),
    _remote("Ho Chi Minh City", "Vietnam", "Asia/Ho_Chi_Minh", "VN", "Vietnamese"),
    _remote("Seoul", "South Korea", "Asia/Seoul", "KR", "Korean"),
    _remote("Tokyo", "Japan", "Asia/Tokyo", "JP", "Japanese"),
    _remote("Auckland", "New Zealand", "Pacific/Auckland", "NZ", None),
)
_PLACE_BY_CITY = {p.city: p for p in PLACES}
_REMOTE = tuple(p for p in PLACES if p.remote)


# --- Names ----------------------------------------------------------------------------------

#: Where a name's culture is at home: the languages people from there speak besides English
#: and the countries (as in PLACES) they are likelier to live in.
CULTURES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "gb": ((), ("GB",)),
    "ie": ((), ("IE", "GB")),
    "us": ((), ("US",)),
    "ca": ((), ("CA",)),
    "ca-fr": (("French",), ("CA",)),
    "au": ((), ("NZ", "GB")),
    "nz": (("Te reo Māori",), ("NZ",)),
    "de": (("German",), ("DE",)),
    "at": (("German",), ("DE",)),
    "fr": (("French",), ()),
    "es": (("Spanish",), ("ES",)),
    "es-ca": (("Catalan", "Spanish"), ("ES",)),
    "pt": (("Portuguese",), ("PT",)),
    "br": (("Portuguese",), ("BR", "PT")),
    "mx": (("Spanish",), ("MX", "US")),
    "ar": (("Spanish",), ("AR",)),
    "co": (("Spanish",), ("CO",)),
    "it": (("Italian",), ()),
    "nl": (("Dutch",), ("DE",)),
    "pl": (("Polish",), ("PL",)),
    "se": (("Swedish",), ("SE",)),
    "no": (("Norwegian",), ("SE",)),
    "dk": (("Danish",), ("SE", "DE")),
    "fi": (("Finnish",), ("SE",)),
    "gr": (("Greek",), ("GR",)),
    "tr": (("Turkish",), ("TR", "DE")),
    "ng-ig": (("Igbo",), ("NG", "GB")),
    "ng-yo": (("Yoruba",), ("NG", "GB")),
    "ke": (("Swahili",), ("KE",)),
    "gh": (("Twi",), ("GH",)),
    "za-zu": (("isiZulu",), ("ZA",)),
    "za-af": (("Afrikaans",), ("ZA",)),
    "za-st": (("Sesotho",), ("ZA",)),
    "et": (("Amharic",), ("KE",)),
    "eg": (("Arabic",), ()),
    "lb": (("Arabic", "French"), ()),
    "ma": (("Arabic", "French"), ("ES",)),
    "ir": (("Persian",), ("DE", "CA")),
    "il": (("Hebrew",), ()),
    "in-hi": (("Hindi",), ("IN",)),
    "in-ta": (("Tamil",), ("IN", "SG")),
    "in-te": (("Telugu",), ("IN",)),
    "in-kn": (("Kannada", "Hindi"), ("IN",)),
    "in-ml": (("Malayalam",), ("IN",)),
    "in-mr": (("Marathi", "Hindi"), ("IN",)),
    "in-pa": (("Punjabi", "Hindi"), ("IN", "CA")),
    "in-bn": (("Bengali",), ("IN",)),
    "in-gu": (("Gujarati", "Hindi"), ("IN", "GB")),
    "pk": (("Urdu", "Punjabi"), ("GB",)),
    "bd": (("Bengali",), ("GB",)),
    "lk": (("Sinhala",), ("SG",)),
    "cn": (("Mandarin",), ("SG",)),
    "tw": (("Mandarin",), ()),
    "hk": (("Cantonese",), ("SG", "CA")),
    "sg": (("Mandarin", "Malay"), ("SG",)),
    "jp": (("Japanese",), ("JP",)),
    "kr": (("Korean",), ("KR",)),
    "vn": (("Vietnamese",), ("VN",)),
    "ph": (("Filipino",), ("PH",)),
    "id": (("Indonesian",), ("SG",)),
    "my": (("Malay",), ("SG",)),
    "th": (("Thai",), ("SG",)),
    "ua": (("Ukrainian",), ("PL", "DE")),
    "ro": (("Romanian",), ()),
    "cz": (("Czech",), ("DE",)),
    "hu": (("Hungarian",), ()),
    "jm": ((), ("GB", "US", "CA")),
}


def _names(text: str) -> tuple[tuple[str, str], ...]:
    """Return (full name, culture) pairs from lines of ``culture: name, name, ...``."""
    pairs = []
    for line in text.strip().splitlines():
        culture, names = line.split(":", 1)
        pairs += [(name.strip(), culture.strip()) for name in names.split(",")]
    return tuple(pairs)


#: Full names and the culture each comes from; more than needed, so the seed decides who is in.
NAMES: tuple[tuple[str, str], ...] = _names(
    """
    gb: Oliver Bennett, Charlotte Hughes, Harriet Cole, James Whitfield, Rosie Atkinson
    gb: Tom Pritchard, Eleanor Shaw, Callum Fraser, Fiona MacLeod, Rhys Morgan, Bethan Evans
    ie: Aoife Byrne, Ciarán Murphy, Niamh O'Sullivan, Declan Walsh
    us: Marcus Johnson, Emily Carter, Jasmine Brooks, Tyler Nguyen, Hannah Goldberg
    us: DeShawn Williams, Rachel Kim, Grace Sullivan, Andre Thompson, Lauren Mitchell
    us: Maya Patel
    ca-fr: Étienne Tremblay, Chloé Gagnon
    ca: Liam MacDonald, Jordan Leblanc
    au: Lachlan Reid, Matilda Kerr
    nz: Aroha Ngata, Tane Walker
    de: Lukas Becker, Johanna Schmidt, Felix Wagner, Leonie Hartmann, Jonas Richter
    de: Katharina Vogel, Moritz Neumann, Sophie Krüger
    at: Lena Gruber
    fr: Camille Laurent, Julien Moreau, Inès Benali, Théo Girard, Manon Lefèvre
    es: Lucía Fernández, Javier Morales, Carmen Ruiz, Pablo Ortega
    es-ca: Núria Puig
    pt: João Ferreira, Beatriz Santos, Rui Almeida, Inês Carvalho, Miguel Costa, Mariana Lopes
    pt: Tiago Ribeiro
    br: Larissa Oliveira, Rafael Souza, Camila Rocha, Gabriel Pereira
    mx: Valeria Jiménez, Diego Hernández, Ximena Castillo
    ar: Martina Gómez, Santiago Romero, Tomás Herrera
    co: Daniela Restrepo, Andrés Cárdenas
    it: Giulia Romano, Matteo Conti, Francesca Bianchi, Luca Marino
    nl: Sanne de Vries, Daan Visser, Femke Bakker
    pl: Agnieszka Nowak, Piotr Kowalski, Zofia Wiśniewska, Kacper Zieliński
    se: Elin Johansson, Oskar Lindqvist, Maja Eriksson
    no: Ingrid Solberg, Henrik Dahl
    dk: Freja Jensen, Mads Kristensen
    fi: Aino Virtanen, Mikko Laine
    gr: Eleni Papadopoulou, Nikos Georgiou
    tr: Elif Yılmaz, Emre Demir, Zeynep Aydın
    ng-ig: Adaeze Okafor, Chinedu Eze, Ngozi Obi, Ifeoma Nwosu
    ng-yo: Oluwaseun Adeyemi, Funmilayo Balogun, Tunde Bakare
    ke: Wanjiru Kamau, Otieno Odhiambo, Achieng Owino, Kipchoge Rotich, Njeri Mwangi
    ke: Brian Kiprono, Faith Wambui, Kevin Mutua, Grace Akinyi, Dennis Kibet
    gh: Kwame Mensah, Abena Owusu, Kofi Asante
    za-zu: Thandiwe Nkosi
    za-af: Pieter van der Merwe
    za-st: Lerato Mokoena
    et: Selam Tesfaye, Dawit Bekele
    eg: Yasmin Hassan, Omar Farouk
    lb: Rania Khoury
    ma: Youssef El Amrani
    ir: Dariush Karimi, Leila Ahmadi
    il: Noa Friedman, Yonatan Levi
    in-ta: Priya Raman, Arjun Iyer, Meera Krishnan, Karthik Subramanian
    in-te: Kavya Reddy
    in-gu: Rohan Mehta
    in-hi: Ananya Sharma, Rahul Verma, Nikhil Joshi, Ishaan Kapoor
    in-ml: Vikram Nair, Divya Menon
    in-mr: Sneha Kulkarni, Pooja Deshpande
    in-kn: Aditya Rao, Lakshmi Venkatesh, Tanvi Bhat
    in-pa: Harpreet Kaur
    in-bn: Siddharth Banerjee
    pk: Ayesha Siddiqui, Bilal Qureshi, Hamza Malik
    bd: Nusrat Rahman, Tanvir Hossain
    lk: Dilani Perera, Chamath Fernando
    cn: Wei Zhang, Lin Chen, Jun Liu, Xiaoyu Wang, Hao Zhou, Mei Huang
    tw: Yu-Ting Lin, Po-Han Chang
    hk: Kelvin Chan, Natalie Wong
    sg: Jia Hui Tan, Wei Ling Goh, Darren Lim
    jp: Haruto Sato, Yui Tanaka, Kenji Watanabe, Aiko Suzuki
    kr: Ji-woo Park, Min-jun Lee, Seo-yeon Choi, Hyun-woo Kang
    vn: Linh Nguyen, Minh Tran, Thao Pham
    ph: Angelica Reyes, Paolo Santos, Marites dela Cruz, Joshua Villanueva
    id: Putri Wulandari, Adi Nugroho
    my: Nurul Aziz, Farid Ismail
    th: Nattapong Srisuk, Ploy Chaiyaporn
    ua: Oksana Melnyk, Taras Bondarenko
    ro: Andreea Popescu, Radu Ionescu
    cz: Tereza Dvořáková, Jakub Novák
    hu: Réka Nagy, Balázs Tóth
    jm: Kemar Campbell, Shanice Brown
    """
)

#: Fixed people, so the demo sign-in stays the same whatever the seed.
CEO_NAME = "Adaeze Okafor"
ADMIN_NAME = "Priya Raman"  # People Lead, organisation admin
MEMBER_NAME = "Tomás Herrera"  # Frontend Engineer, an ordinary member
SECOND_ADMIN_TEAM = "IT"  # the IT Operations Lead administers Northwind too
MEMBER_TEAM = "Web"

_LATIN = str.maketrans({"ø": "o", "æ": "ae", "ß": "ss", "ł": "l", "đ": "d", "ı": "i", "œ": "oe"})


def email_for(name: str) -> str:
    """Return the Northwind address for a name: ``tomas.herrera@northwind.example``."""
    plain = unicodedata.normalize("NFKD", name.lower().translate(_LATIN))
    plain = plain.encode("ascii", "ignore").decode()
    return ".".join(re.sub(r"[^a-z-]", "", part) for part in plain.split()) + "@" + DOMAIN


DEMO_ADMIN_EMAIL = email_for(ADMIN_NAME)
DEMO_MEMBER_EMAIL = email_for(MEMBER_NAME)


# --- Skills ---------------------------------------------------------------------------------

#: Skills anyone may offer or want, whatever their department.
CROSS_CUTTING = _list(
    "Giving feedback, Public speaking, Stakeholder management, Negotiation, Python, "
    "Data storytelling, Writing clearly, Workshop facilitation, Running meetings, "
    "Presenting to executives, Conflict resolution, Project management, SQL, "
    "Spreadsheet modelling, Time management, Career planning, Remote collaboration, "
    "Spanish conversation, Design thinking, Accessibility"
)
#: What people who lead others offer, and what senior individual contributors want next.
LEADERSHIP = _list(
    "Giving feedback, Coaching, Delegation, Hiring, Strategic thinking, "
    "Stakeholder management, Running meetings, Conflict resolution, Managing managers, "
    "Budgeting, Performance reviews"
)
#: What juniors often know better than their seniors: the material of reverse mentoring.
FRESH = _list(
    "Generative AI tools, Prompt writing, Short-form video, Social media, Figma, Python, "
    "Data visualisation, No-code automation, TypeScript"
)
#: Skill names that keep their capital letter in the middle of a sentence.
_PROPER = {
    "Python",
    "Kubernetes",
    "Terraform",
    "Linux",
    "Go",
    "PostgreSQL",
    "Django",
    "TypeScript",
    "React",
    "Swift",
    "Kotlin",
    "Figma",
    "Looker",
    "Excel",
    "Airflow",
    "Spark",
    "Kafka",
    "Salesforce",
    "Zendesk",
    "HubSpot",
    "LinkedIn",
    "Git",
    "Google",
    "Spanish",
}


def in_sentence(skill: str) -> str:
    """Return how a skill reads mid-sentence: "giving feedback", but "Python" and "SQL"."""
    if not skill:
        return skill
    first = skill.split()[0]
    if first in _PROPER or (len(first) > 1 and not first[1:].islower()):
        return skill
    return skill[0].lower() + skill[1:]


# --- Bios -----------------------------------------------------------------------------------

HEAD_OPENERS = (
    "I run {dept} at Northwind: {n} people in {places}.",
    "I look after {dept} — {n} of us, in {places}.",
    "{title}. When I joined in {year} {dept} was a handful of people; now we are {n}.",
    "I lead {dept}. My job is to hire well, set direction and then get out of the way.",
)
LEAD_OPENERS = (
    "I lead the {team} team: {n} people in {places}.",
    "{title}, which mostly means clearing the way so {team} can do its best work.",
    "I manage {team}. Before that I was an individual contributor here for a few years.",
    "Team lead for {team}, based in {city}. We look after {focus}.",
    "I've led {team} since {year}; we look after {focus}.",
)
IC_OPENERS = (
    "{title} on the {team} team, based in {city}.",
    "I'm {a_title} in {team}; most of my days go into {focus}.",
    "As part of {team}, I work on {focus}.",
    "{title} in {city}. I joined Northwind in {year}.",
    "Hi! I'm {first}, {a_title} on {team}.",
    "{title}. These days I mostly work on {focus}.",
)
CEO_BIO = (
    "I co-founded Northwind in 2014 after watching brilliant colleagues leave because nobody had "
    "time to help them grow. I still read every piece of feedback about the product. Ask me about "
    "{offers}. I'm trying to get better at {wants}, and yes, I'd like a reverse mentor for "
    "{fresh}."
)
PAST_JUNIOR = (
    "This is my first job out of university, and I'm still amazed people pay me to learn.",
    "I came in through the apprenticeship programme in {year}.",
    "I switched careers after five years as a primary-school teacher.",
    "Before this I worked in a call centre, which turned out to be great training.",
    "I finished a bootcamp last year after a career in hospitality.",
    "I studied history, so I'm the person who asks why we did it this way.",
)
PAST = (
    "Before Northwind I spent six years in management consulting.",
    "I started out as a journalist and still can't resist a good edit.",
    "I used to be a professional cellist; rehearsals and retros have more in common than you'd "
    "think.",
    "Previously at a large bank, then two start-ups, one of which you may have heard of.",
    "I came here from a logistics company in Rotterdam.",
    "I was a nurse for eight years before moving into tech.",
    "I studied marine biology, which surprises everyone.",
    "I've worked on three continents and in four industries; this is the one that stuck.",
    "I joined from one of our customers, so I know what it's like on the other side.",
    "I did a PhD in physics and left academia for something with shorter feedback loops.",
    "Before this I ran a small café — the best customer-service training there is.",
    "I moved here from a ten-person start-up that did not survive 2020.",
    "I came from the public sector, where I learned patience and procurement.",
    "I was an architect (the buildings kind) before I found software.",
    "I spent five years in the army, which explains the colour-coded spreadsheets.",
    "I've been in this line of work for over a decade and still find new things to learn.",
)
HELP = (
    "Happy to help with {offers}.",
    "Ask me about {offers} — I've made most of the mistakes already.",
    "I can help with {offers}; grab me for a coffee or a call.",
    "If you're stuck on {offer}, my messages are open.",
    "People usually come to me for {offers}.",
    "I enjoy helping people get started with {offer}.",
    "Glad to pair on anything involving {offers}.",
)
WANT = (
    "Right now I'm trying to get better at {wants}.",
    "This year I want to grow in {wants}.",
    "I'm learning {want} and would love a patient guide.",
    "Looking for someone to practise {want} with.",
    "Still working on {wants} — tips welcome.",
    "My goal for the next six months: get properly good at {want}.",
)
REVERSE = (
    "I'd love a reverse mentor: someone newer than me who can show me {fresh}. "
    "I'll trade for {offer}.",
    "Honest ask: I'm behind on {fresh}, and I suspect some of our newest colleagues could teach "
    "me in an hour. Please do.",
    "Looking for a reverse-mentoring partner to help me with {fresh}; happy to share what I know "
    "about {offer} in return.",
)
MENTOR = (
    "I mentor a couple of people at a time and usually have room for one more.",
    "I was mentored well early on and try to pay it forward.",
    "If you want a sounding board for your career, book some time with me.",
)
PEER = (
    "Always up for a peer learning partnership, especially across teams.",
    "I learn best with a buddy, so if you want an accountability partner, say hi.",
)
HOBBIES = (
    "Outside work: sourdough, bouldering and far too many podcasts.",
    "Weekends are for trail running and bad coffee.",
    "I'm learning to make ramen from scratch; results vary.",
    "Two kids, one dog, zero free time — and I wouldn't change it.",
    "I play five-a-side football on Tuesdays, enthusiastically rather than well.",
    "Amateur astronomer — ask me about the next meteor shower.",
    "I sing in a choir, which is basically a team retro with harmonies.",
    "Currently restoring a 1970s bicycle, one rusty bolt at a time.",
    "I read about a book a week, mostly crime novels.",
    "You'll find me at the climbing wall most Thursday evenings.",
    "I grow far more tomatoes than any reasonable person needs.",
    "Board-game nights at my place are legendary (I lose most of them).",
    "I swim in the sea all year round and will try to convince you to join.",
    "Film photography nerd, still shooting on a camera older than me.",
    "I volunteer at a coding club for teenagers on Saturdays.",
    "Marathon number four is in the spring, if my knees agree.",
    "Chess, badly, online, at 1 a.m.",
    "I'm on a mission to try every dumpling place in {city}.",
    "I knit during long meetings; it helps me listen, I promise.",
    "Salsa on Fridays, beginners always welcome.",
    "I keep bees on my balcony. Yes, really.",
    "Cricket in summer, pub quizzes in winter.",
    "I'm training my rescue dog, and honestly she's training me.",
    "My family's recipes are my favourite side project.",
    "I run a small book club that has mostly become a snack club.",
    "Cycling commuter in all weathers.",
    "I write short stories that I never quite finish.",
    "Gardening, gaming and naps, in that order.",
    "Part-time DJ, full-time parent.",
    "Learning the guitar at a pace my neighbours describe as 'gradual'.",
    "Happiest on a long hike with a flask of tea.",
    "I'm slowly visiting every national park in the country I live in.",
)

#: Earliest and latest year people of each seniority joined (Northwind was founded in 2014).
JOINED = {
    "head": (2014, 2021),
    "lead": (2016, 2023),
    "principal": (2015, 2022),
    "senior": (2017, 2024),
    "mid": (2019, 2025),
    "junior": (2023, 2026),
}


# --- The plan -------------------------------------------------------------------------------


@dataclass
class PersonSpec:
    """One Northwind person as planned: everything ``do_add_person`` needs, and a bit more."""

    name: str
    email: str
    culture: str
    department: str
    team: str
    level: str  # "ceo", "head", "lead" or one of LEVELS
    title: str
    manager: str | None  # the manager's email
    role: str = User.Role.MEMBER
    location: str = ""
    city: str = ""
    timezone: str = "UTC"
    languages: list[str] = field(default_factory=list)
    bio: str = ""
    offers: list[str] = field(default_factory=list)
    wants: list[str] = field(default_factory=list)
    open_to_mentor: bool = False
    open_to_be_mentored: bool = False
    open_to_peer: bool = False
    mentoring_capacity: int = 2
    joined_year: int = 2020
    reverse_mentoring: bool = False  # senior, and wants to learn from someone more junior

    @property
    def first_name(self) -> str:
        """Return the given name (the first word of the full name)."""
        return self.name.split()[0]

    @property
    def leads_people(self) -> bool:
        """Return whether this person manages others."""
        return self.level in {"ceo", "head", "lead"}

    def profile(self) -> dict[str, Any]:
        """Return the profile fields for ``do_add_person``, the manager left out."""
        return {
            "title": self.title,
            "department": self.department,
            "location": self.location,
            "timezone": self.timezone,
            "languages": self.languages,
            "bio": self.bio,
            "offers": self.offers,
            "wants": self.wants,
            "open_to_mentor": self.open_to_mentor,
            "open_to_be_mentored": self.open_to_be_mentored,
            "open_to_peer": self.open_to_peer,
            "mentoring_capacity": self.mentoring_capacity,
        }


class _Deck:
    """Deal items in a shuffled order, reshuffling when empty, so repeats are spread out."""

    def __init__(self, rng: random.Random, items: Sequence[str]) -> None:
        self.rng = rng
        self.items = list(items)
        self.hand: list[str] = []

    def deal(self) -> str:
        if not self.hand:
            self.hand = list(self.items)
            self.rng.shuffle(self.hand)
        return self.hand.pop()


def _slots(rng: random.Random) -> list[PersonSpec]:
    """Return everyone's place in the organisation, managers before their reports, unnamed."""

    def ic_level() -> str:
        return rng.choices(LEVELS, LEVEL_WEIGHTS)[0]

    def slot(dept: str, team: str, level: str, title: str, manager: int | None) -> PersonSpec:
        spec = PersonSpec("", "", "", dept, team, level, title, manager=None)
        spec.manager = str(manager) if manager is not None else None  # an index until named
        return spec

    ops = DEPARTMENTS[-1].name
    people = [slot(ops, LEADERSHIP_TEAM, "ceo", CEO_TITLE, None)]
    people += [slot(ops, LEADERSHIP_TEAM, level, title, 0) for title, level in CEO_DIRECT]
    for dept in DEPARTMENTS:
        head = len(people)
        people.append(slot(dept.name, dept.name, "head", dept.head, 0))
        people += [slot(dept.name, dept.name, level, title, head) for title, level in dept.direct]
        for team in dept.teams:
            lead = len(people)
            people.append(slot(dept.name, team.name, "lead", team.lead, head))
            for i in range(team.size):
                level = "mid" if team.name == MEMBER_TEAM and i == 0 else ic_level()
                if not team.titles[level]:
                    level = "senior"
                people.append(slot(dept.name, team.name, level, "", lead))
                people[-1].title = rng.choice(team.titles[level])
    return people


def _name_everyone(rng: random.Random, people: list[PersonSpec]) -> None:
    pinned = {CEO_NAME, ADMIN_NAME, MEMBER_NAME}
    cultures = dict(NAMES)
    pool = [name for name, _ in NAMES if name not in pinned]
    rng.shuffle(pool)
    member_slot = next(p for p in people if p.team == MEMBER_TEAM and p.level == "mid")
    for spec in people:
        if spec.level == "ceo":
            spec.name = CEO_NAME
        elif spec.team == "People & Talent" and spec.level == "lead":
            spec.name = ADMIN_NAME
        elif spec is member_slot:
            spec.name = MEMBER_NAME
        else:
            spec.name = pool.pop()
        spec.culture = cultures[spec.name]
        spec.email = email_for(spec.name)
        if spec.name == ADMIN_NAME or (spec.team == SECOND_ADMIN_TEAM and spec.level == "lead"):
            spec.role = User.Role.ADMIN
    for spec in people:
        if spec.manager is not None:
            spec.manager = people[int(spec.manager)].email


def _place_everyone(rng: random.Random, people: list[PersonSpec]) -> None:
    offices = {d.name: d.offices for d in DEPARTMENTS}
    extra_languages = ("Spanish", "French", "German", "Japanese", "Portuguese", "Italian", "Dutch")
    for spec in people:
        home_languages, home_countries = CULTURES[spec.culture]
        weights = offices[spec.department]
        choices, odds = [], []
        for place in PLACES:
            base = weights.get("remote", 0) / len(_REMOTE) if place.remote else 0
            base = weights.get(place.city, base)
            if place.country in home_countries:
                base *= 6
            if base:
                choices.append(place)
                odds.append(base)
        place = _PLACE_BY_CITY["London"] if spec.level == "ceo" else rng.choices(choices, odds)[0]
        spec.location, spec.city, spec.timezone = place.label, place.city, place.timezone
        languages = [*home_languages, "English"]
        if place.language and place.language not in languages and rng.random() < 0.6:
            languages.append(place.language)
        if rng.random() < 0.15:
            languages.append(rng.choice(extra_languages))
        spec.languages = list(dict.fromkeys(languages))
        low, high = JOINED["head" if spec.level == "ceo" else spec.level]
        spec.joined_year = 2014 if spec.level == "ceo" else rng.randint(low, high)


def _pick(rng: random.Random, pools: Iterable[tuple[Sequence[str], float]], k: int,
          exclude: Iterable[str] = ()) -> list[str]:  # fmt: skip
    """Return up to ``k`` distinct skills drawn from weighted pools, none from ``exclude``."""
    weights: dict[str, float] = {}
    for pool, weight in pools:
        for skill in pool:
            weights[skill] = weights.get(skill, 0) + weight
    for skill in exclude:
        weights.pop(skill, None)
    chosen: list[str] = []
    while weights and len(chosen) < k:
        skill = rng.choices(list(weights), list(weights.values()))[0]
        chosen.append(skill)
        del weights[skill]
    return chosen


def _skills_and_participation(rng: random.Random, people: list[PersonSpec]) -> None:
    depts = {d.name: d for d in DEPARTMENTS}
    teams = {t.name: t for d in DEPARTMENTS for t in d.teams}
    mentor_odds = {"ceo": 1, "head": 0.7, "lead": 0.6, "principal": 0.7, "senior": 0.45}
    mentee_odds = {"ceo": 0, "head": 0.15, "lead": 0.3, "principal": 0.3, "senior": 0.4}
    for spec in people:
        dept = depts[spec.department]
        team_skills = teams[spec.team].skills if spec.team in teams else dept.skills
        level = spec.level
        if level in {"ceo", "head"}:
            offer_pools = [(dept.skills, 2), (LEADERSHIP, 3), (CROSS_CUTTING, 1)]
            n_offers = rng.randint(4, 6)
        elif level == "lead":
            offer_pools = [(team_skills, 3), (dept.skills, 1), (LEADERSHIP, 2), (CROSS_CUTTING, 1)]
            n_offers = rng.randint(4, 6)
        else:
            offer_pools = [(team_skills, 4), (dept.skills, 2), (CROSS_CUTTING, 1)]
            n_offers = {"junior": 2, "mid": 3, "senior": 4, "principal": 5}[level]
            n_offers += rng.randint(0, 1)
        offers = _pick(rng, offer_pools, n_offers)
        if level == "junior" and rng.random() < 0.5:
            offers += _pick(rng, [(FRESH, 1)], 1, exclude=offers)
        spec.offers = offers

        reverse = level in {"ceo", "head", "lead", "principal"} and rng.random() < 0.4
        reverse = reverse or level == "ceo"
        if level in {"junior", "mid"}:
            want_pools = [(team_skills, 3), (dept.skills, 2), (CROSS_CUTTING, 2)]
        elif level in {"senior", "principal"}:
            want_pools = [(LEADERSHIP, 2), (CROSS_CUTTING, 2), (team_skills, 1)]
        else:
            want_pools = [(LEADERSHIP, 1), (CROSS_CUTTING, 3)]
        wants = _pick(rng, want_pools, rng.randint(2, 3), exclude=offers)
        if reverse:
            wants = _pick(rng, [(FRESH, 1)], 1, exclude=offers) + wants[:2]
        spec.wants = wants
        spec.reverse_mentoring = reverse

        spec.open_to_mentor = rng.random() < mentor_odds.get(level, 0.2 if level == "mid" else 0)
        if level == "junior" and set(offers) & set(FRESH) and rng.random() < 0.4:
            spec.open_to_mentor = True  # a reverse mentor
        spec.open_to_be_mentored = reverse or rng.random() < mentee_odds.get(
            level, 0.85 if level == "junior" else 0.65
        )
        spec.open_to_peer = rng.random() < (0.55 if level in LEVELS else 0.35)
        if spec.open_to_mentor:
            low, high = {"junior": (1, 1), "mid": (1, 2), "ceo": (1, 1), "head": (1, 2)}.get(
                level, (1, 3)
            )
            spec.mentoring_capacity = rng.randint(low, high)


def _joined(words: Sequence[str], skills: bool = True) -> str:
    words = [in_sentence(w) for w in words] if skills else list(words)
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _a(title: str) -> str:
    words = title.split()
    lowered = " ".join(w if not w[1:].islower() and len(w) > 1 else w.lower() for w in words)
    return ("an " if lowered[0] in "aeio" else "a ") + lowered


def _places(members: list[PersonSpec]) -> str:
    offices = Counter(p.city for p in members if not _PLACE_BY_CITY[p.city].remote)
    cities = [city for city, _ in offices.most_common(3)]
    remote = any(_PLACE_BY_CITY[p.city].remote for p in members)
    if not cities:
        return "remote, across several time zones"
    where = _joined(cities, skills=False)
    return f"{where}, plus a few of us remote" if remote else where


def _write_bios(rng: random.Random, people: list[PersonSpec]) -> None:
    decks = {
        name: _Deck(rng, items)
        for name, items in {
            "head": HEAD_OPENERS,
            "lead": LEAD_OPENERS,
            "ic": IC_OPENERS,
            "past_junior": PAST_JUNIOR,
            "past": PAST,
            "help": HELP,
            "want": WANT,
            "reverse": REVERSE,
            "mentor": MENTOR,
            "peer": PEER,
            "hobby": HOBBIES,
        }.items()
    }
    focus = {t.name: t.focus for d in DEPARTMENTS for t in d.teams}
    focus.update({d.name: d.focus for d in DEPARTMENTS})
    focus[LEADERSHIP_TEAM] = LEADERSHIP_FOCUS
    by_dept: dict[str, list[PersonSpec]] = {}
    by_manager: dict[str | None, list[PersonSpec]] = {}
    for spec in people:
        by_dept.setdefault(spec.department, []).append(spec)
        by_manager.setdefault(spec.manager, []).append(spec)
    seen: set[str] = set()
    for spec in people:
        fresh = next((w for w in spec.wants if w in FRESH), "")
        values = {
            "dept": spec.department,
            "team": spec.team,
            "title": spec.title,
            "a_title": _a(spec.title),
            "first": spec.first_name,
            "city": spec.city,
            "year": spec.joined_year,
            "focus": rng.choice(focus.get(spec.team, ("a bit of everything",))),
            "offers": _joined(spec.offers[:2]),
            "offer": in_sentence(spec.offers[-1]),
            "wants": _joined([w for w in spec.wants if w != fresh][:2] or spec.wants[:1]),
            "want": in_sentence(spec.wants[-1]),
            "fresh": in_sentence(fresh),
        }
        if spec.level == "ceo":
            spec.bio = CEO_BIO.format(**values)
            continue
        if spec.level == "head":
            members = by_dept[spec.department]
            opener = decks["head"].deal()
        elif spec.level == "lead":
            members = [spec, *by_manager.get(spec.email, [])]
            opener = decks["lead"].deal()
        else:
            members = []
            opener = decks["ic"].deal()
        values.update(n=len(members), places=_places(members) if members else "")
        for _ in range(20):  # bios must differ; a handful of redraws is plenty
            middle = []
            past_deck = "past_junior" if spec.level == "junior" else "past"
            past = [decks[past_deck].deal()] if rng.random() < 0.5 else []
            if rng.random() < 0.8:
                middle.append(decks["help"].deal())
            if spec.reverse_mentoring:
                middle.append(decks["reverse"].deal())
            elif rng.random() < 0.8:
                middle.append(decks["want"].deal())
            if spec.open_to_mentor and rng.random() < 0.3:
                middle.append(decks["mentor"].deal())
            elif spec.open_to_peer and rng.random() < 0.3:
                middle.append(decks["peer"].deal())
            rng.shuffle(middle)
            hobby = [decks["hobby"].deal()] if rng.random() < 0.6 else []
            parts = [opener, *past, *middle, *hobby]
            bio = " ".join(part.format(**values) for part in parts)
            if bio not in seen:
                break
        seen.add(bio)
        spec.bio = bio


def plan_people(seed: int = SEED) -> list[PersonSpec]:
    """Return Northwind's people for ``seed``, managers before their reports; no database."""
    rng = random.Random(seed)
    people = _slots(rng)
    _name_everyone(rng, people)
    _place_everyone(rng, people)
    _skills_and_participation(rng, people)
    _write_bios(rng, people)
    return people


# --- Building it ----------------------------------------------------------------------------


def _sayer(stream: TextIO | None) -> Callable[[str], None]:
    def say(message: str) -> None:
        if stream is not None:
            stream.write(message + "\n")
            stream.flush()

    return say


def build_northwind(
    stdout: TextIO | None = None, seed: int = SEED, history_days: int = HISTORY_DAYS
) -> Organisation:
    """Create Northwind, its people and ``history_days`` days of their life, in one transaction.

    The people join just before the history starts; the history is replayed through the app's
    actions (see :mod:`cairn.demo.history`). Progress lines go to ``stdout`` (the command passes
    its stderr). Raises ``ActionError`` if the organisation or any address already exists.
    """
    say = _sayer(stdout)
    started = time.monotonic()
    people = plan_people(seed)
    history_start = (timezone.now() - timedelta(days=history_days)).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    with transaction.atomic():
        with time_machine.travel(history_start - timedelta(hours=12), tick=False):
            org = do_create_organisation(NAME, SLUG, email_domains=[DOMAIN])
            say(f"Creating {NAME}: {len(people)} people in {len(DEPARTMENTS)} departments")
            _add_people(org, people, say)
        if history_days:
            say(f"Replaying {history_days} days of history")
            done = build_history(org, seed=seed, start=history_start, days=history_days, say=say)
            made = sum(n for label, n in done.items() if not label.startswith("refused"))
            say(f"  {made} things done, {done.total() - made} refused along the way")
    say(f"Created {NAME} in {time.monotonic() - started:.1f} s")
    return org


def _add_people(org: Organisation, people: list[PersonSpec], say: Callable[[str], None]) -> None:
    profiles: dict[str, Profile] = {}
    departments: dict[str, Any] = {}
    done: Counter[str] = Counter(p.department for p in people)
    for spec in people:
        fields = spec.profile()
        fields["department"] = departments.get(spec.department, spec.department)
        fields["manager"] = profiles[spec.manager] if spec.manager else None
        user = do_add_person(org, email=spec.email, name=spec.name, role=spec.role, **fields)
        profile = user.profile
        profiles[spec.email] = profile
        departments[spec.department] = profile.department
        done[spec.department] -= 1
        if not done[spec.department]:
            count = sum(1 for p in people if p.department == spec.department)
            say(f"  {spec.department}: {count} people")
    # One shared demo password. Hashing it once, not 150 times, keeps the demo fast (a password
    # hash is deliberately slow); a password is an account credential, not a ledger event.
    User.objects.filter(organisation=org).update(password=make_password(DEMO_PASSWORD))


def delete_northwind() -> bool:
    """Delete Northwind and everything in it (its people, their events); return if it existed."""
    organisation = Organisation.objects.filter(slug=SLUG).first()
    if organisation is None:
        return False
    erase_organisation(organisation)
    return True
