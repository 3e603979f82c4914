"""The envelope simulator at the demo call's size and at 10× it: one scenario with quotas, a cap
per organisation and a co-funder, run by ``execute_scenario`` on the database.

Each scale runs in a fresh spawned process on its own temporary SQLite database (migrations, the
community demo, the demo call, as ``bench review_scale``): ``seed_demo_applications`` scaled to
about N applications once drafts and withdrawn files are set aside, all of them set to "before the
committee", each read by 3 of N/6 experts whose submitted totals are a quality, the expert's
strictness and noise; one committee session with all of them on its agenda. 1×: about 100
applications (the demo 2009 call), 10×: about 1,000 (1,200 planned, the demo's drafts and
withdrawn files set aside). Envelope: the call's 1.4 M€ times the scale.

Rules: at least 2 % of the applications funded in each of the three largest genres, at most 70 %
of the envelope for the largest territory and at least 10 % for the second, at most 2 grants per
organisation, a co-funder paying 15 % of the envelope for the second territory's projects only.

Measured, per objective (merit, ranked): ``execute_scenario`` in wall and CPU seconds (reading the
agenda and the scores, the engine, writing the result) and its SQL queries, the engine's own
seconds; once before, the calibration of the call's scores (``scores_of_call``, cached after).

``python -m bench committee_simulator`` (1× and 10×) or ``--quick`` (1× and 2×).
"""

from __future__ import annotations

import math
import random
import tempfile
import time
from collections import Counter
from typing import Any

from bench.memory import measure_in_child

APPLICATIONS_PER_SCALE = 120
REVIEWS = 3
OBJECTIVES = ("merit", "ranked")
PAGE_REPEAT = 5


