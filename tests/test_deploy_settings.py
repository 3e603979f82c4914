"""Production settings: `check --deploy` is clean and cookies, HSTS and TLS are secure.

The settings module reads the environment at import, so each case runs Django in a subprocess
with the environment production would give it (as `make check-deploy` does).
"""

import json
import os
import secrets
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from filiere.accounts.models import User

PROJECT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "filiere.example.org",
}


def run_django(*args: str, **env: str) -> subprocess.CompletedProcess:
    # The caller's DJANGO_DEBUG never leaks in: each case says what it sets.
    inherited = {name: value for name, value in os.environ.items() if name != "DJANGO_DEBUG"}
    environment = {**inherited, "DJANGO_SETTINGS_MODULE": "filiere.settings", **env}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def settings_values(names: list[str], **env: str) -> dict:
    code = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n, None) for n in {names!r}}}))"
    )
    result = run_django("shell", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def production_settings(**env: str) -> dict:
    names = [
        "DEBUG",
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "CSRF_COOKIE_SECURE",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_CONTENT_TYPE_NOSNIFF",
        "X_FRAME_OPTIONS",
        "SILENCED_SYSTEM_CHECKS",
    ]
    return settings_values(names, **{**PRODUCTION, **env})


def test_check_deploy_is_clean_with_production_settings():
    result = run_django("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues (0 silenced)" in result.stdout


def test_production_cookies_are_secure_and_https_is_enforced_with_hsts():
    values = production_settings()

    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert values["X_FRAME_OPTIONS"] == "DENY"
    assert values["SILENCED_SYSTEM_CHECKS"] == []


def test_check_deploy_fails_when_hsts_is_turned_off():
    result = run_django(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **PRODUCTION,
        DJANGO_SECURE_HSTS_SECONDS="0",
    )

    assert result.returncode != 0
    assert "security.W004" in result.stderr + result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {**PRODUCTION, "DJANGO_SECRET_KEY": ""}

    result = run_django("check", **env)

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_debug_is_off_when_django_debug_is_not_set():
    env = {key: value for key, value in PRODUCTION.items() if key != "DJANGO_DEBUG"}

    values = settings_values(["DEBUG", "SECURE_SSL_REDIRECT"], **env)

    assert values == {"DEBUG": False, "SECURE_SSL_REDIRECT": True}


def test_debug_is_on_only_when_asked():
    assert settings_values(["DEBUG"], DJANGO_DEBUG="1") == {"DEBUG": True}


def test_without_django_debug_or_a_secret_key_the_checks_refuse_to_start():
    result = run_django("check", DJANGO_ALLOWED_HOSTS="filiere.example.org")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


@pytest.mark.django_db
def test_demo_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="--i-know-this-is-not-production"):
        call_command("demo", "--scale", "0.1", stdout=StringIO())

    # Nothing was reset: no demo account exists.
    assert not User.objects.filter(email="applicant@example.org").exists()


@pytest.mark.django_db
def test_demo_runs_with_debug_off_when_told_it_is_not_production(settings):
    settings.DEBUG = False
    out = StringIO()

    call_command("demo", "--scale", "0.1", "--i-know-this-is-not-production", stdout=out)

    assert "Demo loaded" in out.getvalue()
    assert User.objects.filter(email="applicant@example.org").exists()
