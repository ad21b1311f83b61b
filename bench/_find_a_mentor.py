""" "Find a mentor" in a fresh web process, against the stored recommendation index (run by
bench/_live_trust_worker.py). Prints one JSON object on its last line.

    python -m bench._find_a_mentor ORG_SLUG SEEKER_USER_ID page|api [--warm-up]

The process first serves a page that reads no index (Django's URLs, templates and middleware
loaded, as in a process that has served other pages), then times its first request to the
target — which reads the stored index from the database and loads the embedder — and seven
more. With ``--warm-up`` it first reads the indexes as a production worker does when it
starts (``cairn.matching.indexes.warm_up``, called by ``cairn/gunicorn_conf.py``).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time


def main() -> None:
    slug, seeker_id, target = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    from bench._live_trust_worker import setup

    setup()
    from django.test import Client

    from cairn.people.models import User

    seeker = User.objects.get(pk=seeker_id, organisation__slug=slug)
    client = Client()
    client.force_login(seeker)
    url = {"page": "/match/", "api": "/api/v1/recommendations"}[target]
    client.get("/notifications/", secure=True)  # a page that reads no index
    if "--warm-up" in sys.argv:
        from cairn.matching.indexes import warm_up

        warm_up()
    took = []
    for _ in range(8):
        started = time.perf_counter()
        response = client.get(url, secure=True)
        took.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code  # noqa: S101 - a benchmark
        assert b"preparing" not in response.content, "no index stored"  # noqa: S101
    warm = took[1:]
    print(
        json.dumps(
            {
                "first": took[0],
                "warm_median": statistics.median(warm),
                "warm_max": max(warm),
                "load": os.getloadavg(),
            }
        )
    )


if __name__ == "__main__":
    main()