def _seed(n_applications: int):
    from datetime import timedelta
    from decimal import Decimal

    from django.core.management import call_command
    from django.utils import timezone

    from bench.bench_review_scale import REVIEWABLE_PER_UNIT
    from filiere.accounts.models import Role, User
    from filiere.accounts.services import grant_role
    from filiere.calls.models import Application
    from filiere.committee.models import AgendaItem, Session
    from filiere.demo.applications import seed_demo_applications
    from filiere.demo.calls import load_demo_calls
    from filiere.demo.community import DemoBuilder
    from filiere.review.models import (
        Assignment,
        Expert,
        PairResponse,
        PairStatus,
        Review,
        ReviewStatus,
    )

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    DemoBuilder(seed=2009, scale=1.0, today=timezone.localdate()).write()
    call = load_demo_calls()[0]
    rng = random.Random(2009)
    seed_demo_applications(call, rng, scale=n_applications / REVIEWABLE_PER_UNIT, with_files=False)
    applications = list(
        Application.objects.filter(call=call).exclude(state__in=("draft", "withdrawn"))
    )
    for application in applications:
        application.state = "committee"
        if not application.requested_amount:
            application.requested_amount = Decimal(round(rng.lognormvariate(10.3, 0.5), -2))
    Application.objects.bulk_update(applications, ["state", "requested_amount"])
    staff = User.objects.create(email="bench-staff@example.org", first_name="Bench")
    grant_role(user=staff, role=Role.STAFF, by=None)
    users = [
        User.objects.create(email=f"bench-expert-{i:03d}@example.org", first_name=f"Expert {i}")
        for i in range(max(10, len(applications) // 6))
    ]
    experts = Expert.objects.bulk_create(
        Expert(fund=call.fund, user=user, email=user.email, status="active") for user in users
    )
    strictness = {e.pk: rng.gauss(0, 8) for e in experts}
    now = timezone.now()
    pairs, totals = [], []
    for application in applications:
        quality = rng.uniform(35, 90)
        for reader in rng.sample(experts, REVIEWS):
            pairs.append(
                Assignment(
                    application=application,
                    expert=reader,
                    status=PairStatus.PUBLISHED,
                    response=PairResponse.ACCEPTED,
                )
            )
            totals.append(quality + strictness[reader.pk] + rng.gauss(0, 6))
    pairs = Assignment.objects.bulk_create(pairs)
    Review.objects.bulk_create(
        Review(
            assignment=pair,
            status=ReviewStatus.SUBMITTED,
            total=round(min(100.0, max(0.0, total)), 1),
            submitted_at=now,
        )
        for pair, total in zip(pairs, totals, strict=True)
    )
    session = Session.objects.create(
        call=call,
        title="Bench",
        meets_at=now + timedelta(days=7),
        created_by=staff,
        status="open",
    )
    AgendaItem.objects.bulk_create(
        AgendaItem(session=session, application=a, position=i) for i, a in enumerate(applications)
    )
    return call, session, staff, applications


def _rules(applications: list, envelope: float, objective: str) -> dict[str, Any]:
    genres = Counter(a.genre.code for a in applications if a.genre_id)
    territories = Counter(
        a.organisation.territory.code for a in applications if a.organisation.territory_id
    )
    (first, _), (second, _) = territories.most_common(2)
    quotas: list[dict[str, Any]] = [
        {"field": "genre", "value": code, "min_count": max(1, math.ceil(len(applications) / 50))}
        for code, _count in genres.most_common(3)
    ]
    quotas.append({"field": "territory", "value": first, "max_amount": 0.7 * envelope})
    quotas.append({"field": "territory", "value": second, "min_amount": 0.1 * envelope})
    return {
        "objective": objective,
        "quotas": quotas,
        "max_per_organisation": 2,
        "min_score": None,
        "partial_awards": False,
        "partial_floor": 0.5,
        "cofunders": [
            {
                "name": "Co-funder",
                "envelope": 0.15 * envelope,
                "field": "territory",
                "values": [second],
            }
        ],
    }


def _scenario(session, staff, applications, envelope, objective: str) -> dict:
    from decimal import Decimal

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from filiere.committee.models import Scenario
    from filiere.committee.services_simulator import execute_scenario, request_simulation

    scenario = request_simulation(
        session=session,
        by=staff,
        envelope=Decimal(envelope),
        rules=_rules(applications, envelope, objective),
    )
    with CaptureQueriesContext(connection) as captured:
        wall, cpu = time.perf_counter(), time.process_time()
        status = execute_scenario(scenario_id=scenario.pk)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    scenario.refresh_from_db()
    assert status == Scenario.Status.DONE, (status, scenario.error)
    result = scenario.result
    return {
        "status": result["status"],
        "execute_wall_s": round(wall, 3),
        "execute_cpu_s": round(cpu, 3),
        "engine_s": result["seconds"],
        "queries": len(captured),
        "funded": sum(row["selected"] for row in result["rows"]),
        "ranked_list_funded": len(result["baseline"]["selected"]),
        "changes": len(result["changes"]),
        "ranked_list_breaks": len(result["baseline"]["violations"]),
    }


def _case(n_applications: int, scale: int) -> dict:
    from bench.bench_review_scale import _setup  # the same throwaway settings and database

    with tempfile.TemporaryDirectory() as var_dir:
        _setup(var_dir)
        from django.db import connection

        from filiere.committee.selectors_scores import scores_of_call

        started = time.perf_counter()
        call, session, staff, applications = _seed(n_applications)
        seed_seconds = time.perf_counter() - started
        wall, cpu = time.perf_counter(), time.process_time()
        scores = scores_of_call(call)
        scores_wall, scores_cpu = time.perf_counter() - wall, time.process_time() - cpu
        envelope = float(call.envelope) * scale
        runs = {
            objective: _scenario(session, staff, applications, envelope, objective)
            for objective in OBJECTIVES
        }
        pages = _pages(session, staff)
        connection.close()
    return {
        "applications": len(applications),
        "scored": len(scores),
        "envelope": envelope,
        "seed_s": round(seed_seconds, 1),
        "scores_wall_s": round(scores_wall, 3),
        "scores_cpu_s": round(scores_cpu, 3),
        "runs": runs,
        "pages": pages,
    }


def _pages(session, staff) -> dict:
    """The staff's simulator page (form, latest simulations, latest result) and the latest
    scenario's result page, as review_scale measures its pages."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.test import Client
    from django.test.utils import setup_test_environment

    from bench.bench_review_scale import _page
    from filiere.committee.models import Scenario

    setup_test_environment()
    TOTP.activate(staff, generate_totp_secret())
    client = Client()
    client.force_login(staff)
    latest = Scenario.objects.filter(session=session).first()
    assert latest is not None
    base = f"/committee/sessions/{session.pk}/simulator/"
    return {
        "simulator": _page(client, base, PAGE_REPEAT),
        "result": _page(client, f"{base}{latest.pk}/", PAGE_REPEAT),
    }


def run(quick: bool = False) -> dict:
    factor = 2 if quick else 10
    cases = {}
    for label, scale in (("1x", 1), (f"{factor}x", factor)):
        outcome = measure_in_child(_case, APPLICATIONS_PER_SCALE * scale, scale)
        cases[label] = {**outcome["result"], "peak_rss_mb": round(outcome["peak_rss_mb"])}
    return {"reviews_per_application": REVIEWS, "cases": cases}
