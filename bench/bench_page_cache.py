"""Public pages with the page cache off and on, side by side: server CPU per request.

For each database (a scratch SQLite file; and PostgreSQL when ``DATABASE_URL`` or
``FILIERE_BENCH_DATABASE_URL`` points to one: a scratch database, created and dropped), a child
process writes the demo (``manage.py demo``) under production settings (DEBUG off, collected
static files), then starts two ``gunicorn filiere.wsgi -w 1`` servers on loopback, one with
``FILIERE_PAGE_CACHE=0`` and one with ``=1``, and sends each public page to both in turn, as an
anonymous visitor without cookies (as the probe's ``--public-url`` does): a warm-up, then
``repeat`` requests one after the other. Per page and server: the worker's CPU milliseconds per
request (its threads' run time from ``/proc/<pid>/task/*/schedstat``; on SQLite the database's
work is in it, PostgreSQL's own processes are not) and the wall-clock p50, with the ratio.

``python -m bench page_cache`` (300 requests per page and server) or ``--quick`` (60).
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PAGES = {
    "home": "/",
    "calls": "/calls/",
    "call": "/calls/call/{slug}/",
    "call_en": "/en/calls/call/{slug}/",
    "directory": "/community/people/",
    "organisations": "/community/organisations/",
    "observatory": "/observatory/",
    "open_data": "/open-data/",
}
WARMUP = 10
GUNICORN = [sys.executable, "-m", "gunicorn", "filiere.wsgi", "-w", "1", "--log-level", "warning"]


def run(quick: bool = False) -> dict[str, Any]:
    databases = {"sqlite": ""}
    server_url = os.environ.get("FILIERE_BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL", "")
    if server_url.startswith("postgres"):
        databases["postgresql"] = server_url
    figures: dict[str, Any] = {}
    for name, url in databases.items():
        with tempfile.TemporaryDirectory(prefix="filiere-page-cache-") as tmp:
            out = Path(tmp) / "figures.json"
            command = [sys.executable, "-m", "bench.bench_page_cache", name, url, str(out)]
            command += ["--quick"] if quick else []
            child = subprocess.run(command, cwd=ROOT, check=False)
            figures[name] = (
                json.loads(out.read_text()) if child.returncode == 0 else {"failed": True}
            )
    return figures


# --- The child: one database, two servers ---------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat[stat.rindex(")") + 2 :].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _cpu_ns(pid: int) -> int:
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            total += int((task / "schedstat").read_text().split()[0])
        except OSError:
            continue
    return total


class Server:
    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = _free_port()
        with log.open("ab") as handle:
            self.process = subprocess.Popen(
                [*GUNICORN, "-b", f"127.0.0.1:{self.port}"],
                cwd=ROOT,
                env=env,
                stdout=handle,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.worker = 0

    def ready(self) -> None:
        for _ in range(300):
            workers = _children(self.process.pid)
            if workers:
                try:
                    if _get(self.port, "/")[0] == 200:
                        self.worker = workers[0]
                        return
                except OSError:
                    pass
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer")

    def stop(self) -> None:
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(self.process.pid, signal.SIGKILL)


def _get(port: int, path: str) -> tuple[int, bytes]:
    """One request on its own connection, as gunicorn's sync worker answers them."""
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode()
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    answer = b"".join(chunks)
    return int(answer[9:12]), answer


def _measure(server: Server, path: str, repeat: int) -> dict[str, float]:
    for _ in range(WARMUP):
        status, _answer = _get(server.port, path)
        if status != 200:
            raise RuntimeError(f"{path}: {status}")
    walls = []
    before = _cpu_ns(server.worker)
    for _ in range(repeat):
        started = time.perf_counter()
        _get(server.port, path)
        walls.append(time.perf_counter() - started)
    cpu = (_cpu_ns(server.worker) - before) / repeat / 1e6
    return {"cpu_ms": round(cpu, 2), "wall_p50_ms": round(statistics.median(walls) * 1000, 2)}


def _scratch_postgresql(server_url: str) -> tuple[str, str]:
    parts = urlsplit(server_url)
    name = f"filiere_bench_pages_{os.getpid()}"
    return urlunsplit(parts._replace(path="/postgres")), urlunsplit(parts._replace(path=f"/{name}"))


def _admin(admin_url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(statement)


def child(database: str, server_url: str, out: Path, quick: bool) -> int:
    tmp = Path(tempfile.mkdtemp(prefix="filiere-page-cache-"))
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "src"),
        "DJANGO_SETTINGS_MODULE": "filiere.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_STATIC_ROOT": str(tmp / "static"),
        "FILIERE_VAR_DIR": str(tmp / "var"),
    }
    env.pop("DATABASE_URL", None)
    admin_url = ""
    if database == "postgresql":
        admin_url, env["DATABASE_URL"] = _scratch_postgresql(server_url)
        _admin(admin_url, f'CREATE DATABASE "{urlsplit(env["DATABASE_URL"]).path[1:]}"')
    servers: list[Server] = []
    try:
        manage = [sys.executable, "manage.py"]
        for step in (
            ["collectstatic", "--noinput", "-v0"],
            ["migrate", "-v0"],
            ["createcachetable"],
            ["demo", "--i-know-this-is-not-production"],
        ):
            subprocess.run(manage + step, cwd=ROOT, env=env, check=True, capture_output=True)
        os.environ.pop("DATABASE_URL", None)
        os.environ.update(env)  # the servers' settings here too (the slug, the backend's name)
        sys.path.insert(0, str(ROOT / "src"))
        import django

        django.setup()
        from django.conf import settings
        from django.utils import timezone

        from filiere.calls.models import Call

        now = timezone.now()
        slug = (
            Call.objects.filter(published=True, opens_at__lte=now, closes_at__gt=now)
            .values_list("slug", flat=True)
            .first()
        ) or Call.objects.filter(published=True).values_list("slug", flat=True)[0]
        for enabled in ("0", "1"):
            servers.append(Server({**env, "FILIERE_PAGE_CACHE": enabled}, tmp / "gunicorn.log"))
        for server in servers:
            server.ready()
        repeat = 60 if quick else 300
        rows: dict[str, Any] = {}
        for name, path in PAGES.items():
            off, on = (_measure(server, path.format(slug=slug), repeat) for server in servers)
            rows[name] = {
                "path": path.format(slug=slug),
                "cache_off": off,
                "cache_on": on,
                "cpu_ratio_off_to_on": round(off["cpu_ms"] / max(on["cpu_ms"], 0.01), 1),
            }
        rows["_setup"] = {
            "requests_per_page_and_server": repeat,
            "server": "gunicorn -w 1 (sync), DEBUG off",
            "page_cache": settings.CACHES["pages"]["BACKEND"].rsplit(".", 1)[-1],
            "load_average": [round(x, 2) for x in os.getloadavg()],
        }
        out.write_text(json.dumps(rows, indent=2), encoding="utf-8")
        return 0
    finally:
        for server in servers:
            server.stop()
        if admin_url:
            from django.db import connections

            connections.close_all()
            name = urlsplit(env["DATABASE_URL"]).path[1:]
            _admin(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    arguments = sys.argv[1:]
    sys.exit(child(arguments[0], arguments[1], Path(arguments[2]), "--quick" in arguments))
