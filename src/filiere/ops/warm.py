"""An app server's worker, made ready before its first request, and its garbage collected
between requests rather than in the middle of one.

``ready_worker()`` (gunicorn's ``post_worker_init``) imports every view (Django imports the URL
configuration on the first request otherwise) and freezes the objects alive at that point
(``gc.freeze``): the modules, classes and functions of Django and the app, ~300,000 objects
that live as long as the worker and that every full collection would otherwise walk (150 ms on
a 2-core virtual machine). It then turns Python's automatic collections off.

``after_request()`` (gunicorn's ``post_request``, once the response is written) runs them
instead, as often as Python's defaults would: the youngest generation after every request, the
middle one every 10th, a full one every 100th. Why: automatic collections start whenever 700
more containers exist than before, that is every few hundred objects of a request that builds
tens of thousands (an API page of 50 profiles, its models and schemas); each walks every object
the request holds, and a full one landed on a request every few searches (20–40 ms here). After
the response, the request's objects are gone (reference counting freed them): the walk is
short, and no one waits on it. A request that makes cycles keeps them until it ends; workers
are recycled anyway (``max_requests``).

The benchmarks that measure a page as such a worker serves it call both.
"""

from __future__ import annotations

import gc
import itertools

#: After how many requests the middle generation, and all of them, are collected.
MIDDLE_EVERY = 10
FULL_EVERY = 100

_served = itertools.count(1)


def ready_worker() -> None:
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports every view module)
    gc.collect()
    gc.freeze()
    gc.disable()


def after_request() -> int:
    """Collect the generation due after this request; return which one."""
    served = next(_served)
    generation = 2 if served % FULL_EVERY == 0 else 1 if served % MIDDLE_EVERY == 0 else 0
    gc.collect(generation)
    return generation
