"""Review at 10× the demo call: the assignment run and the review pages, at 1× and 10× side by side.

Each scale runs in a fresh spawned process on its own temporary SQLite database (migrations, the
community demo, the demo call): ``seed_demo_applications`` scaled so that about N applications
are left once drafts and withdrawn files are set aside, all of them then set to "submitted"
(what the engine assigns); an expert pool of M active experts (``review.seed.seed_pool``, as the
demo pool: professions, skills, keywords and past works drawn from the demo's expert texts, each
available for the call with a maximum load of 20). 1×: 120 applications and 20 experts; 10×:
1,200 and 200; 3 reviews each, so about 18 per expert at both scales.

Measured: ``execute_assignment_run`` (optimal mode; fair mode is much slower) in wall and CPU
seconds, split into reading (``engine_inputs``), affinity, the solver and writing, and its SQL
queries; then, once the proposal is published and the reviews are in every phase (two pairs in
three accepted, half of those reviews submitted, the others drafts), the expert inbox (an expert
with the load closest to 18), the staff reviews dashboard and the assignment proposal page (their
first page of 50 rows, the way the staff open them): SQL queries per request and the server's
CPU milliseconds per request (median of the requests through Django's test client, DEBUG off).
The ratios 10× / 1× show which figures stay constant.

``python -m bench review_scale`` (1× and 10×) or ``--quick`` (1× and 2×).
"""

from __future__ import annotations

import functools
import os
import random
import statistics
import tempfile
import time
import warnings
from typing import Any

from bench.memory import measure_in_child

APPLICATIONS_PER_SCALE = 120
EXPERTS_PER_SCALE = 20
REVIEWS = 3
MAX_LOAD = 20
#: Applications of the demo plan per unit of scale left once drafts and withdrawn are set aside.
REVIEWABLE_PER_UNIT = 120 - 14 - 4


