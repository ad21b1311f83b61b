"""Matching engine: recommendations for a goal and optimal program matching (pure library).

No Django here: profiles and arrays in, ranked candidates and assignments out. The Django app
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
from .profiles import NEUTRAL, Profile
from .program import Mentee, Program, ProgramError, ProgramResult, match_program, parse_program
from .recommend import Index, Query, Recommendation, Weights, build_index, recommend
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
    "Query",
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
