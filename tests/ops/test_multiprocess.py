"""Several app server processes: with PROMETHEUS_MULTIPROC_DIR, one scrape adds up the requests
every process counted (docs/deploy/monitoring.md)."""

import os
import subprocess
import sys

from prometheus_client.parser import text_string_to_metric_families

COUNT = """
import django
django.setup()
from filiere.ops import metrics
metrics.observe(method="GET", route="ui:home", status=200, seconds=0.02)
"""
SCRAPE = """
import sys
import django
django.setup()
from filiere.ops import metrics
sys.stdout.write(metrics.exposition().decode())
"""


def _python(code: str, env: dict) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


def test_a_scrape_adds_up_the_requests_of_every_process(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        "DJANGO_SETTINGS_MODULE": "filiere.settings",
        "DJANGO_DEBUG": "1",
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"),
        "FILIERE_VAR_DIR": str(tmp_path / "var"),  # no database there: the scrape says so
    }
    (tmp_path / "metrics").mkdir()

    for _ in range(2):  # two app server processes, one request each
        _python(COUNT, env)
    text = _python(SCRAPE, env)

    families = {f.name: f for f in text_string_to_metric_families(text)}
    (requests,) = families["filiere_http_requests"].samples
    assert requests.labels == {"method": "GET", "route": "ui:home", "status": "2xx"}
    assert requests.value == 2
    assert families["filiere_database_up"].samples[0].value == 0
