"""Gunicorn settings for running Cairn in production: ``gunicorn -c python:cairn.gunicorn_conf``.

Every value can be overridden from the environment (``CAIRN_BIND``, ``WEB_CONCURRENCY``,
``WEB_THREADS``, ``WEB_TIMEOUT``) or on gunicorn's command line.
"""

import multiprocessing
import os

wsgi_app = "cairn.wsgi:application"
bind = os.environ.get("CAIRN_BIND", "127.0.0.1:8000")
# Pages are short database-bound requests: two processes a core, each with two threads so a
# slow query or a slow client does not hold a whole process. More threads cost more than they
# overlap, as the threads of a process take turns at one interpreter lock: in the load test's
# scenario at 45 requests/s on 2 cores, 4 threads a process spent about a quarter more CPU a
# request than 2 (compare `WEB_THREADS=4 python -m bench load` with the default).
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count()))
threads = int(os.environ.get("WEB_THREADS", 2))
timeout = int(os.environ.get("WEB_TIMEOUT", 30))
graceful_timeout = 20
# Restart workers now and then so a slow leak cannot grow without bound, but seldom: a new
# worker spends about 2.7 s of CPU getting ready (imports, URL patterns, the recommendation
# indexes; measured on Meridian) and starts with cold caches. Every 2,000 requests that was
# about 1.3 ms of CPU a request, 6 % of what the pages themselves cost.
max_requests = 20000
max_requests_jitter = 2000
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_worker_init(worker: object) -> None:
    """Get the worker ready before it serves anything (:func:`cairn.web.startup.prepare_to_serve`),
    so that no request waits for imports or indexes and full garbage collections skip what the
    worker holds from the start. Workers are replaced every ``max_requests``, so this is not
    once only."""
    from django.db import connections

    from cairn.web.startup import prepare_to_serve

    try:
        prepare_to_serve()
    except Exception:  # a worker that cannot warm up still serves; requests read lazily
        worker.log.exception("Could not warm up ahead of the first request")  # type: ignore[attr-defined]  # gunicorn's Worker
    finally:
        connections.close_all()
