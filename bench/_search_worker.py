"""The search benchmark's measurements on one database, in a fresh process (run by
bench/search.py with DATABASE_URL set): the judged set's nDCG@10, and with ``--posts N`` the
latency over N generated posts. Prints one JSON object."""

import json
import math
import os
import random
import re
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

import django

HERE = Path(__file__).resolve().parent
JUDGED = HERE / "search_judged.json"
SEED = 13


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cairn.settings")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build_judged() -> tuple[object, dict[str, tuple[str, int]]]:
    """Create the judged organisation through the action layer; return the searcher and
    ``key -> (kind, object id)``."""
    from django.utils import timezone

    from cairn.communities.actions import (
        do_create_community,
        do_join,
        do_share_resource,
        do_start_thread,
    )
    from cairn.communities.models import Community, Resource, Thread
    from cairn.exchange.actions import do_ask, do_mark_response, do_respond, do_share_post
    from cairn.exchange.models import HelpRequest, Post
    from cairn.learning.actions import do_set_goal
    from cairn.learning.models import Goal
    from cairn.people.actions import do_add_person, do_create_organisation
    from cairn.search.index import rebuild

    data = json.loads(JUDGED.read_text())
    org = do_create_organisation("Judged", "judged", email_domains=())
    people = {}
    for person in data["people"]:
        people[person["key"]] = do_add_person(
            org,
            email=f"{person['key']}@judged.example",
            name=person["name"],
            title=person["title"],
            offers=person["offers"],
        )
    searcher = do_add_person(org, email="quinn@judged.example", name="Quinn Reader")
    ids: dict[str, tuple[str, int]] = {
        f"p-{key}": ("person", user.profile.pk) for key, user in people.items()
    }
    communities = {}
    for c in data["communities"]:
        community = do_create_community(people[c["by"]], c["name"], c["description"], c["policy"])
        communities[c["key"]] = community
        ids[c["key"]] = ("community", community.pk)
    rng = random.Random(SEED)
    dated = []
    kinds = {
        HelpRequest: "request",
        Post: "post",
        Thread: "thread",
        Resource: "resource",
        Goal: "goal",
    }
    for item in data["items"]:
        author = people[item["by"]]
        kind = item["kind"]
        if kind in ("thread", "resource"):
            community = communities[item["community"]]
            if not community.is_member(author):
                do_join(author, community)
        if kind == "request":
            obj = do_ask(author, item["title"], item["details"], skills=item["skills"])
            if item["answer"]:
                response = do_respond(people[item["answer"]["by"]], obj, item["answer"]["body"])
                do_mark_response(author, response, accepted=True)
        elif kind in ("lesson", "know_how"):
            obj = do_share_post(
                author,
                item["title"],
                item["body"],
                kind=kind,
                learned=item.get("learned", ""),
                skills=item["skills"],
            )
        elif kind == "thread":
            obj = do_start_thread(author, community, item["title"], item["body"])
        elif kind == "resource":
            obj = do_share_resource(author, community, item["title"], item["url"], item["note"])
        elif kind == "goal":
            obj = do_set_goal(
                author,
                item["title"],
                why=item["why"],
                skills=item["skills"],
                visibility="organisation",
            )
        else:
            raise ValueError(f"Unknown kind of judged item {kind!r}")
        ids[item["key"]] = (kinds[type(obj)], obj.pk)
        dated.append((type(obj), obj.pk))
    # Spread the things over two years (deterministically), as a real organisation's would be.
    now = timezone.now()
    for model, pk in dated + [(Community, c.pk) for c in communities.values()]:
        age = timedelta(days=rng.uniform(0, 730))
        model.objects.filter(pk=pk).update(created_at=now - age)
    rebuild(org.pk)
    return searcher, ids


def ndcg_at_10(ranked: list[str], grades: dict[str, int]) -> float:
    """Return nDCG@10 of a ranked list of keys against graded relevance (gain 2^g - 1)."""
    dcg = sum((2 ** grades.get(key, 0) - 1) / math.log2(i + 2) for i, key in enumerate(ranked[:10]))
    ideal = sorted(grades.values(), reverse=True)[:10]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def icontains_ranking(user, text: str, every_word: bool) -> list[tuple[str, int]]:  # type: ignore[no-untyped-def]
    """Return the baseline: rows containing the query (or every word of it), newest first."""
    from django.db.models import Q

    from cairn.search.models import Kind
    from cairn.search.query import visible_documents

    def contains(words: str) -> Q:
        return (
            Q(title__icontains=words)
            | Q(tags__icontains=words)
            | Q(body__icontains=words)
            | Q(answer__icontains=words)
        )

    rows = visible_documents(user, list(Kind.values))
    if every_word:
        for word in re.findall(r"\w+", text):
            rows = rows.filter(contains(word))
    else:
        rows = rows.filter(contains(text))
    return list(rows.order_by("-created_at", "-pk").values_list("kind", "object_id")[:10])


def search_ranking(user, text: str) -> list[tuple[str, int]]:  # type: ignore[no-untyped-def]
    from cairn.search.query import search

    hits = [hit for group in search(user, text, per_kind=10) for hit in group.hits]
    hits.sort(key=lambda hit: -hit.score)
    return [(hit.kind, hit.object_id) for hit in hits[:10]]


