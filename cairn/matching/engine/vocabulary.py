"""A skill vocabulary: which workplace skills belong to the same topic.

Embeddings of two- or three-word skill names are led by the words they share: "System design"
sits near "Design systems" and "Design thinking", "A/B testing" near "Automated testing",
"Visual design" near "Design thinking" — closer than many truly related pairs ("Excel" and
"Spreadsheet modelling", "PostgreSQL" and "SQL"). When a goal names skills the vocabulary knows,
the topic decides who is related, and the embedding only ranks within it (`recommend`).

Each topic lists skill names (matched whole, ignoring case) and, for texts that are sentences
rather than lists (communities' names and descriptions), word stems that speak of it.
A skill may sit in more than one topic.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

__all__ = [
    "TOPICS",
    "known",
    "phrases_naming",
    "related_skills",
    "topics_in_text",
    "topics_of_skills",
]

TOPICS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "software architecture": (
        ("System design", "Distributed systems", "API design", "Domain-driven design",
         "Data modelling", "Recommender systems", "Offline-first design", "Web performance",
         "Software architecture", "Microservices"),
        ("architect", "distributed", "scalab", "microservice"),
    ),
    "software craft": (
        ("Git", "Code review", "Pair programming", "Debugging", "Automated testing",
         "API debugging", "Refactoring"),
        ("code", "coding", "programm", "lightning talk"),
    ),
    "python": (
        ("Python", "Django", "Flask", "Automation scripting", "Airflow", "Spark", "NLP"),
        ("python", "django"),
    ),
    "back end": (
        ("Go", "Python", "Django", "Java", "Rust", "PostgreSQL", "API design",
         "Distributed systems", "PCI DSS", "API integrations"),
        ("backend", "back-end", "server"),
    ),
    "mobile": (
        ("Kotlin", "Swift", "Mobile testing", "Offline-first design", "React Native"),
        ("mobile", "ios", "android", "app store"),
    ),
    "front end": (
        ("CSS", "HTML", "TypeScript", "JavaScript", "React", "Web performance", "Accessibility",
         "Design systems", "Interaction design"),
        ("frontend", "front-end", "css", "browser"),
    ),
    "infrastructure": (
        ("Kubernetes", "Terraform", "AWS", "Linux", "Observability", "Incident response",
         "CI/CD pipelines", "Release management", "Device management", "Docker",
         "Identity and access management", "Google Workspace administration",
         "Troubleshooting"),
        ("cloud", "infrastructure", "devops", "on-call", "deploy", "kubernetes"),
    ),
    "security": (
        ("Threat modelling", "PCI DSS", "Security awareness training",
         "Identity and access management", "Security questionnaires", "Data governance"),
        ("security", "secure", "threat", "privacy"),
    ),
    "testing and quality": (
        ("Automated testing", "Mobile testing", "Debugging", "Code review", "Release management"),
        ("testing", "quality", "bug"),
    ),
    "data analysis": (
        ("SQL", "PostgreSQL", "Excel", "Spreadsheet modelling", "Statistics", "Looker", "dbt",
         "Data modelling", "Data visualisation", "Data storytelling", "Funnel analysis",
         "Forecasting"),
        ("data", "numbers", "chart", "analys", "analytic", "statistic", "dashboard", "metric"),
    ),
    "data engineering": (
        ("SQL", "PostgreSQL", "dbt", "Airflow", "Spark", "Data modelling", "Data migration",
         "Data governance", "Python", "Recommender systems", "NLP"),
        ("pipeline", "warehouse", "etl"),
    ),
    "experimentation": (
        ("A/B testing", "Experiment design", "Statistics", "Funnel analysis", "Attribution",
         "Usability testing"),
        ("experiment",),
    ),
    "ai tools": (
        ("Generative AI tools", "Prompt writing", "NLP", "No-code automation",
         "Automation scripting"),
        ("ai ", "ai-", "model", "llm", "prompt", "automation"),
    ),
    "visual and interaction design": (
        ("Visual design", "Figma", "Design systems", "Interaction design", "Prototyping",
         "Design critique", "Accessibility", "Brand strategy", "CSS"),
        ("visual", "figma", "prototyp", "interface", "typograph"),
    ),
    "user research": (
        ("User interviews", "Usability testing", "Research synthesis", "Jobs to be done",
         "Design thinking", "Customer empathy", "Product discovery", "Prototyping",
         "Workshop facilitation"),
        ("research", "interview", "listening", "empathy", "user", "customer"),
    ),
    "product": (
        ("Product strategy", "Product discovery", "Prioritisation", "Writing specs", "OKRs",
         "Jobs to be done", "Competitive analysis", "Pricing", "Positioning", "Roadmapping",
         "Experiment design", "Stakeholder management"),
        ("product", "roadmap", "prioriti"),
    ),
    "sales": (
        ("Enterprise sales", "Discovery calls", "Cold outreach", "LinkedIn outreach",
         "Objection handling", "Demo delivery", "Negotiation", "Account planning", "Salesforce",
         "HubSpot", "Procurement and RFPs", "Pricing", "Handling rejection",
         "Technical discovery", "Security questionnaires", "Renewals"),
        ("sales", "selling", "deal", "pricing", "prospect", "pipeline"),
    ),
    "customer success": (
        ("Onboarding", "Renewals", "Churn prevention", "Quarterly business reviews",
         "De-escalation", "Zendesk", "Writing help articles", "Customer empathy",
         "Account planning", "Troubleshooting", "Active listening", "API integrations"),
        ("customer", "client", "support", "churn"),
    ),
    "marketing": (
        ("Campaign planning", "Paid acquisition", "Marketing automation", "Social media",
         "Short-form video", "Copywriting", "Brand strategy", "Positioning", "Messaging",
         "Podcast production", "Event planning", "Attribution", "Funnel analysis",
         "Competitive analysis", "Storytelling"),
        ("marketing", "campaign", "brand", "audience", "social media", "content"),
    ),
    "writing": (
        ("Writing clearly", "Editing", "Copywriting", "Technical writing", "Writing specs",
         "Writing help articles", "Policy writing", "Storytelling", "Messaging",
         "Prompt writing"),
        ("writ", "edit", "words", "document"),
    ),
    "speaking and presenting": (
        ("Public speaking", "Presenting to executives", "Demo delivery", "Storytelling",
         "Data storytelling", "Workshop facilitation"),
        ("speak", "talk", "present", "audience", "stage"),
    ),
    "negotiation and influence": (
        ("Negotiation", "Stakeholder management", "Objection handling", "Conflict resolution",
         "Difficult conversations", "Procurement and RFPs", "Pricing", "Change management"),
        ("negotiat", "influenc", "persua", "saying no", "authority", "stakeholder"),
    ),
    "feedback and difficult conversations": (
        ("Giving feedback", "Difficult conversations", "Conflict resolution", "De-escalation",
         "Active listening", "Performance reviews", "Coaching", "Employee relations",
         "Design critique"),
        ("feedback", "conflict", "difficult", "listening"),
    ),
    "people leadership": (
        ("Coaching", "Delegation", "Hiring", "Interviewing", "Performance reviews",
         "Managing managers", "Giving feedback", "Difficult conversations", "Onboarding",
         "Compensation", "Employee relations", "Change management", "Strategic thinking",
         "Career planning", "Remote collaboration"),
        ("manag", "leader", "lead ", "team", "mentor", "coach"),
    ),
    "meetings and facilitation": (
        ("Running meetings", "Workshop facilitation", "Remote collaboration", "Event planning",
         "Time management", "Presenting to executives", "Stakeholder management"),
        ("meeting", "facilitat", "workshop", "retro"),
    ),
    "planning and delivery": (
        ("Project management", "Prioritisation", "Time management", "OKRs", "Budgeting",
         "Forecasting", "Process design", "Release management", "Change management",
         "Strategic thinking", "Writing specs", "Procurement and RFPs", "Event planning"),
        ("project", "plan", "deadline", "deliver", "process"),
    ),
    "finance": (
        ("Budgeting", "Forecasting", "Financial modelling", "Revenue recognition", "Payroll",
         "Compensation", "Spreadsheet modelling", "Excel", "Procurement and RFPs"),
        ("budget", "financ", "money", "cost", "revenue", "spend"),
    ),
    "people operations": (
        ("Hiring", "Interviewing", "Onboarding", "Payroll", "Compensation", "Employment law",
         "Employee relations", "Policy writing", "Performance reviews", "Learning design",
         "Training design", "Career planning"),
        ("hiring", "recruit", "payroll", "employ", "hr "),
    ),
    "learning and teaching": (
        ("Learning design", "Training design", "Workshop facilitation", "Coaching",
         "Onboarding", "Writing help articles", "Security awareness training", "Career planning"),
        ("learning", "training", "teach", "course"),
    ),
    "languages": (
        ("Spanish conversation", "English conversation", "French conversation",
         "German conversation"),
        ("spanish", "french", "german", "language", "conversation"),
    ),
}  # fmt: skip
"""Topic name -> (skill names, word stems in sentences)."""


def _key(name: str) -> str:
    return " ".join(name.split()).lower()


_SKILL_TOPICS: dict[str, frozenset[str]] = {}
for _topic, (_skills, _) in TOPICS.items():
    for _skill in _skills:
        _SKILL_TOPICS[_key(_skill)] = _SKILL_TOPICS.get(_key(_skill), frozenset()) | {_topic}
_TOPIC_SKILLS = {topic: tuple(skills) for topic, (skills, _) in TOPICS.items()}
_TOPIC_WORDS = {
    topic: re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + ")", re.IGNORECASE)
    for topic, (_, words) in TOPICS.items()
}


def known(skill: str) -> bool:
    """Return whether the vocabulary knows this skill's topic."""
    return _key(skill) in _SKILL_TOPICS


