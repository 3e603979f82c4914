"""Directory search with facets at the demo's size and at 10× it: queries per page and time.

Each scale runs in a fresh spawned process on its own scratch database with DEBUG off: a
temporary SQLite file, and, when ``DATABASE_URL`` points to PostgreSQL, a scratch PostgreSQL
database too (Django's test database, created and dropped). The community demo
(``demo.community.DemoBuilder``, about 300 people and 120 organisations per unit of scale) is
written, then given what the demo does not have yet: 1 to 3 works per person, an availability,
one person in ten keeping a field from visitors (``field_visibility``), 2 to 6 skills of the
vocabulary per organisation; then every search text is built (``search_text.rebuild_all``, timed).

Measured through Django's test client, as a visitor and as a member: the people directory with a
query and three facets (a skill domain, two territories, a language), with a query found in about
a tenth of the profiles, with the three facets without a query,
the organisations directory with a query and three facets, and the API's people search with its
facets; and, for scale, the territories page (no search). For each: the SQL queries of one
request (the API's rate-limit bookkeeping left out), which must be equal at both scales, and the
wall and CPU milliseconds of the whole request (p50, p95 over the repeats, after a warm-up; CPU:
the process's, SQLite's included as it runs in it, PostgreSQL's not), with the machine's load
average before and after the requests. The process is prepared as a gunicorn worker is
(``ops.warm``): its garbage is collected after each response, timed apart
(``collect_after``), as no request waits on it there.

``python -m bench directory_scale`` (1× and 10×) or ``--quick`` (1× and 2×).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import tempfile
import time
import warnings
from typing import Any

from bench.memory import measure_in_child

SEED = 2009
PAGES = {
    "people_query_facets": (
        "/community/people/?q=animateur&skill=animation&territory=mel&territory=wallonia"
        "&language=en"
    ),
    # A word in about a tenth of the profiles (the query above matches nearly all of them).
    "people_query_tenth": "/community/people/?q=rigging",
    "people_facets": "/community/people/?skill=sound-music&territory=mel&language=en",
    "people_all": "/community/people/",
    "organisations_query_facets": (
        "/community/organisations/?q=studio&skill=animation&sector=animation&kind=company"
    ),
    "api_people_query_facets": (
        "/api/v1/people?q=animateur&skill=animation&territory=mel&territory=wallonia&language=en"
    ),
    # A page without search, for scale: what any page costs on the machine of the run.
    "baseline_territories": "/community/territories/",
}


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
    # The API's rate limits would refuse the repeats.
    settings.FILIERE_API_RATE_SIGNED_IN = settings.FILIERE_API_RATE_ANONYMOUS = "100000/m"
    # A visitor's repeat would be answered from the page cache: measured is a search.
    settings.FILIERE_PAGE_CACHE = False


def _enrich(rng: random.Random) -> None:
    """What the community demo does not write yet: works, availability, a field kept from
    visitors now and then, organisations' skills."""
    from filiere.community.models import Availability, Organisation, Person, Skill, Work

    titles = ("Les Oubliés du Nord", "Terrils", "Night Shift", "De Schelde", "Lumière froide")
    roles = ("réalisation", "animation 3D", "sound design", "montage", "lead developer")
    works, people = [], list(Person.objects.all())
    for person in people:
        for position in range(rng.randint(1, 3)):
            works.append(
                Work(
                    person=person,
                    title=f"{rng.choice(titles)} {rng.randint(1, 99)}",
                    year=rng.randint(1995, 2009),
                    role=rng.choice(roles),
                    description="Court métrage d'animation coproduit avec la Wallonie.",
                    position=position,
                )
            )
        person.availability = rng.choice([*Availability.values, ""])
        if rng.random() < 0.1:
            person.field_visibility = {rng.choice(["territory", "languages", "bio"]): "members"}
    Work.objects.bulk_create(works)
    Person.objects.bulk_update(people, ["availability", "field_visibility"], batch_size=500)
    skills = list(Skill.objects.filter(status="curated").values_list("pk", flat=True))
    through = Organisation.skills.through
    through.objects.bulk_create(
        [
            through(organisation_id=pk, skill_id=skill)
            for pk in Organisation.objects.values_list("pk", flat=True)
            for skill in rng.sample(skills, k=rng.randint(2, 6))
        ],
        ignore_conflicts=True,
    )