def judged() -> dict[str, object]:
    searcher, ids = build_judged()
    key_of = {value: key for key, value in ids.items()}
    queries = json.loads(JUDGED.read_text())["queries"]
    methods = {
        "cairn search": lambda q: search_ranking(searcher, q),
        "icontains (whole query)": lambda q: icontains_ranking(searcher, q, every_word=False),
        "icontains (every word)": lambda q: icontains_ranking(searcher, q, every_word=True),
    }
    scores: dict[str, list[float]] = {name: [] for name in methods}
    for query in queries:
        for name, method in methods.items():
            ranked = [key_of.get(found, "?") for found in method(query["q"])]
            scores[name].append(ndcg_at_10(ranked, query["relevant"]))
    worst = sorted(zip(scores["cairn search"], (q["q"] for q in queries), strict=True))[:5]
    return {
        "queries": len(queries),
        "items": len(ids),
        "ndcg": {name: statistics.fmean(values) for name, values in scores.items()},
        "zero": {name: sum(1 for v in values if v == 0) for name, values in scores.items()},
        "worst": worst,
        "searcher": searcher.pk,
    }


def generated_words(rng: random.Random) -> tuple[list[str], list[float]]:
    """Return a vocabulary (the judged set's words among 20,000 made-up ones) and Zipf weights."""
    text = JUDGED.read_text().lower()
    real = sorted(set(re.findall(r"[a-z]{3,}", text)))
    syllables = ["ka", "lo", "mi", "ren", "tu", "sa", "vel", "dor", "pi", "an", "go", "ser", "ly"]
    made_up = sorted({"".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(30000)})
    vocabulary = made_up[:20000]
    for word in real:  # the real words among the 3,000 most frequent
        vocabulary.insert(rng.randrange(3000), word)
    weights = [1.0 / (rank + 1) ** 1.05 for rank in range(len(vocabulary))]
    return vocabulary, weights


def generate_posts(count: int) -> object:
    """Bulk-create ``count`` posts in an organisation of their own, index them, and return a
    member of it."""
    from django.utils import timezone

    from cairn.exchange.models import Post
    from cairn.people.actions import do_add_person, do_create_organisation
    from cairn.search.index import rebuild

    rng = random.Random(SEED)
    vocabulary, weights = generated_words(rng)
    org = do_create_organisation("Generated", "generated", email_domains=())
    authors = [
        do_add_person(org, email=f"author{i}@generated.example", name=f"Author {i}")
        for i in range(50)
    ]
    now = timezone.now()
    batch = []
    for i in range(count):
        title = " ".join(rng.choices(vocabulary, weights, k=rng.randint(5, 10))).capitalize()
        body = " ".join(rng.choices(vocabulary, weights, k=rng.randint(40, 140)))
        batch.append(
            Post(
                organisation=org,
                author=authors[i % len(authors)],
                kind=rng.choice(["know_how", "lesson"]),
                title=title[:200],
                body=body,
                created_at=now - timedelta(days=rng.uniform(0, 1500)),
            )
        )
        if len(batch) == 5000:
            Post.objects.bulk_create(batch)
            batch = []
    Post.objects.bulk_create(batch)
    rebuild(org.pk)
    return authors[0]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1)]


def latency(count: int, repeats: int) -> dict[str, object]:
    from django.db import connection
    from django.db.models import Q

    from cairn.exchange.models import Post
    from cairn.search.query import search

    started = time.perf_counter()
    member = generate_posts(count)
    built = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE search_document")
            cursor.execute("VACUUM ANALYZE exchange_post")
    queries = [q["q"] for q in json.loads(JUDGED.read_text())["queries"]]
    # Type-ahead: the same queries cut in the middle of their last word.
    queries += [q[: max(3, len(q) - 2)] for q in queries[:20]]

    def cairn(text: str) -> int:
        return sum(len(group.hits) for group in search(member, text))

    def icontains(text: str) -> int:
        posts = Post.objects.visible_to(member).filter(
            Q(title__icontains=text) | Q(body__icontains=text)
        )
        return len(list(posts.order_by("-created_at", "-pk")[:10]))

    load_before = os.getloadavg()[0]
    timings: dict[str, list[float]] = {"cairn search": [], "icontains (whole query)": []}
    found = dict.fromkeys(timings, 0)
    for name, method in (("cairn search", cairn), ("icontains (whole query)", icontains)):
        for text in queries:
            method(text)  # warm
            for _ in range(repeats):
                t = time.perf_counter()
                found[name] += bool(method(text))
                timings[name].append((time.perf_counter() - t) * 1000)
    return {
        "posts": count,
        "load_before": load_before,
        "load_after": os.getloadavg()[0],
        "build_seconds": built,
        "queries": len(queries),
        "repeats": repeats,
        "found_any": {name: found[name] / (len(queries) * repeats) for name in found},
        "p50_ms": {name: statistics.median(t) for name, t in timings.items()},
        "p95_ms": {name: percentile(t, 0.95) for name, t in timings.items()},
        "max_ms": {name: max(t) for name, t in timings.items()},
    }


def main() -> None:
    posts = int(sys.argv[sys.argv.index("--posts") + 1]) if "--posts" in sys.argv else 0
    setup()
    from django.db import connection

    result: dict[str, object] = {"vendor": connection.vendor, "judged": judged()}
    if posts:
        result["latency"] = latency(posts, repeats=5)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
