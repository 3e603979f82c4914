"""An app server's worker is made ready before its first request and collects its garbage
between requests (``ops.warm``), through gunicorn's hooks (deploy/gunicorn.conf.py)."""

import gc
import json
import os
import runpy
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]


def test_a_ready_worker_has_its_views_imported_and_its_start_up_objects_frozen():
    # A fresh process, as a worker that has just loaded the app.
    code = """
import gc, json, sys, django
django.setup()
before = "filiere.community.views_directory" in sys.modules
import filiere.ops.warm
filiere.ops.warm.ready_worker()
print(json.dumps([before, "filiere.community.views_directory" in sys.modules,
                  gc.get_freeze_count(), len(gc.get_objects()), gc.isenabled()]))
"""
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "filiere.settings", "DJANGO_DEBUG": "1"},
        capture_output=True,
        text=True,
        check=True,
    )
    before, after, frozen, tracked, automatic = json.loads(result.stdout.strip().splitlines()[-1])

    assert (before, after) == (False, True)
    # Frozen objects are out of every collection: a full one walks only what came after.
    assert frozen > 50_000
    assert tracked < frozen / 10
    # No collection starts in the middle of a request: they run after each one.
    assert automatic is False


def test_after_each_request_the_due_generation_is_collected(monkeypatch):
    from filiere.ops import warm

    collected = []
    monkeypatch.setattr(warm, "_served", iter(range(1, 201)))
    monkeypatch.setattr(warm.gc, "collect", collected.append)

    for _ in range(200):
        warm.after_request()

    assert len(collected) == 200
    assert collected.count(2) == 2  # the 100th and the 200th request
    assert collected.count(1) == 18
    assert collected[:10] == [0] * 9 + [1]


def test_cyclic_garbage_of_a_request_is_freed_after_it():
    from filiere.ops.warm import after_request

    class Node:
        pass

    was_enabled = gc.isenabled()
    gc.disable()
    try:
        for _ in range(2_000):
            node = Node()
            node.me = node  # a cycle: reference counting alone never frees it
        del node
        before = sum(type(o) is Node for o in gc.get_objects())
        # The worker's middle and full collections take what outlived young ones.
        for _ in range(100):
            after_request()
        after = sum(type(o) is Node for o in gc.get_objects())
    finally:
        if was_enabled:
            gc.enable()
    assert before >= 2_000
    assert after == 0


def test_gunicorn_readies_each_worker_and_collects_after_each_request(monkeypatch):
    called = []
    monkeypatch.setattr("filiere.ops.warm.ready_worker", lambda: called.append("ready"))
    monkeypatch.setattr("filiere.ops.warm.after_request", lambda: called.append("collect"))
    hooks = runpy.run_path(str(PROJECT / "deploy" / "gunicorn.conf.py"))

    hooks["post_worker_init"](object())
    hooks["post_request"](object(), object(), {}, object())

    assert called == ["ready", "collect"]