def _timed(client: Any, url: str, repeat: int) -> dict[str, Any]:
    """SQL queries of one request; wall and CPU milliseconds of ``repeat`` requests (CPU: this
    process's, the database's included on SQLite, which runs in it)."""
    from django.db import connection

    from filiere.ops.warm import after_request

    statements: list[str] = []

    def count(execute: Any, sql: str, *args: Any) -> Any:
        statements.append(sql)
        return execute(sql, *args)

    assert client.get(url, secure=True).status_code == 200, url  # warm-up
    with connection.execute_wrapper(count):
        assert client.get(url, secure=True).status_code == 200, url
    # The API's rate limits read and write the cache table: bookkeeping, not the search.
    queries = [sql for sql in statements if "filiere_cache" not in sql]
    wall_ms, cpu_ms, collect_ms = [], [], []
    for _ in range(repeat):
        started, cpu = time.perf_counter(), time.process_time()
        client.get(url, secure=True)
        wall_ms.append((time.perf_counter() - started) * 1000)
        cpu_ms.append((time.process_time() - cpu) * 1000)
        # What gunicorn's post_request hook does once the response is written.
        started = time.perf_counter()
        after_request()
        collect_ms.append((time.perf_counter() - started) * 1000)
    return {
        "queries": len(queries),
        "wall": _spread(wall_ms),
        "cpu": _spread(cpu_ms),
        "collect_after": _spread(collect_ms),
    }


def _spread(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "p50_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[max(0, round(0.95 * len(ordered)) - 1)], 1),
    }


def _case(scale: int, repeat: int, postgresql: bool) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as var_dir:
        _setup(var_dir, postgresql)
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client
        from django.test.utils import setup_test_environment

        from filiere.accounts.models import User
        from filiere.community.models import Organisation, Person
        from filiere.community.search_text import rebuild_all
        from filiere.demo.community import DemoBuilder
        from filiere.ops.warm import ready_worker

        setup_test_environment()
        if postgresql:
            # A name of its own: the test suite may be using the test database meanwhile.
            connection.settings_dict["TEST"]["NAME"] = f"filiere_bench_directory_{os.getpid()}"
            connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
        else:
            call_command("migrate", verbosity=0)
            call_command("createcachetable", verbosity=0)
        try:
            started = time.perf_counter()
            DemoBuilder(seed=SEED, scale=scale, today=dt.date(2009, 9, 1)).write()
            _enrich(random.Random(SEED))
            seed_seconds = time.perf_counter() - started
            started = time.perf_counter()
            rebuild_all()
            texts_seconds = time.perf_counter() - started
            if postgresql:
                # The statistics autovacuum keeps in production, after thousands of new rows.
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            # As a gunicorn worker (deploy/gunicorn.conf.py, ops/warm.py): views imported,
            # start-up objects (the seeding's included) frozen out of garbage collection, which
            # runs after each response (timed apart: no request waits on it).
            ready_worker()
            load_before = [round(value, 1) for value in os.getloadavg()]
            visitor, member = Client(), Client()
            member.force_login(User.objects.create(email="bench-member@example.org"))
            pages = {}
            for name, url in PAGES.items():
                pages[name] = {
                    "visitor": _timed(visitor, url, repeat),
                    "member": _timed(member, url, repeat),
                }
            return {
                "database": connection.vendor,
                "people": Person.objects.count(),
                "organisations": Organisation.objects.count(),
                "seed_seconds": round(seed_seconds, 1),
                "rebuild_texts_seconds": round(texts_seconds, 2),
                # The machine's load (1, 5, 15 minutes) around the requests: wall times on a
                # shared machine depend on it.
                "load_average": {
                    "before": load_before,
                    "after": [round(value, 1) for value in os.getloadavg()],
                },
                "pages": pages,
            }
        finally:
            if postgresql:
                connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


def run(quick: bool = False) -> dict[str, Any]:
    scales = (1, 2) if quick else (1, 10)
    repeat = 10 if quick else 40
    backends = [False]
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        backends.append(True)
    figures: dict[str, Any] = {}
    for postgresql in backends:
        by_scale = {}
        for scale in scales:
            outcome = measure_in_child(_case, scale, repeat, postgresql)
            by_scale[f"{scale}x"] = outcome["result"]
        small, large = (by_scale[f"{scale}x"] for scale in scales)
        constant = all(
            small["pages"][page][who]["queries"] == large["pages"][page][who]["queries"]
            for page in PAGES
            for who in ("visitor", "member")
        )
        worst = {
            kind: max(
                large["pages"][page][who][kind]["p95_ms"]
                for page in PAGES
                for who in ("visitor", "member")
            )
            for kind in ("wall", "cpu")
        }
        figures[large["database"]] = {
            **by_scale,
            "queries_constant": constant,
            f"worst_p95_ms_at_{scales[-1]}x": worst,
        }
    return figures
