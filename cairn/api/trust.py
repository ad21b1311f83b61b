"""API endpoints for trust: a colleague's trust, "can I trust them?", and a recompute (admins).

The same rules as the pages: the person sees their own full explanation and numbers; others
see the summary, with numbers only if the organisation shows them; nobody sees who said what.
"""

from datetime import date, datetime

from ninja import Router, Schema, Status

from cairn.http import SignedInRequest
from cairn.trust import actions
from cairn.trust.access import pairwise_for, person_for, trust_card_for

router = Router(tags=["trust"])


class DimensionOut(Schema):
    name: str
    label: str
    words: str
    certainty: str
    score: float | None
    confidence: float | None
    evidence: list[str]
    to_raise: str | None


class TrustOut(Schema):
    handle: str
    standing: str
    known: bool
    trust: float | None
    confidence: float | None
    dimensions: list[DimensionOut]
    notes: list[str]
    to_raise: list[str]
    evidence_since: date | None
    engine_version: str | None
    computed_at: datetime | None


class PairwiseOut(Schema):
    handle: str
    words: str
    score: float | None
    worked_together: bool
    via: list[str]
    #: The strongest chains of colleagues from the viewer to the person (handles, both ends
    #: left out), each a list of people who worked with the next one.
    paths: list[list[str]]
    went: str
    updating: bool


class RecomputeOut(Schema):
    queued: bool


@router.get("/people/{handle}/trust", response=TrustOut, summary="A colleague's trust")
def get_trust(request: SignedInRequest, handle: str) -> dict[str, object]:
    card = trust_card_for(request.user, person_for(request.user, handle))
    p, numbers, full = card.profile, card.show_numbers, card.full()
    return {
        "handle": card.person.handle,
        "standing": card.standing(),
        "known": card.is_known(),
        "trust": p.trust if p is not None and numbers else None,
        "confidence": p.confidence if p is not None and numbers else None,
        "dimensions": [
            {
                "name": d["name"],
                "label": d["label"],
                "words": d["words"],
                "certainty": d["certainty"],
                "score": d["score"] if numbers else None,
                "confidence": d["confidence"] if numbers else None,
                "evidence": d["evidence"],
                "to_raise": d["to_raise"] if full else None,
            }
            for d in card.dimensions
        ],
        "notes": p.notes() if p is not None and full else [],
        "to_raise": p.to_raise() if p is not None and full else [],
        "evidence_since": p.evidence_since() if p is not None else None,
        "engine_version": p.engine_version if p is not None else None,
        "computed_at": p.computed_at if p is not None else None,
    }


@router.get(
    "/people/{handle}/trust/pairwise",
    response=PairwiseOut,
    summary="Can I trust this colleague? (through the people I have worked with)",
)
def get_pairwise(request: SignedInRequest, handle: str) -> dict[str, object]:
    answer = pairwise_for(request.user, person_for(request.user, handle))
    return {
        "handle": answer.person.handle,
        "words": answer.words,
        "score": answer.score if answer.show_numbers else None,
        "worked_together": answer.worked_together,
        "via": [p.handle for p in answer.via],
        "paths": [[p.handle for p in path] for path in answer.paths],
        "went": answer.went,
        "updating": answer.updating,
    }


@router.post(
    "/trust/recompute",
    response={202: RecomputeOut},
    summary="Recompute my organisation's trust now (admins)",
)
def recompute(request: SignedInRequest) -> Status:
    return Status(202, {"queued": actions.do_request_recompute(request.user)})