def _setup(var_dir: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "filiere.settings"
    os.environ["DJANGO_DEBUG"] = "0"  # server CPU as in production: no debug toolbar or checks
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-" + "x" * 40)
    os.environ["FILIERE_VAR_DIR"] = var_dir
    os.environ.pop("DATABASE_URL", None)
    warnings.filterwarnings("ignore", message="No directory at")  # whitenoise: no collectstatic
    import django
    from django.conf import settings

    django.setup()
    settings.ALLOWED_HOSTS = ["testserver"]
    # No collectstatic in a throwaway directory: plain static URLs instead of the manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def _pool_seeds(users: list, rng: random.Random) -> list:
    """Experts after the demo's texts, each with a second text's keywords and works mixed in."""
    from filiere.demo.pool_texts import EXPERTS
    from filiere.review.seed import PoolSeed

    texts = [t for t in EXPERTS if t.professions]
    seeds = []
    for user in users:
        main, other = rng.sample(texts, 2)
        keywords = list(dict.fromkeys([*main.keywords, *rng.sample(other.keywords, 2)]))
        seeds.append(
            PoolSeed(
                user=user,
                professions=main.professions,
                skills=main.skills,
                keywords=keywords,
                languages=main.languages,
                about=main.about,
                works=(*main.works, *other.works[:1]),
                max_load=MAX_LOAD,
            )
        )
    return seeds


def _seed(n_applications: int, n_experts: int):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.core.management import call_command
    from django.utils import timezone

    from filiere.accounts.models import Role, User
    from filiere.accounts.services import grant_role
    from filiere.calls.models import Application
    from filiere.demo.applications import seed_demo_applications
    from filiere.demo.calls import load_demo_calls
    from filiere.demo.community import DemoBuilder
    from filiere.review.seed import seed_pool

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    DemoBuilder(seed=2009, scale=1.0, today=timezone.localdate()).write()
    call = load_demo_calls()[0]
    rng = random.Random(2009)
    seed_demo_applications(call, rng, scale=n_applications / REVIEWABLE_PER_UNIT, with_files=False)
    reviewable = Application.objects.filter(call=call).exclude(state__in=("draft", "withdrawn"))
    reviewable.update(state="submitted")
    staff = User.objects.create(email="bench-staff@example.org", first_name="Bench")
    grant_role(user=staff, role=Role.STAFF, by=None)
    TOTP.activate(staff, generate_totp_secret())
    users = [
        User.objects.create(email=f"bench-expert-{i:03d}@example.org", first_name=f"Expert {i}")
        for i in range(n_experts)
    ]
    seed_pool(fund=call.fund, seeds=_pool_seeds(users, rng), calls=[call])
    return call, staff, reviewable.count()


def _timed(phases: dict, name: str, fn):
    """Wrap ``fn`` so that its wall and CPU seconds (and its result's iteration) add to phases."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        wall, cpu = time.perf_counter(), time.process_time()
        result = fn(*args, **kwargs)
        if name == "affinity":
            result = list(result)  # a generator computes while it is consumed
        phase = phases.setdefault(name, {"wall_s": 0.0, "cpu_s": 0.0})
        phase["wall_s"] += time.perf_counter() - wall
        phase["cpu_s"] += time.process_time() - cpu
        return result

    return wrapper


def _assignment_run(call, staff) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from filiere.review import services_assignment as service
    from filiere.review.models_assignment import AssignmentMode, AssignmentRun

    phases: dict = {}
    for attr, name in (
        ("engine_inputs", "read"),
        ("compute_affinity", "affinity"),
        ("assign", "solve"),
        ("_write_proposal", "write"),
    ):
        setattr(service, attr, _timed(phases, name, getattr(service, attr)))
    # Queued as start_assignment_run does, without the event: the benchmark is the worker.
    run = AssignmentRun.objects.create(
        call=call, mode=AssignmentMode.OPTIMAL, reviews=REVIEWS, started_by=staff
    )
    with CaptureQueriesContext(connection) as captured:
        wall, cpu = time.perf_counter(), time.process_time()
        status = service.execute_assignment_run(run_id=run.pk)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    run.refresh_from_db()
    assert status == AssignmentRun.Status.DONE, (status, run.error)
    return {
        "outcome": run.outcome,
        "pairs": run.pairs,
        "wall_s": round(wall, 3),
        "cpu_s": round(cpu, 3),
        "queries": len(captured),
        "phases": {
            name: {key: round(value, 3) for key, value in figures.items()}
            for name, figures in phases.items()
        },
    }


def _reviews_in_every_phase(call) -> dict:
    """As the demo's experts would: two pairs in three accepted, one accepted review in two
    submitted and the other a draft (bulk writes: the benchmark is the reading)."""
    from django.utils import timezone

    from filiere.review.models import Assignment, PairResponse, Review, ReviewStatus

    pairs = list(Assignment.objects.filter(application__call=call).order_by("pk"))
    accepted = [pair for index, pair in enumerate(pairs) if index % 3 != 2]
    for pair in accepted:
        pair.response = PairResponse.ACCEPTED
    Assignment.objects.bulk_update(accepted, ["response"], batch_size=500)
    now = timezone.now()
    Review.objects.bulk_create(
        [
            Review(
                assignment=pair,
                status=ReviewStatus.SUBMITTED if index % 2 == 0 else ReviewStatus.DRAFT,
                opinion="A clear project.",
                recommendation="fund",
                total=70.0,
                submitted_at=now if index % 2 == 0 else None,
            )
            for index, pair in enumerate(accepted)
        ],
        batch_size=500,
    )
    return {"accepted": len(accepted), "submitted": (len(accepted) + 1) // 2}


def _page(client, url: str, repeat: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url, secure=True)  # warm-up: templates, caches
    cpu_ms = []
    queries = 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.process_time()
            response = client.get(url, secure=True)
            cpu_ms.append((time.process_time() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(captured)
    return {"queries": queries, "cpu_ms_median": round(statistics.median(cpu_ms), 1)}


def _case(n_applications: int, n_experts: int, repeat: int) -> dict:
    with tempfile.TemporaryDirectory() as var_dir:
        _setup(var_dir)
        from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
        from django.db.models import Count
        from django.test import Client
        from django.test.utils import setup_test_environment

        from filiere.review.models import Assignment
        from filiere.review.services_assignment import publish_assignments

        setup_test_environment()
        started = time.perf_counter()
        call, staff, applications = _seed(n_applications, n_experts)
        seed_seconds = time.perf_counter() - started
        run = _assignment_run(call, staff)
        published = publish_assignments(call=call, by=staff)
        reviews = _reviews_in_every_phase(call)
        loads = Assignment.objects.filter(application__call=call).values("expert__user_id")
        loads = loads.annotate(n=Count("id")).order_by("expert__user_id")
        user_id, load = min(
            ((r["expert__user_id"], r["n"]) for r in loads), key=lambda r: abs(r[1] - 18)
        )
        from filiere.accounts.models import User

        expert_user = User.objects.get(pk=user_id)
        TOTP.activate(expert_user, generate_totp_secret())
        staff_client, expert_client = Client(), Client()
        staff_client.force_login(staff)
        expert_client.force_login(expert_user)
        pages = {
            "expert_inbox": _page(expert_client, "/review/me/assignments/", repeat),
            "reviews_dashboard": _page(staff_client, f"/review/calls/{call.slug}/reviews/", repeat),
            "assignment_proposal": _page(
                staff_client, f"/review/calls/{call.slug}/assignment/", repeat
            ),
        }
        pages["expert_inbox"]["assignments"] = load
        from django.db import connection

        connection.close()
    return {
        "applications": applications,
        "experts": n_experts,
        "seed_s": round(seed_seconds, 1),
        "assignment_run": run,
        "published": published,
        "reviews": reviews,
        "pages": pages,
    }


def _ratio(big: float, small: float) -> float | None:
    return round(big / small, 2) if small else None


def run(quick: bool = False) -> dict:
    factor = 2 if quick else 10
    repeat = 5 if quick else 15
    cases = {}
    for label, scale in (("1x", 1), (f"{factor}x", factor)):
        outcome = measure_in_child(
            _case, APPLICATIONS_PER_SCALE * scale, EXPERTS_PER_SCALE * scale, repeat
        )
        cases[label] = {**outcome["result"], "peak_rss_mb": round(outcome["peak_rss_mb"])}
    small, big = cases["1x"], cases[f"{factor}x"]
    ratios: dict = {
        "assignment_run_wall": _ratio(
            big["assignment_run"]["wall_s"], small["assignment_run"]["wall_s"]
        ),
        "assignment_run_queries": _ratio(
            big["assignment_run"]["queries"], small["assignment_run"]["queries"]
        ),
    }
    for name in small["pages"]:
        ratios[f"{name}_queries"] = _ratio(
            big["pages"][name]["queries"], small["pages"][name]["queries"]
        )
        ratios[f"{name}_cpu_ms"] = _ratio(
            big["pages"][name]["cpu_ms_median"], small["pages"][name]["cpu_ms_median"]
        )
    return {"reviews_per_application": REVIEWS, "mode": "optimal", "cases": cases, "ratios": ratios}
