"""gunicorn's settings for one Filière app server (``gunicorn -c deploy/gunicorn.conf.py
filiere.wsgi``). Every value comes from the environment (deploy/filiere.env.example).

gthread workers: each worker runs ``GUNICORN_THREADS`` requests at once. ``worker_connections``
equals the threads, so a worker accepts only the connections it can serve now; the others wait in
the listening socket's backlog, which the master and the other workers share. A worker that dies
(SIGKILL, out of memory) takes only the requests it was running, never a queue of accepted ones.
"""

import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, str(default)))


bind = os.environ.get("FILIERE_BIND", "127.0.0.1:8001")
worker_class = "gthread"
workers = _int("GUNICORN_WORKERS", 3)
threads = _int("GUNICORN_THREADS", 4)
worker_connections = threads
backlog = _int("GUNICORN_BACKLOG", 2048)
# A request running longer than this is killed; nginx waits longer (proxy_read_timeout 60 s).
timeout = _int("GUNICORN_TIMEOUT", 30)
# On SIGTERM (systemctl stop/restart) running requests get this long to finish.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# nginx opens one connection per request (no upstream keep-alive): nothing idles in a worker,
# and every accepted connection is a request being served.
keepalive = 0
# Recycle workers now and then (memory growth); jitter so they do not all restart together.
max_requests = _int("GUNICORN_MAX_REQUESTS", 5000)
max_requests_jitter = max_requests // 10
# Only nginx, on this machine, talks to gunicorn.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# systemd starts, stops and reloads the servers; gunicorn's control socket (one default path per
# user) would be fought over by the app servers of one machine.
control_socket_disable = True
proc_name = "filiere-" + bind.rsplit(":", 1)[-1]
accesslog = None  # nginx logs every request
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "warning")


def post_worker_init(worker: object) -> None:
    """Every view imported, the start-up objects frozen out of garbage collection, automatic
    collections off (``filiere.ops.warm``)."""
    from filiere.ops.warm import ready_worker

    ready_worker()


def post_request(worker: object, req: object, environ: object, resp: object) -> None:
    """The garbage collected once the response is written, not in the middle of a request."""
    from filiere.ops.warm import after_request

    after_request()
