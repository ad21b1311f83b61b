"""The privileges trust earns: a small table in code, evaluated against the current TrustProfile.

Nothing is granted and stored: each check reads the person's current trust, so trust that fades
(the engine weighs recent behaviour more and lets old evidence decay) takes the privilege with it.
Organisation admins hold every privilege: trust in an organisation is measured from them.

The limits for people without a privilege are per rolling 24 hours and can be set per deployment
(``CAIRN_LIMIT_POSTS`` etc.); the defaults are generous enough for any honest new member.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings

from cairn.env import env_int
from cairn.ledger.models import Verb
from cairn.trust.engine import PRIVILEGE_THRESHOLD

LIMIT_WINDOW = timedelta(hours=24)


@dataclass(frozen=True)
class Privilege:
    """One privilege: what it allows, what earns it, and the limit for people without it."""

    name: str
    title: str
    allows: str
    min_trust: float
    min_confidence: float = 0.3
    dimension: str = ""
    min_dimension: float = 0.0
    tenure_days: int = 0
    #: The ledger verbs that count towards the limit, and the limit without the privilege
    #: (None: no limit, the privilege only changes what others see or how much things weigh).
    counts: tuple[str, ...] = ()
    limit_setting: str = ""
    default_limit: int | None = None
    without: str = ""

    def limit(self) -> int | None:
        """Return how many times a day someone without this privilege may do the thing."""
        if self.default_limit is None:
            return None
        overrides = getattr(settings, "CAIRN_PRIVILEGE_LIMITS", {}) or {}
        if self.name in overrides:
            return int(overrides[self.name])
        return env_int(self.limit_setting, self.default_limit)


NEWCOMER_TRUST = PRIVILEGE_THRESHOLD / 2

POLICY: tuple[Privilege, ...] = (
    Privilege(
        name="share_freely",
        title="Share as much as you like",
        allows="Publish know-how and lessons learned without a daily limit.",
        min_trust=NEWCOMER_TRUST,
        tenure_days=7,
        counts=(Verb.SHARED, Verb.LESSON_SHARED),
        limit_setting="CAIRN_LIMIT_POSTS",
        default_limit=10,
        without="posts a day",
    ),
    Privilege(
        name="ask_freely",
        title="Ask as often as you need",
        allows="Ask for help without a daily limit.",
        min_trust=NEWCOMER_TRUST,
        tenure_days=7,
        counts=(Verb.ASKED,),
        limit_setting="CAIRN_LIMIT_REQUESTS",
        default_limit=10,
        without="requests for help a day",
    ),
    Privilege(
        name="thank_freely",
        title="Thank without limit",
        allows="Send thanks without a daily limit.",
        min_trust=NEWCOMER_TRUST,
        tenure_days=7,
        counts=(Verb.THANKED,),
        limit_setting="CAIRN_LIMIT_THANKS",
        default_limit=20,
        without="thanks a day",
    ),
    Privilege(
        name="facilitate",
        title="Facilitate communities",
        allows="Start as many communities as you like, and facilitate them.",
        min_trust=PRIVILEGE_THRESHOLD,
        tenure_days=14,
        counts=(Verb.COMMUNITY_CREATED,),
        limit_setting="CAIRN_LIMIT_COMMUNITIES",
        default_limit=5,
        without="new communities a day",
    ),
    Privilege(
        name="mentor_openly",
        title="Mentor anyone in the organisation",
        allows=(
            "Be open to mentoring requests from the whole organisation, however many are "
            "waiting for your answer."
        ),
        min_trust=PRIVILEGE_THRESHOLD,
        dimension="generosity",
        min_dimension=0.6,
        tenure_days=30,
        limit_setting="CAIRN_LIMIT_MENTOR_REQUESTS",
        default_limit=5,
        without=(
            "mentoring requests waiting for your answer at once (so nobody new is swamped; "
            "peer partnerships are not limited)"
        ),
    ),
    Privilege(
        name="flag_weight",
        title="Full weight for your flags",
        allows="When you flag something, your flag counts in full.",
        min_trust=PRIVILEGE_THRESHOLD,
        tenure_days=14,
        without="Until then your flags count for less (see the weight below).",
    ),
    Privilege(
        name="flag_to_hide",
        title="Flag to hide",
        allows=(
            "When enough members with this privilege flag the same thing, it is hidden at once "
            "until a moderator reviews it."
        ),
        min_trust=PRIVILEGE_THRESHOLD,
        min_confidence=0.4,
        tenure_days=30,
        without=(
            "Until then your flags go to the moderators' queue and never hide anything by "
            "themselves."
        ),
    ),
)

BY_NAME = {p.name: p for p in POLICY}
#: Which privilege lifts which daily limit (the ``kind`` of ``check_daily_limit``).
LIMIT_KINDS = {"post": "share_freely", "ask": "ask_freely", "thank": "thank_freely"}
LIMIT_KINDS["community"] = "facilitate"
