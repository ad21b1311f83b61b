"""Gunicorn settings for running Cairn in production: ``gunicorn -c python:cairn.gunicorn_conf``.

Every value can be overridden from the environment (``CAIRN_BIND``, ``WEB_CONCURRENCY``,
``WEB_THREADS``, ``WEB_TIMEOUT``) or on gunicorn's command line.
"""

import multiprocessing
import os

wsgi_app = "cairn.wsgi:application"
bind = os.environ.get("CAIRN_BIND", "127.0.0.1:8000")
# Pages are short database-bound requests: two processes a core, each with a few threads so a
# slow query or a slow client does not hold a whole process.
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count()))
threads = int(os.environ.get("WEB_THREADS", 4))
timeout = int(os.environ.get("WEB_TIMEOUT", 30))
graceful_timeout = 20
# Restart workers now and then so a slow leak cannot grow without bound.
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
