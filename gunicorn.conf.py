"""Gunicorn settings for Sanaly: `gunicorn -c gunicorn.conf.py wsgi:app`.

Every value can be overridden from the environment, so one file serves the
embedded default (one machine, SQLite) and production (many nodes, PostgreSQL).
"""

import multiprocessing
import os

bind = os.environ.get("BIND", f"127.0.0.1:{os.environ.get('PORT', '5000')}")
# Threads overlap the waits on the database; processes use the cores.
workers = int(os.environ.get("WEB_CONCURRENCY", max(2, multiprocessing.cpu_count())))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
# Longer than nginx keeps idle upstream connections (keepalive_timeout 60s, deploy/nginx.conf) and than a
# reader pauses between pages: a request sent on a connection the server has just closed fails, and neither
# nginx nor a load balancer resends a POST (the load test saw this with 5 s).
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "75"))
# Restart workers now and then so a slow leak never grows without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = 500
# The app writes its own one-line log per request, with the request id.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
proxy_allow_ips = forwarded_allow_ips
