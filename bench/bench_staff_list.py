"""The staff list of a call's applications with 10,000 applications (target: under 300 ms).

Builds a temporary SQLite database (migrations, the community demo, the demo call and
``seed_demo_applications`` scaled to N applications in every state, without files), signs a
staff member in and times the page with Django's test client: the default list, a filtered and
sorted list, a free-text search, a far page and the CSV export of everything. Reports p50/p95
in milliseconds and the number of SQL queries per page (constant: it must not grow with N).

``python -m bench staff_list`` (N = 10,000) or ``--quick`` (N = 1,000).
"""

from __future__ import annotations

import os
import random
import statistics
import tempfile
import time

SIZES = {"full": 10_000, "quick": 1_000}


def _setup(var_dir: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "filiere.settings")
    # Development settings (DEBUG is off unless asked): no HTTPS redirect for the test client.
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ["FILIERE_VAR_DIR"] = var_dir
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()


def _seed(n: int):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.core.management import call_command
    from django.utils import timezone

    from filiere.accounts.models import Role, User
    from filiere.accounts.services import grant_role
    from filiere.demo.applications import seed_demo_applications
    from filiere.demo.community import DemoBuilder

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    DemoBuilder(seed=2009, scale=1.0, today=timezone.localdate()).write()
    from filiere.demo.calls import load_demo_calls

    call = load_demo_calls()[0]
    staff = User.objects.create(email="bench-staff@example.org", first_name="Bench")
    grant_role(user=staff, role=Role.STAFF, by=None)
    TOTP.activate(staff, generate_totp_secret())
    started = time.perf_counter()
    result = seed_demo_applications(call, random.Random(2009), scale=n / 120, with_files=False)
    return call, staff, result.applications, time.perf_counter() - started


def _time(client, url: str, repeat: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm-up: templates, caches
    times = []
    queries = 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            if response.streaming:
                b"".join(response.streaming_content)
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(captured)
    times.sort()
    return {
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 1),
        "max_ms": round(times[-1], 1),
        "queries": queries,
    }


def run(quick: bool = False) -> dict:
    n = SIZES["quick" if quick else "full"]
    with tempfile.TemporaryDirectory() as var_dir:
        _setup(var_dir)
        from django.conf import settings
        from django.test import Client
        from django.test.utils import setup_test_environment

        setup_test_environment()
        settings.ALLOWED_HOSTS = ["testserver"]
        call, staff, count, seed_seconds = _seed(n)
        client = Client()
        client.force_login(staff)
        base = f"/calls/instruction/{call.slug}/"
        repeat = 10 if quick else 30
        pages = {
            "list_default": base + "applications/",
            "list_filtered_sorted": base
            + "applications/?status=eligible&status=under_review&min_amount=20000&sort=-amount",
            "list_text_search": base + "applications/?q=terrils",
            "list_missing_documents": base + "applications/?missing_documents=yes",
            "list_page_100": base + "applications/?page=100&sort=-submitted_at",
        }
        figures: dict = {
            "applications": count,
            "seed_seconds": round(seed_seconds, 2),
            "target_ms": 300,
            "pages": {name: _time(client, url, repeat) for name, url in pages.items()},
        }
        figures["csv_export_all"] = _time(client, base + "export.csv", 3 if quick else 5)
        worst = max(page["p95_ms"] for page in figures["pages"].values())
        figures["worst_p95_ms"] = worst
        figures["under_target"] = worst < 300
        from django.db import connection

        connection.close()
    return figures
