"""The production layout's files (deploy/, docs/deploy/layout.md) are complete and consistent
with the app: every environment variable documented, nginx's limits and retries matching the
app's, systemd units that start commands which exist, gunicorn settings gunicorn accepts.

No nginx or systemd is needed: the files are rendered and read here, with the app's own settings
and commands as the reference. The benchmark ``python -m bench deploy_layout`` runs them for real.
"""

from __future__ import annotations

import ast
import importlib.util
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from django.conf import settings
from django.core.management import get_commands
from django.urls import reverse

PROJECT = Path(__file__).resolve().parent.parent.parent
DEPLOY = PROJECT / "deploy"
UNITS = DEPLOY / "systemd"
ENV_EXAMPLE = DEPLOY / "filiere.env.example"
# Set by filiere-app@PORT.service itself, one per app server (checked below).
SET_BY_UNITS = {"FILIERE_BIND"}


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"deploy_{name}", DEPLOY / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


render = _load("render")


def environment_names(source: str) -> set[str]:
    """The environment variables a module reads: ``os.environ.get("X")``, ``os.environ["X"]``,
    ``os.getenv("X")``, the settings' ``env_bool``/``env_list`` helpers, gunicorn's ``_int``,
    render's ``env.get``/``env[...]``, and ``dj_database_url.config()`` (``DATABASE_URL``)."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            name = ast.unparse(node.func)
            if name in {"os.environ.get", "os.getenv", "env_bool", "env_list", "_int", "env.get"}:
                first = node.args[0] if node.args else None
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    found.add(first.value)
            if name == "dj_database_url.config" and not any(k.arg == "env" for k in node.keywords):
                found.add("DATABASE_URL")
        elif (
            isinstance(node, ast.Subscript)
            and ast.unparse(node.value) in {"os.environ", "env"}
            and isinstance(node.slice, ast.Constant)
            and isinstance(node.slice.value, str)
        ):
            found.add(node.slice.value)
    return found


def example() -> dict[str, str]:
    return render.read_env_file(ENV_EXAMPLE)


# --- The environment file ---------------------------------------------------------------------


def test_the_scan_sees_every_way_a_variable_is_read():
    source = (
        'import os\nA = os.environ.get("ONE", "1")\nB = env_bool(\n    "TWO", True)\n'
        'C = os.environ["THREE"]\nD = env_list("FOUR")\nE = dj_database_url.config(default="x")\n'
        'F = int(os.getenv("FIVE") or 0)\n'
    )
    assert environment_names(source) == {"ONE", "TWO", "THREE", "FOUR", "FIVE", "DATABASE_URL"}


@pytest.mark.parametrize(
    "module",
    [
        PROJECT / "src" / "filiere" / "settings.py",
        DEPLOY / "gunicorn.conf.py",
        DEPLOY / "render.py",
    ],
    ids=lambda p: p.name,
)
def test_the_environment_file_lists_every_variable_read(module):
    read = environment_names(module.read_text(encoding="utf-8")) - SET_BY_UNITS
    missing = sorted(read - example().keys())
    assert not missing, f"add {missing} to deploy/filiere.env.example, with what they mean"


def test_the_environment_file_documents_each_variable():
    lines = ENV_EXAMPLE.read_text(encoding="utf-8").splitlines()
    names = [line.split("=", 1)[0] for line in lines if re.match(r"^[A-Z][A-Z0-9_]*=", line)]
    assert len(names) == len(set(names)), "a variable listed twice"
    assert {"DJANGO_SECRET_KEY", "DATABASE_URL", "DJANGO_ALLOWED_HOSTS"} <= set(names)
    assert example()["DJANGO_DEBUG"] == "0"


def test_the_environment_file_passes_check_deploy(tmp_path):
    """Django's deployment checks are clean with the example's values (a secret filled in)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "FILIERE_"))}
    env.pop("DATABASE_URL", None)
    env.update(example())
    env.update(
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_STATIC_ROOT=str(tmp_path / "static"),
        DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
        FILIERE_VAR_DIR=str(tmp_path / "var"),
        PYTHONPATH=str(PROJECT / "src"),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


# --- nginx ------------------------------------------------------------------------------------


def rendered(tmp_path: Path, **overrides: str) -> dict[str, str]:
    mapping = render.values({**example(), **overrides}, settings, tmp_path)
    return {
        name: render.render(template.read_text(encoding="utf-8"), mapping)
        for name, template in render.TEMPLATES.items()
    }


def blocks(text: str) -> str:
    """Comments out; every statement ends with ; { or }, and braces balance."""
    body = "\n".join(line.split("#", 1)[0].rstrip() for line in text.splitlines())
    depth = 0
    for line in filter(None, (line.strip() for line in body.splitlines())):
        assert line.endswith((";", "{", "}")), f"unterminated: {line!r}"
        depth += line.count("{") - line.count("}") if "${" not in line else 0
        assert depth >= 0, line
    assert depth == 0
    return body


def locations(text: str) -> dict[str, str]:
    """``location`` argument → its block (no nested blocks in ours)."""
    return {
        match.group(1).strip(): match.group(2)
        for match in re.finditer(r"^location\s+(.+?)\s*\{$(.*?)^\}", text, re.S | re.M)
    }


def test_the_nginx_templates_render_completely(tmp_path):
    files = rendered(tmp_path)
    for text in files.values():
        assert not render.PLACEHOLDER.search(text)
        blocks(text)
    site = files["sites-available/filiere.conf"]
    assert "server 127.0.0.1:8001 max_fails=1" in site
    assert "server 127.0.0.1:8002 max_fails=1" in site
    assert f"include {tmp_path / 'snippets' / 'filiere-locations.conf'};" in site


def test_nginx_needs_two_app_servers(tmp_path):
    with pytest.raises(ValueError, match="two or more"):
        rendered(tmp_path, FILIERE_APP_PORTS="8001")


def test_an_unknown_placeholder_stops_the_rendering():
    with pytest.raises(KeyError, match="NOPE"):
        render.render("listen @NOPE@;", {})


def test_nginx_accepts_every_body_the_app_accepts(tmp_path):
    text = rendered(tmp_path)["snippets/filiere-locations.conf"]
    size = re.search(r"^client_max_body_size (\d+)m;$", text, re.M)
    assert size
    limit = int(size.group(1)) * 1024 * 1024
    assert limit >= settings.FILIERE_MAX_BODY_BYTES
    assert limit >= max(settings.FILIERE_UPLOAD_BODY_LIMITS.values())
    # …and not much more: a whole mebibyte above the largest page's limit at most.
    assert limit - max(settings.FILIERE_UPLOAD_BODY_LIMITS.values()) < 1024 * 1024


def test_nginx_serves_static_files_but_never_uploads(tmp_path):
    found = locations(rendered(tmp_path)["snippets/filiere-locations.conf"])
    assert f"alias {str(settings.STATIC_ROOT).rstrip('/')}/;" in found["/static/"]
    assert settings.STATIC_URL == "/static/"
    assert "return 404;" in found["/media/"]
    assert str(settings.MEDIA_ROOT) not in "".join(found.values())


def test_nginx_stamps_the_arrival_and_forwards_the_client(tmp_path):
    found = locations(rendered(tmp_path)["snippets/filiere-locations.conf"])
    proxied = [block for block in found.values() if "proxy_pass" in block]
    assert len(proxied) == 2
    for block in proxied:
        assert 'proxy_set_header X-Request-Start "t=${msec}";' in block
        assert "proxy_set_header X-Request-ID $request_id;" in block
        assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in block
        assert "proxy_set_header X-Forwarded-Proto $scheme;" in block
        assert "proxy_set_header Host $http_host;" in block
        # gunicorn answers its own timeout (30 s) before nginx gives up; a submission queued in
        # a deadline rush is waited for longer (judged on its stamped arrival).
        assert re.search(r"proxy_read_timeout (60|300)s;", block)


def test_only_submissions_are_resent_to_the_other_app_server(tmp_path):
    """A POST already sent is resent (non_idempotent) only where the service is idempotent:
    submitting an application (the row lock and the state check: the second is refused as
    already submitted). Any other POST would be done twice."""
    found = locations(rendered(tmp_path)["snippets/filiere-locations.conf"])
    resending = [arg for arg, block in found.items() if "non_idempotent" in block]
    assert len(resending) == 1
    pattern = re.compile(resending[0].removeprefix("~").strip().strip('"'))
    page = reverse("calls:application_submit", kwargs={"pk": 12})
    assert pattern.match(page), page
    assert pattern.match("/en" + page)
    assert pattern.match("/api/v1/applications/12/submit")
    for other in (
        "/calls/my/12/resubmit/",
        "/en/calls/my/12/messages/",
        "/api/v1/applications/12/withdraw",
        "/en/calls/my/12/submit/extra",
    ):
        assert not pattern.match(other), other
    assert "proxy_next_upstream error timeout;" in found["/"]
    assert "proxy_read_timeout 60s;" in found["/"]
    assert "proxy_read_timeout 300s;" in found[resending[0]]


# --- gunicorn ---------------------------------------------------------------------------------


def gunicorn_settings(**env: str) -> dict:
    code = (
        "import json, runpy; ns = runpy.run_path('deploy/gunicorn.conf.py'); "
        "print(json.dumps({k: v for k, v in ns.items() if not k.startswith('_') "
        "and isinstance(v, (str, int, bool, type(None)))}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    import json

    return json.loads(result.stdout)


def test_gunicorn_runs_threads_and_accepts_only_what_they_serve():
    values = gunicorn_settings(GUNICORN_WORKERS="5", GUNICORN_THREADS="6", FILIERE_BIND="x:9")
    assert values["worker_class"] == "gthread"
    assert (values["workers"], values["threads"]) == (5, 6)
    # A killed worker takes the requests it runs, never a queue of accepted connections.
    assert values["worker_connections"] == values["threads"]
    assert values["bind"] == "x:9"
    assert values["control_socket_disable"] is True
    assert values["timeout"] < 60  # nginx's proxy_read_timeout


def test_gunicorn_knows_every_setting_of_the_file():
    from gunicorn.config import Config

    config = Config()
    for name, value in gunicorn_settings().items():
        config.set(name, value)  # AttributeError for a name gunicorn does not know


# --- systemd ----------------------------------------------------------------------------------


def unit(path: Path) -> dict[str, list[tuple[str, str]]]:
    sections: dict[str, list[tuple[str, str]]] = {}
    current = None
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            current = line.strip("[]")
            sections[current] = []
            continue
        key, sep, value = line.partition("=")
        assert sep and current, f"{path.name}: {line!r}"
        sections[current].append((key, value))
    return sections


def values_of(sections, section: str, key: str) -> list[str]:
    return [value for k, value in sections.get(section, []) if k == key]


SERVICES = sorted(UNITS.glob("*.service"))
TIMERS = sorted(UNITS.glob("*.timer"))


def check_command(command: str, instance: str = "") -> None:
    """The program exists in the project (the venv's, a deploy script, a Django command)."""
    words = command.replace("%i", instance).split()
    program = words[0]
    if program.startswith("/srv/filiere/.venv/bin/"):
        assert (Path(sys.executable).parent / Path(program).name).exists(), program
    else:
        assert Path(program).exists(), program
    if Path(program).name == "python":
        script = words[1]
        assert (PROJECT / script).exists(), script
        if script == "manage.py" and words[2] != "%i":
            assert words[2] in get_commands(), words[2]
    for word in words:
        if word.startswith("/srv/filiere/") and "/.venv/" not in word:
            assert (PROJECT / word.removeprefix("/srv/filiere/")).exists(), word


@pytest.mark.parametrize("path", SERVICES, ids=lambda p: p.name)
def test_each_service_starts_a_command_that_exists(path):
    sections = unit(path)
    commands = values_of(sections, "Service", "ExecStart") + values_of(
        sections, "Service", "ExecStartPre"
    )
    assert commands
    # An instance of each template: a number, or for filiere-command@ a command's name.
    instance = "scan_pending_files" if path.name == "filiere-command@.service" else "1"
    for command in commands:
        check_command(command, instance)
    assert values_of(sections, "Service", "EnvironmentFile") == ["/etc/filiere/filiere.env"]
    assert values_of(sections, "Service", "User") == ["filiere"]
    assert values_of(sections, "Service", "WorkingDirectory") == ["/srv/filiere"]


def test_the_app_servers_and_workers_restart_and_stop_gracefully():
    app = unit(UNITS / "filiere-app@.service")
    assert values_of(app, "Service", "Environment") == ["FILIERE_BIND=127.0.0.1:%i"]
    assert values_of(app, "Service", "Restart") == ["always"]
    worker = unit(UNITS / "filiere-worker@.service")
    assert values_of(worker, "Service", "Restart") == ["always"]
    assert "--worker-id filiere-worker-%i" in values_of(worker, "Service", "ExecStart")[0]
    # The interrupted task of the same worker id is queued again before it starts.
    assert values_of(worker, "Service", "ExecStartPre")[0].endswith(
        "deploy/requeue_interrupted.py filiere-worker-%i"
    )
    migrate = [
        c.split()[2]
        for c in values_of(unit(UNITS / "filiere-migrate.service"), "Service", "ExecStart")
    ]
    assert migrate == ["migrate", "createcachetable", "collectstatic", "check"]


@pytest.mark.parametrize("path", TIMERS, ids=lambda p: p.name)
def test_each_timer_runs_an_existing_command(path):
    target = values_of(unit(path), "Timer", "Unit")
    assert len(target) == 1
    match = re.fullmatch(r"filiere-command@(\w+)\.service", target[0])
    assert match, target
    assert match.group(1) in get_commands()
    assert values_of(unit(path), "Timer", "OnCalendar")


def test_files_are_scanned_again_after_an_antivirus_outage():
    targets = [values_of(unit(path), "Timer", "Unit")[0] for path in TIMERS]
    assert "filiere-command@scan_pending_files.service" in targets


# --- A task worker's restart ------------------------------------------------------------------


@pytest.mark.django_db
def test_a_restarted_worker_queues_again_the_task_it_was_running():
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    requeue = _load("requeue_interrupted").requeue

    def row(status: str, workers: list[str]) -> DBTaskResult:
        return DBTaskResult.objects.create(
            status=status,
            args_kwargs={"args": [], "kwargs": {"submission_id": 1}},
            task_path="filiere.calls.tasks.send_receipt",
            worker_ids=workers,
            backend_name="default",
            run_after=timezone.now(),
            started_at=timezone.now() if status != "READY" else None,
        )

    cut = row("RUNNING", ["filiere-worker-2", "filiere-worker-1"])
    other = row("RUNNING", ["filiere-worker-2"])  # the other worker's: it is alive
    done = row("SUCCESSFUL", ["filiere-worker-1"])
    assert requeue("filiere-worker-1") == 1
    cut.refresh_from_db()
    assert (cut.status, cut.started_at) == ("READY", None)
    assert DBTaskResult.objects.get(pk=other.pk).status == "RUNNING"
    assert DBTaskResult.objects.get(pk=done.pk).status == "SUCCESSFUL"
    assert requeue("filiere-worker-1") == 0
