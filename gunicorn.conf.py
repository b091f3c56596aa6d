"""gunicorn's settings for MedPath (read from the working directory by `gunicorn medpath.wsgi`).

Sync workers: every view is short and the database is the bottleneck; scale with processes and
machines. The environment overrides: PORT, WEB_BIND, WEB_CONCURRENCY, WEB_TIMEOUT.
"""

import os

bind = os.environ.get("WEB_BIND") or f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "sync"
timeout = int(os.environ.get("WEB_TIMEOUT", "30"))
# Load Django once in the master: a settings error stops the start with its message, and the
# workers share the imported code's memory pages.
preload_app = True
# Recycle a worker now and then so that slow growth never adds up (jitter: not all at once).
max_requests = 2000
max_requests_jitter = 200
# MedPath's own request log (medpath.request) has one line per request with its id and user;
# gunicorn's access log would repeat it.
accesslog = None
errorlog = "-"
# gunicorn's control socket (`gunicornc`) lives at one fixed path per user: two servers on one
# machine (the CI smoke test, a benchmark beside a running site) would take it from each other.
control_socket_disable = True
