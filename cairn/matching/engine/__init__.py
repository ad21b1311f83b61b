"""Matching engine: recommendations for a goal and optimal program matching (pure library).

No Django here: profiles and arrays in, ranked candidates and assignments out, each with its
reasons as `Reason` data (the product words them: ``cairn.matching.wording``). The Django app
calls, in order::

    embedder = load_embedder()                      # best offline model present, else TF-IDF
    index = build_index(profiles, embedder)         # once per candidate set
    recommend(index, Query(goal, seeker=profile), k=10)
    match_program(program, embedder)                # or assign(compat, capacity, allowed)
"""

from .assign import (
    Assignment,
    InfeasibleAssignment,
    assign,
    greedy_assign,
    random_assign,
)
from .index import Index, build_index
from .profiles import NEUTRAL, Profile
from .program import (
    Mentee,
    Program,
    ProgramError,
    ProgramResult,
    ProposedMatch,
    match_program,
    parse_program,
)
from .reasons import Reason
from .recommend import Query, Recommendation, Weights, recommend
from .text import ModelUnavailable, load_embedder

__all__ = [
    "NEUTRAL",
    "Assignment",
    "Index",
    "InfeasibleAssignment",
    "Mentee",
    "ModelUnavailable",
    "Profile",
    "Program",
    "ProgramError",
    "ProgramResult",
    "ProposedMatch",
    "Query",
    "Reason",
    "Recommendation",
    "Weights",
    "assign",
    "build_index",
    "greedy_assign",
    "load_embedder",
    "match_program",
    "parse_program",
    "random_assign",
    "recommend",
]