def topics_of_skills(skills: Iterable[str]) -> frozenset[str]:
    """Return the topics of those ``skills`` the vocabulary knows."""
    return frozenset().union(*(_SKILL_TOPICS.get(_key(s), frozenset()) for s in skills))


def related_skills(skills: Iterable[str]) -> tuple[str, ...]:
    """Return the skills that share a topic with one of ``skills``, excluding those skills."""
    own = {_key(s) for s in skills}
    found: dict[str, str] = {}
    for topic in sorted(topics_of_skills(own)):
        for name in _TOPIC_SKILLS[topic]:
            if _key(name) not in own:
                found.setdefault(_key(name), name)
    return tuple(found.values())


@functools.lru_cache(maxsize=4096)
def topics_in_text(text: str) -> frozenset[str]:
    """Return the topics a sentence speaks of: skills it names, or the topics' word stems."""
    low = " " + " ".join(text.split()).lower() + " "
    found = {
        topic
        for key, topics in _SKILL_TOPICS.items()
        if re.search(r"\b" + re.escape(key) + r"\b", low)
        for topic in topics
    }
    found.update(topic for topic, pattern in _TOPIC_WORDS.items() if pattern.search(low))
    return frozenset(found)


def phrases_naming(phrase_keys: Iterable[str], skills: Iterable[str]) -> list[str]:
    """Return those lower-case phrases that name one of ``skills`` as whole words.

    "sql queries" names "SQL"; "design systems" does not name "System design".
    """
    names = [f" {_key(s)} " for s in skills if s.strip()]
    return [key for key in phrase_keys if any(name in f" {key} " for name in names)]
