"""The observatory at 10 years × 10 calls × 1,000 applications: its refresh and its page.

Runs in a fresh spawned process on its own scratch database with DEBUG off: a temporary SQLite
file, and, when ``DATABASE_URL`` points to PostgreSQL, a scratch PostgreSQL database too
(Django's test database, created and dropped). The community demo (``demo.community``, scale 1)
gives the territories, sectors and people; then, with ``bulk_create``, 4,000 more organisations
(companies mostly, labs, schools, associations, across the territories), 100 calls closed
between 2009 and 2018 (ten a year), 1,000 submitted applications each (genres, requests from
5,000 to 150,000 €) and a confirmed decision on nine in ten of them (a quarter awarded).

Measured: the refresh task's service (``execute_refresh``: every aggregate query, the
suppression, the snapshot stored) — its wall seconds and its SQL queries, which must be the same
at both sizes; then the public page (warm: after a first request), a year's breakdowns, a CSV
file and ``GET /api/v1/observatory``: SQL queries per request and wall/CPU milliseconds (p50,
p95 over the repeats). Targets: refresh under 30 s, page p95 under 200 ms.

``python -m bench observatory`` (the full size) or ``--quick`` (10 years × 2 calls × 200).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import tempfile
import time
import warnings
from decimal import Decimal
from typing import Any

from bench.memory import measure_in_child

SEED = 2009
YEARS = range(2009, 2019)
PAGES = {
    "page": "/observatory/",
    "page_year": "/observatory/?year=2015",
    "csv_calls": "/observatory/calls.csv",
    "api": "/api/v1/observatory",
}
TARGETS = {"refresh_seconds": 30.0, "page_p95_ms": 200.0}


def _setup(var_dir: str, postgresql: bool) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "filiere.settings"
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-" + "x" * 40)
    os.environ["FILIERE_VAR_DIR"] = var_dir
    if not postgresql:
        os.environ.pop("DATABASE_URL", None)
    warnings.filterwarnings("ignore", message="No directory at")
    import django
    from django.conf import settings

    django.setup()
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.FILIERE_API_RATE_SIGNED_IN = settings.FILIERE_API_RATE_ANONYMOUS = "100000/m"


def _seed(rng: random.Random, calls_per_year: int, per_call: int) -> dict[str, int]:
    from django.utils import timezone

    from filiere.accounts.models import User
    from filiere.calls.models import Application, Call, Fund, Genre
    from filiere.committee.models import Decision
    from filiere.community.models import Organisation, Territory
    from filiere.demo.community import DemoBuilder

    DemoBuilder(seed=SEED, scale=1, today=dt.date(2009, 9, 1)).write()
    territories = list(Territory.objects.all())
    kinds = ["company"] * 12 + ["research_lab", "school", "association"]
    Organisation.objects.bulk_create(
        [
            Organisation(
                slug=f"bench-organisation-{n}",
                name=f"Bench organisation {n}",
                kind=rng.choice(kinds),
                territory=rng.choice(territories),
            )
            for n in range(4000)
        ],
        batch_size=1000,
    )
    organisations = list(Organisation.objects.values_list("pk", flat=True))
    leads = User.objects.bulk_create(
        [User(email=f"bench-lead-{n}@example.org") for n in range(200)]
    )
    lead_ids = [user.pk for user in leads] or list(User.objects.values_list("pk", flat=True))
    decider = User.objects.create(email="bench-decider@example.org")
    genres = list(Genre.objects.all())
    fund = Fund.objects.create(slug="bench-observatory", name_fr="Fonds du banc d'essai")
    calls = Call.objects.bulk_create(
        [
            Call(
                fund=fund,
                slug=f"bench-{year}-{n}",
                reference_prefix=f"B{year}{n}",
                title_fr=f"Appel {n} de {year}",
                summary_fr="Banc d'essai.",
                envelope=Decimal(1_000_000),
                opens_at=timezone.make_aware(dt.datetime(year, 1 + n, 1)),
                closes_at=timezone.make_aware(dt.datetime(year, 1 + n, 28, 12)),
                published=True,
            )
            for year in YEARS
            for n in range(calls_per_year)
        ]
    )
    applications = 0
    decisions = 0
    for call in Call.objects.filter(fund=fund).order_by("pk"):
        batch = [
            Application(
                call=call,
                organisation_id=rng.choice(organisations),
                lead_id=rng.choice(lead_ids),
                reference=f"{call.reference_prefix}-{n:05d}",
                title=f"Projet {n}",
                genre=rng.choice(genres),
                requested_amount=Decimal(rng.randrange(5_000, 150_000, 500)),
                state="submitted",
                submitted_at=call.closes_at - dt.timedelta(days=rng.randint(0, 20)),
            )
            for n in range(per_call)
        ]
        created = Application.objects.bulk_create(batch, batch_size=1000)
        applications += len(created)
        outcomes = []
        for application in created:
            fate = rng.random()
            if fate > 0.9:
                continue
            award = fate < 0.25
            outcomes.append(
                Decision(
                    application=application,
                    outcome="award" if award else "reject",
                    amount=(application.requested_amount or 0) * Decimal("0.8") if award else 0,
                    status="confirmed",
                    proposed_by=decider,
                    confirmed_by=decider,
                    confirmed_at=call.closes_at + dt.timedelta(days=60),
                )
            )
        Decision.objects.bulk_create(outcomes, batch_size=1000)
        decisions += len(outcomes)
    return {
        "calls": len(calls),
        "applications": applications,
        "decisions": decisions,
        "organisations": len(organisations),
    }


def _spread(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "p50_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[max(0, round(0.95 * len(ordered)) - 1)], 1),
    }


def _timed(client: Any, url: str, repeat: int) -> dict[str, Any]:
    from django.db import connection

    statements: list[str] = []

    def count(execute: Any, sql: str, *args: Any) -> Any:
        statements.append(sql)
        return execute(sql, *args)

    assert client.get(url, secure=True).status_code == 200, url  # warm-up
    with connection.execute_wrapper(count):
        assert client.get(url, secure=True).status_code == 200, url
    # The API's rate limits read and write the cache table: bookkeeping, not the figures.
    queries = [sql for sql in statements if "filiere_cache" not in sql]
    wall_ms, cpu_ms = [], []
    for _ in range(repeat):
        started, cpu = time.perf_counter(), time.process_time()
        client.get(url, secure=True)
        wall_ms.append((time.perf_counter() - started) * 1000)
        cpu_ms.append((time.process_time() - cpu) * 1000)
    return {"queries": len(queries), "wall": _spread(wall_ms), "cpu": _spread(cpu_ms)}


def _case(calls_per_year: int, per_call: int, repeat: int, postgresql: bool) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as var_dir:
        _setup(var_dir, postgresql)
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client
        from django.test.utils import setup_test_environment

        from filiere.observatory.models import Snapshot
        from filiere.observatory.services import execute_refresh, request_refresh

        setup_test_environment()
        if postgresql:
            connection.settings_dict["TEST"]["NAME"] = f"filiere_bench_observatory_{os.getpid()}"
            connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
        else:
            call_command("migrate", verbosity=0)
            call_command("createcachetable", verbosity=0)
        try:
            started = time.perf_counter()
            sizes = _seed(random.Random(SEED), calls_per_year, per_call)
            seed_seconds = time.perf_counter() - started
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            snapshot = request_refresh(by=None)
            statements: list[str] = []

            def count(execute: Any, sql: str, *args: Any) -> Any:
                statements.append(sql)
                return execute(sql, *args)

            started = time.perf_counter()
            with connection.execute_wrapper(count):
                status = execute_refresh(snapshot_id=snapshot.pk)
            refresh_seconds = time.perf_counter() - started
            assert status == "done", Snapshot.objects.get(pk=snapshot.pk).error
            stored = Snapshot.objects.get(pk=snapshot.pk)
            figures = stored.figures or {}
            total = figures["tables"]["years"]["total"]
            client = Client()
            pages = {name: _timed(client, url, repeat) for name, url in PAGES.items()}
            return {
                "database": connection.vendor,
                **sizes,
                "seed_seconds": round(seed_seconds, 1),
                "refresh": {
                    "seconds": round(refresh_seconds, 2),
                    "queries": len(statements),
                    "snapshot_kb": round(len(str(stored.figures)) / 1024),
                },
                "published_total": {
                    "applications": total[0]["v"],
                    "awarded": total[1]["v"],
                    "success_rate": total[2]["v"],
                },
                "pages": pages,
            }
        finally:
            if postgresql:
                connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


def run(quick: bool = False) -> dict[str, Any]:
    sizes = ((2, 50), (2, 200)) if quick else ((2, 100), (10, 1000))
    repeat = 15 if quick else 40
    backends = [False]
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        backends.append(True)
    figures: dict[str, Any] = {"targets": TARGETS}
    for postgresql in backends:
        by_size = {}
        for calls_per_year, per_call in sizes:
            outcome = measure_in_child(_case, calls_per_year, per_call, repeat, postgresql)
            result = outcome["result"]
            result["peak_rss_mb"] = round(outcome["peak_rss_mb"])
            by_size[f"{len(YEARS)}x{calls_per_year}x{per_call}"] = result
        small, large = by_size.values()
        figures[large["database"]] = {
            **by_size,
            "refresh_queries_constant": small["refresh"]["queries"] == large["refresh"]["queries"],
            "page_queries_constant": all(
                small["pages"][name]["queries"] == large["pages"][name]["queries"] for name in PAGES
            ),
            "refresh_under_target": large["refresh"]["seconds"] < TARGETS["refresh_seconds"],
            "page_p95_under_target": max(
                large["pages"][name]["wall"]["p95_ms"] for name in ("page", "page_year")
            )
            < TARGETS["page_p95_ms"],
        }
    return figures
