"""The production layout on loopback (docs/deploy/layout.md), with an app server, a task worker
and clamd killed under load.

``python -m bench deploy_layout`` (``--quick``: 100 + 20 clients) starts, from Debian's packages
and the project's venv, with the files the project ships in ``deploy/``:

- a throwaway PostgreSQL cluster (``initdb`` into a temporary folder, its own port; as root it
  runs as the ``postgres`` user), migrated, with one call and N + M complete applications whose
  leads are signed in (the seeding of ``bench_deadline_rush``);
- a mail sink (a minimal SMTP server in this process) that records every e-mail;
- clamd (Debian's ``clamav-daemon``) with a one-line signature database;
- two gunicorn app servers (``deploy/gunicorn.conf.py``), two ``db_worker`` task workers, and
  nginx (Debian's) with ``deploy/nginx/filiere-locations.conf.in`` rendered by
  ``deploy/render.py``, on plain HTTP on loopback.

Then:

1. **the rush**: the call closes a few seconds ahead; N submissions reach nginx during the last
   ``FILIERE_BENCH_WINDOW_S`` seconds (default 2) before the deadline and M after it; half-way
   through the first burst one whole app server (master and workers) is killed with SIGKILL, and
   started again 1 s later as systemd would. Counted from the responses, nginx's access log
   (arrival times) and the database: acknowledged-and-lost, in-time refused, late accepted, 5xx,
   duplicates;
2. **the task worker**: while the receipts of the rush are being e-mailed, one worker is killed
   with SIGKILL and started again; the queue must drain, each receipt be sent once;
3. **clamd**: killed while uploads wait for their scan (their scans fail, files stay blocked),
   started again, then ``scan_pending_files`` (the layout's timer) runs; every file must end
   with a verdict (clean, or infected for the test signature).

Every process runs in its own session and is stopped (its whole group) at the end, also on
failure; the temporary folder goes with the cluster. nginx is installed with apt-get when it is
missing and this runs as root (``nginx-light``), as ``make system-deps`` does for the tests.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import email.parser
import hashlib
import json
import math
import os
import random
import secrets
import shutil
import signal
import socket
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZES = {"full": (1_000, 200), "quick": (100, 20)}
APP_SERVERS = 2
TASK_WORKERS = 2
GUNICORN_WORKERS, GUNICORN_THREADS = 2, 4
CHILD_TIMEOUT_S = 1500.0
REQUEST_TIMEOUT_S = 300.0  # a browser waits 5 minutes; so does nginx for a submission
AFTER_DELAY_S = 0.3
DRAIN_TIMEOUT_S = 300.0
SEED = 2013
SCAN_FILES = 20  # uploads waiting for the antivirus when clamd dies; 2 carry the test signature
EICAR_MARKER = b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE"


def run(quick: bool = False) -> dict:
    """Run the layout in a child process (its own settings and processes); return its figures."""
    with tempfile.TemporaryDirectory(prefix="filiere-layout-") as tmp:
        out = Path(tmp) / "figures.json"
        command = [sys.executable, "-m", "bench.bench_deploy_layout", "--child", str(out)]
        if quick:
            command.append("--quick")
        child = subprocess.Popen(command, cwd=ROOT)
        try:
            code = child.wait(timeout=CHILD_TIMEOUT_S)
        except (subprocess.TimeoutExpired, KeyboardInterrupt):
            child.terminate()  # its finally stops every process of the layout
            try:
                child.wait(timeout=60)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait(timeout=10)
            raise SystemExit("deploy_layout: stopped (time limit or interrupt)") from None
        if code != 0 or not out.exists():
            raise SystemExit(f"deploy_layout: failed (exit status {code}), see above")
        figures = json.loads(out.read_text(encoding="utf-8"))
    if not figures["invariants_hold"]:
        print("deploy_layout: INVARIANTS VIOLATED:", figures["violations"], file=sys.stderr)
    return figures


# --- Processes ----------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Proc:
    """A process in its own session: stopping it stops its whole group."""

    def __init__(
        self,
        name: str,
        command: list[str],
        env: dict,
        log: Path,
        cwd: Path = ROOT,
        pre: list[str] | None = None,
    ) -> None:
        self.name, self.command, self.env, self.log_path = name, command, env, log
        self.cwd = cwd
        self.pre = pre  # run to its end first, as systemd's ExecStartPre
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        with self.log_path.open("ab") as log:
            if self.pre:
                subprocess.run(
                    self.pre, cwd=self.cwd, env=self.env, stdout=log, stderr=log, check=True
                )
            self.process = subprocess.Popen(
                self.command,
                cwd=self.cwd,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL to the whole group: the process and every child, no goodbye."""
        if self.alive():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 20) -> None:
        if not self.alive():
            return
        try:
            os.killpg(self.process.pid, sig)
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
        except ProcessLookupError:
            pass

    def log(self, tail: int = 3000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-tail:]
        except OSError:
            return ""


def _wait(check, what: str, timeout: float, proc: Proc | None = None, step: float = 0.1) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if proc is not None and not proc.alive():
            raise RuntimeError(f"{what}: {proc.name} exited\n{proc.log()}")
        with contextlib.suppress(OSError):
            if check():
                return time.monotonic() - started
        time.sleep(step)
    raise RuntimeError(f"{what}: not ready within {timeout:.0f} s\n{proc.log() if proc else ''}")


def _http_ok(port: int, path: str = "/en/") -> bool:
    with socket.create_connection(("127.0.0.1", port), timeout=2) as sock:
        sock.sendall(
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode()
        )
        return sock.recv(12).startswith(b"HTTP/1.1 ")


class Postgres:
    """A throwaway cluster of Debian's PostgreSQL, trust on loopback, in ``directory``."""

    def __init__(self, directory: Path) -> None:
        versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=_version)
        if not versions:
            raise SystemExit("deploy_layout: PostgreSQL is missing (apt-get install postgresql)")
        self.bin = versions[-1].parent
        self.directory = directory
        self.data = directory / "data"
        self.port = _free_port()
        as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.prefix = as_postgres
        self.proc = Proc(
            "postgres",
            [
                *as_postgres,
                str(self.bin / "postgres"),
                "-D",
                str(self.data),
                "-p",
                str(self.port),
                "-k",
                str(directory),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                "max_connections=200",
            ],
            dict(os.environ),
            directory.parent / "postgres.log",
            cwd=directory,  # the postgres user may not enter the project's folder
        )

    def url(self, database: str) -> str:
        return f"postgres://filiere@127.0.0.1:{self.port}/{database}"

    def start(self) -> float:
        started = time.monotonic()
        self.directory.mkdir()
        if self.prefix:
            shutil.chown(self.directory, "postgres", "postgres")
        subprocess.run(
            [
                *self.prefix,
                str(self.bin / "initdb"),
                "-D",
                str(self.data),
                "-U",
                "filiere",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-locale",
            ],
            check=True,
            cwd=self.directory,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        self.proc.start()
        import psycopg

        def ready() -> bool:
            try:
                psycopg.connect(self.url("postgres"), connect_timeout=2).close()
            except psycopg.OperationalError:
                return False
            return True

        _wait(ready, "PostgreSQL", 60, self.proc, 0.2)
        with psycopg.connect(self.url("postgres"), autocommit=True) as connection:
            connection.execute('CREATE DATABASE "filiere_deploy"')
        return time.monotonic() - started

    def stop(self) -> None:
        self.proc.stop(signal.SIGINT, 30)  # fast shutdown


def _version(path: Path) -> tuple[int, ...]:
    return tuple(int(p) for p in path.parent.parent.name.split(".") if p.isdigit())


class Clamd:
    """Debian's clamd on a unix socket, with one signature (the EICAR test string)."""

    def __init__(self, directory: Path) -> None:
        directory.mkdir()
        self.directory = directory
        self.socket_path = str(directory / "clamd.sock")
        (directory / "filiere.ndb").write_text(
            f"Filiere.Bench.EICAR:0:*:{EICAR_MARKER.hex()}\n", encoding="ascii"
        )
        lines = [
            f"LocalSocket {self.socket_path}",
            f"DatabaseDirectory {directory}",
            "Foreground yes",
            f"PidFile {directory / 'clamd.pid'}",
            "SelfCheck 0",
        ]
        if os.geteuid() == 0:
            lines.append("User root")
        (directory / "clamd.conf").write_text("\n".join(lines) + "\n", encoding="ascii")
        binary = shutil.which("clamd") or "/usr/sbin/clamd"
        if not Path(binary).exists():
            raise SystemExit("deploy_layout: clamd is missing (apt-get install clamav-daemon)")
        self.proc = Proc(
            "clamd",
            [binary, "-c", str(directory / "clamd.conf")],
            dict(os.environ),
            directory.parent / "clamd.log",
        )

    def start(self) -> float:
        from filiere.calls.services.scanning import ClamdClient

        self.proc.start()
        client = ClamdClient(socket_path=self.socket_path, timeout=2)
        return _wait(client.ping, "clamd", 60, self.proc)


# --- The mail sink ------------------------------------------------------------------------------


class MailSink(socketserver.ThreadingTCPServer):
    """Just enough SMTP for Django's backend; every message is kept (headers parsed)."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _SmtpSession)
        self.messages: list[dict] = []
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self.server_address[1]


class _SmtpSession(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        self.wfile.write(b"220 sink\r\n")
        recipients: list[str] = []
        while line := self.rfile.readline():
            verb = line[:4].upper()
            if verb in (b"EHLO", b"HELO"):
                self.wfile.write(b"250 sink\r\n")
            elif verb == b"MAIL":
                recipients = []
                self.wfile.write(b"250 ok\r\n")
            elif verb == b"RCPT":
                recipients.append(line.decode().split(":", 1)[1].strip().strip("<>"))
                self.wfile.write(b"250 ok\r\n")
            elif verb == b"DATA":
                self.wfile.write(b"354 go\r\n")
                data = bytearray()
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data += chunk
                if not chunk:  # cut before the end of the message: not delivered
                    return
                headers = email.parser.BytesHeaderParser().parsebytes(bytes(data))
                sink: MailSink = self.server  # type: ignore[assignment]
                with sink.lock:
                    sink.messages.append(
                        {"to": recipients, "subject": str(headers.get("Subject", ""))}
                    )
                self.wfile.write(b"250 queued\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:  # RSET, NOOP
                self.wfile.write(b"250 ok\r\n")


# --- nginx --------------------------------------------------------------------------------------

NGINX_MAIN = """\
daemon off;
worker_processes 2;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
{user}
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    # The arrival time ($msec, as in X-Request-Start) and who answered, per request.
    log_format bench '$msec|$status|$request_method|$request_uri|$upstream_addr|'
                     '$upstream_status|$request_time|$http_x_bench_id';
    access_log {tmp}/access.log bench;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    upstream filiere_app {{
{upstream}
    }}
    server {{
        listen 127.0.0.1:{port};
        server_name 127.0.0.1;
        include {tmp}/filiere-locations.conf;
    }}
}}
"""


def _nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "")
    if found:
        return found
    if os.geteuid() != 0:
        raise SystemExit("deploy_layout: nginx is missing (sudo apt-get install nginx-light)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "nginx-light"],
        check=True,
        env=env,
    )
    # Debian starts the packaged service on port 80: the bench uses its own nginx only.
    subprocess.run(["service", "nginx", "stop"], check=False, capture_output=True)
    return "/usr/sbin/nginx"


def _write_nginx(tmp: Path, env: dict, ports: list[int], listen: int) -> Path:
    sys.path.insert(0, str(ROOT / "deploy"))
    import render  # deploy/render.py, as the documented set-up runs it
    from django.conf import settings

    mapping = render.values({**env, "FILIERE_APP_PORTS": ",".join(map(str, ports))}, settings, tmp)
    template = (ROOT / "deploy" / "nginx" / "filiere-locations.conf.in").read_text()
    (tmp / "filiere-locations.conf").write_text(render.render(template, mapping))
    main = NGINX_MAIN.format(
        tmp=tmp,
        user="user root;" if os.geteuid() == 0 else "",
        upstream=mapping["UPSTREAM_SERVERS"],
        port=listen,
    )
    path = tmp / "nginx.conf"
    path.write_text(main)
    return path


@dataclass
class Arrival:
    at: float
    status: int
    upstreams: str


def _arrivals(access_log: Path) -> dict[tuple[str, str], Arrival]:
    """(bench id, method) → the first request's arrival time, status and upstream(s) tried."""
    found: dict[tuple[str, str], Arrival] = {}
    for line in access_log.read_text(errors="replace").splitlines():
        parts = line.split("|")
        if len(parts) != 8 or parts[7] == "-":
            continue
        key = (parts[7], parts[2])
        # $msec is when the line is written (the answer sent): arrival = $msec - $request_time.
        arrived = float(parts[0]) - float(parts[6])
        found.setdefault(key, Arrival(arrived, int(parts[1]), parts[4]))
    return found


# --- The rush -----------------------------------------------------------------------------------


async def _submit(port: int, applicant, bench_id: str):
    from bench import bench_deadline_rush as rush

    body = f"csrfmiddlewaretoken={applicant.csrf_token}"
    request = rush._request(
        "POST", rush._submit_path(applicant), port, applicant.cookies, body
    ).replace(b"\r\n", f"\r\nX-Bench-Id: {bench_id}\r\n".encode(), 1)
    sent = time.time()
    try:
        reply = await rush._exchange(port, request, REQUEST_TIMEOUT_S)
    except rush.ConnectionCut as error:
        return rush.Attempt(sent, time.time(), "cut", message=str(error))
    except TimeoutError:
        return rush.Attempt(sent, time.time(), "timeout")
    answered = time.time()
    location = reply.header("location")
    if reply.status == 302 and location.endswith("/receipt/"):
        return rush.Attempt(sent, answered, "accepted", 302)
    if reply.status == 302 and location.endswith("/edit/review/"):
        cookies = {**applicant.cookies, **reply.cookies()}
        try:
            page = await rush._exchange(
                port, rush._request("GET", location, port, cookies), REQUEST_TIMEOUT_S
            )
        except (rush.ConnectionCut, TimeoutError) as error:
            return rush.Attempt(sent, answered, "refused_unread", 302, str(error))
        for outcome, text in rush._MESSAGES.items():
            if text in page.body:
                return rush.Attempt(sent, answered, outcome, 302)
        notices = b" | ".join(rush._NOTICE.findall(page.body)).decode(errors="replace")
        return rush.Attempt(sent, answered, "refused_other", 302, notices[:200])
    return rush.Attempt(sent, answered, f"http_{reply.status}", reply.status, location)


async def _rush(port: int, apps: list[Proc], applicants, closes_at: float, window: float, rng):
    from bench import bench_deadline_rush as rush

    loop = asyncio.get_running_loop()

    def at(wall: float) -> float:
        return loop.time() + (wall - time.time())

    release = closes_at - window
    offsets = {
        a.index: (AFTER_DELAY_S + rng.uniform(0, 0.5)) if a.late else rng.uniform(0, window * 0.9)
        for a in applicants
    }
    in_flight = 0
    kill: dict = {}

    async def client(applicant) -> rush.Outcome:
        nonlocal in_flight
        outcome = rush.Outcome(applicant)
        start = closes_at if applicant.late else release
        await asyncio.sleep(max(0.0, at(start + offsets[applicant.index]) - loop.time()))
        for attempt_no in range(2):  # a cut connection is retried once, as a person would
            in_flight += 1
            try:
                attempt = await _submit(port, applicant, f"{applicant.index}.{attempt_no}")
            finally:
                in_flight -= 1
            outcome.attempts.append(attempt)
            if attempt.outcome != "cut":
                break
        return outcome

    async def killer() -> None:
        await asyncio.sleep(max(0.0, at(release + window / 2) - loop.time()))
        victim = rng.choice(apps)
        kill["in_flight"] = in_flight
        kill["at_s_before_deadline"] = round(closes_at - time.time(), 3)
        kill["app_server"] = victim.name
        victim.kill()  # master and workers, SIGKILL
        await asyncio.sleep(1.0)  # systemd's RestartSec=1
        victim.start()
        back = await asyncio.to_thread(
            _wait, lambda: _http_ok(int(victim.env["FILIERE_BIND"].rsplit(":")[1])), "restart", 60
        )
        kill["restarted_answering_after_s"] = round(1.0 + back, 2)

    tasks = [asyncio.create_task(client(a)) for a in applicants]
    killing = asyncio.create_task(killer())
    outcomes = await asyncio.wait_for(asyncio.gather(*tasks), 2 * REQUEST_TIMEOUT_S + 60)
    await asyncio.wait_for(killing, 90)
    return outcomes, kill


def _database_times(call_id: int, closes_at: datetime) -> dict:
    """Stored submissions whose moment that counts is after the deadline, and the audit trail.

    The moment that counts is ``Submission.arrived_at`` (the proxy's stamp) where the model has
    it, else ``submitted_at`` (the server clock)."""
    from filiere.audit.models import AuditEntry
    from filiere.calls.models import Submission

    fields = {f.name for f in Submission._meta.get_fields()}
    moment = "arrived_at" if "arrived_at" in fields else "submitted_at"
    rows = Submission.objects.filter(application__call_id=call_id)
    late = rows.filter(**{f"{moment}__gt": closes_at}).count()
    processed_after = rows.filter(submitted_at__gt=closes_at).count()
    ids = list(rows.values_list("application_id", flat=True))
    audited = AuditEntry.objects.filter(
        action="calls.application.submit", object_id__in=[str(pk) for pk in ids]
    ).count()
    return {
        "moment_compared": moment,
        "stored_with_moment_after_deadline": late,
        "recorded_after_deadline_by_server_clock": processed_after,
        "audit_entries": audited,
        "stored": len(ids),
    }


def _rush_counts(outcomes, arrivals, closes_at: float, verified: dict) -> dict:
    """The five counts of the issue, from the answers, nginx's arrival times and the database."""
    acknowledged = ("accepted", "already_submitted")
    in_time_refused = []
    late_accepted = []
    for o in outcomes:
        first = arrivals.get((f"{o.applicant.index}.0", "POST"))
        arrived = first.at if first else o.attempts[0].sent_at
        told = any(a.outcome in acknowledged for a in o.attempts)
        if arrived <= closes_at and not told and o.final.outcome == "refused_late":
            in_time_refused.append(o.applicant.index)
        if arrived > closes_at and told:
            late_accepted.append(o.applicant.index)
    server_errors = sum(1 for o in outcomes for a in o.attempts if a.status >= 500)
    return {
        "acknowledged_and_lost": verified["acknowledged_lost"],
        "in_time_refused": len(in_time_refused),
        "late_accepted": max(len(late_accepted), verified["late_accepted"], verified["late_db"]),
        "5xx": server_errors,
        "duplicates": verified["duplicates"],
    }


# --- Kill tests after the rush ------------------------------------------------------------------


def _task_counts(by_task: bool = False) -> dict[str, int]:
    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult

    keys = ("task_path", "status") if by_task else ("status",)
    return {
        " ".join(str(row[k]).rsplit(".", 1)[-1] for k in keys): row["n"]
        for row in DBTaskResult.objects.values(*keys).annotate(n=Count("id")).order_by(*keys)
    }


def _kill_worker(workers: list[Proc], rng) -> dict:
    """SIGKILL one task worker in the middle of a task, tasks still queued; then start it again
    as systemd would (its ExecStartPre puts the cut task back in the queue)."""
    from django_tasks_db.models import DBTaskResult

    victim = rng.choice(workers)
    worker_id = victim.command[victim.command.index("--worker-id") + 1]

    def running() -> bool:
        return any(
            ids and ids[-1] == worker_id
            for ids in DBTaskResult.objects.filter(status="RUNNING").values_list(
                "worker_ids", flat=True
            )
        )

    try:
        _wait(running, "a running task", 60, step=0.01)
    except RuntimeError:
        return {"worker": victim.name, "error": "no task ran on it within 60 s"}
    victim.kill()
    cut = [
        {"id": str(pk), "task": path.rsplit(".", 1)[-1]}
        for pk, path, ids in DBTaskResult.objects.filter(status="RUNNING").values_list(
            "id", "task_path", "worker_ids"
        )
        if ids and ids[-1] == worker_id
    ]
    counts = _task_counts()
    time.sleep(1.0)  # RestartSec=1
    victim.start()
    from django.db import connection

    connection.close()  # this thread's own
    return {"worker": victim.name, "tasks_when_killed": counts, "cut": cut}


def _drain(timeout: float) -> float:
    def empty() -> bool:
        counts = _task_counts()
        return not counts.get("READY") and not counts.get("RUNNING")

    return _wait(empty, "task queue", timeout, step=0.5)


def _pending_uploads(call_id: int, media: Path, application_ids: list[int]) -> list[int]:
    """Uploads that wait for their scan, with their files on disk (2 carry the test signature)."""
    from filiere.calls.models import Application, Document, DocumentType

    leads = dict(Application.objects.filter(pk__in=application_ids).values_list("pk", "lead_id"))
    kind = DocumentType.objects.get(code="synopsis")
    folder = media / "applications" / str(call_id)
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for i, application_id in enumerate(application_ids[:SCAN_FILES]):
        content = (EICAR_MARKER if i < 2 else b"") + f"Synopsis {i}\n".encode() * 200
        name = f"applications/{call_id}/scan-{i}.txt"
        (media / name).write_bytes(content)
        rows.append(
            Document(
                application_id=application_id,
                document_type=kind,
                file=name,
                original_name=f"synopsis-{i}.txt",
                content_type="text/plain",
                size=len(content),
                sha256=hashlib.sha256(content).hexdigest(),
                scan_status=Document.Scan.PENDING,
                uploaded_by_id=leads[application_id],
            )
        )
    return [d.pk for d in Document.objects.bulk_create(rows)]


def _scan_statuses(ids: list[int]) -> dict[str, int]:
    from django.db.models import Count

    from filiere.calls.models import Document

    return {
        row["scan_status"]: row["n"]
        for row in Document.objects.filter(pk__in=ids).values("scan_status").annotate(n=Count("id"))
    }


def _mail_check(call_id: int, sink: MailSink) -> dict:
    from django_tasks_db.models import DBTaskResult

    from filiere.calls.models import Submission

    queued = {
        (args or {}).get("kwargs", {}).get("submission_id")
        for args in DBTaskResult.objects.filter(task_path__endswith=".send_receipt").values_list(
            "args_kwargs", flat=True
        )
    }
    submissions = set(
        Submission.objects.filter(application__call_id=call_id).values_list("pk", flat=True)
    )
    leads = {
        s.application.lead.email
        for s in Submission.objects.filter(application__call_id=call_id).select_related(
            "application__lead"
        )
    }
    with sink.lock:
        messages = list(sink.messages)
    seen: dict[tuple[str, str], int] = {}
    for m in messages:
        for to in m["to"]:
            seen[(to, m["subject"])] = seen.get((to, m["subject"]), 0) + 1
    received = {to for to, _ in seen}
    return {
        "e-mails": len(messages),
        "submissions": len(leads),
        "receipts_missing": len(leads - received),
        "missing_for": sorted(leads - received)[:5],
        # A submission whose receipt task was never queued: the app server died between the
        # commit and the enqueueing after it (events.publish runs handlers on commit).
        "receipt_tasks_never_queued": len(submissions - queued),
        "sent_twice": sum(1 for n in seen.values() if n > 1),
    }


# --- The child process --------------------------------------------------------------------------


def _on_sigterm(signum, frame):
    raise SystemExit(143)


def _child(out: Path, quick: bool) -> int:
    signal.signal(signal.SIGTERM, _on_sigterm)
    n, n_late = SIZES["quick" if quick else "full"]
    window = float(os.environ.get("FILIERE_BENCH_WINDOW_S", "2"))
    rng = random.Random(SEED)
    nginx_binary = _nginx_binary()
    tmp = Path(tempfile.mkdtemp(prefix="filiere-layout-"))
    tmp.chmod(0o755)  # PostgreSQL runs as its own user
    postgres = Postgres(tmp / "pg")
    sink = MailSink()
    clamd: Clamd | None = None
    procs: list[Proc] = []
    timings: dict[str, float] = {}
    try:
        timings["postgres_s"] = round(postgres.start(), 2)
        sink.thread.start()
        # The environment file of the layout (deploy/filiere.env.example), loopback values.
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT / "src"),
            "DJANGO_SETTINGS_MODULE": "filiere.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": postgres.url("filiere_deploy"),
            "FILIERE_SITE_URL": "http://127.0.0.1",
            "DJANGO_SECURE_SSL_REDIRECT": "0",  # plain HTTP on loopback
            "DJANGO_STATIC_ROOT": str(tmp / "static"),
            "DJANGO_MEDIA_ROOT": str(tmp / "media"),
            "FILIERE_VAR_DIR": str(tmp / "var"),
            "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "DJANGO_EMAIL_HOST": "127.0.0.1",
            "DJANGO_EMAIL_PORT": str(sink.port),
            "FILIERE_CLAMD_SOCKET": str(tmp / "clamd" / "clamd.sock"),
            "FILIERE_TRUSTED_PROXY_COUNT": "1",
            "FILIERE_TRUSTED_PROXIES": "127.0.0.1",
            "GUNICORN_WORKERS": str(GUNICORN_WORKERS),
            "GUNICORN_THREADS": str(GUNICORN_THREADS),
            "NGINX_TLS_CERTIFICATE": "-",
            "NGINX_TLS_CERTIFICATE_KEY": "-",
        }
        os.environ.update(env)
        sys.path.insert(0, str(ROOT / "src"))
        python = sys.executable
        # The oneshot of the layout (filiere-migrate.service).
        started = time.perf_counter()
        for command in (
            ["migrate", "--noinput", "-v0"],
            ["createcachetable"],
            ["collectstatic", "--noinput", "-v0"],
        ):
            subprocess.run([python, "manage.py", *command], cwd=ROOT, env=env, check=True)
        timings["migrate_collectstatic_s"] = round(time.perf_counter() - started, 2)
        import django

        django.setup()
        from bench import bench_deadline_rush as rush

        call_id, applicants, seed_s = rush._seed(n, n_late)
        timings["seed_s"] = round(seed_s, 2)
        from django.db import connection

        connection.close()

        clamd = Clamd(tmp / "clamd")
        timings["clamd_s"] = round(clamd.start(), 2)
        ports = [_free_port() for _ in range(APP_SERVERS)]
        apps = [
            Proc(
                f"app@{port}",
                [python, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "filiere.wsgi"],
                {**env, "FILIERE_BIND": f"127.0.0.1:{port}"},
                tmp / f"app-{port}.log",
            )
            for port in ports
        ]
        workers = [
            Proc(
                f"worker@{i}",
                [
                    python,
                    "manage.py",
                    "db_worker",
                    "--worker-id",
                    f"filiere-worker-{i}",
                    "--interval",
                    "1",
                ],
                env,
                tmp / f"worker-{i}.log",
                pre=[python, "deploy/requeue_interrupted.py", f"filiere-worker-{i}"],
            )
            for i in range(1, TASK_WORKERS + 1)
        ]
        listen = _free_port()
        nginx = Proc(
            "nginx",
            [nginx_binary, "-c", str(_write_nginx(tmp, env, ports, listen)), "-p", str(tmp)],
            env,
            tmp / "nginx.log",
        )
        procs += [*apps, *workers, nginx]
        started = time.perf_counter()
        for proc in procs:
            proc.start()
        for app, port in zip(apps, ports, strict=True):
            _wait(lambda port=port: _http_ok(port), app.name, 90, app, 0.3)
        _wait(lambda: _http_ok(listen), "nginx", 30, nginx)
        timings["layout_ready_s"] = round(time.perf_counter() - started, 2)
        static = _static_check(listen, tmp / "static")

        started = time.perf_counter()
        problems = asyncio.run(rush._prepare(listen, applicants))
        timings["review_pages_s"] = round(time.perf_counter() - started, 2)
        if problems:
            raise RuntimeError(f"{len(problems)} review pages failed: {problems[:5]}")

        from filiere.calls.models import Call

        closes = datetime.fromtimestamp(math.ceil(time.time() + window + 1.5), tz=UTC)
        Call.objects.filter(pk=call_id).update(closes_at=closes)
        connection.close()
        load_before = os.getloadavg()
        # A task worker is killed in the middle of a task during the rush (receipts queue up).
        worker_kill: dict = {}
        worker_killer = threading.Thread(
            target=lambda: worker_kill.update(_kill_worker(workers, random.Random(SEED + 1)))
        )
        worker_killer.start()
        outcomes, kill = asyncio.run(
            _rush(listen, apps, applicants, closes.timestamp(), window, rng)
        )
        worker_killer.join(timeout=120)
        arrivals = _arrivals(tmp / "access.log")
        verified = rush._verify(call_id, closes, outcomes)
        times = _database_times(call_id, closes)
        verified["late_db"] = times["stored_with_moment_after_deadline"]
        # Checked here by the moment that counts and the current audit action instead.
        verified["violations"] = [
            v
            for v in verified["violations"]
            if "after the deadline" not in v and "audit entries" not in v
        ]
        if times["audit_entries"] != times["stored"]:
            verified["violations"].append(f"audit: {times}")
        counts = _rush_counts(outcomes, arrivals, closes.timestamp(), verified)
        retried = sum(1 for a in arrivals.values() if "," in a.upstreams)

        # clamd dies while uploads wait for their scan, and the receipts are still going out.
        late_ids = [a.application_id for a in applicants if a.late]
        clamd.proc.kill()
        upload_ids = _pending_uploads(call_id, tmp / "media", late_ids)
        from filiere.calls import tasks as call_tasks

        for pk in upload_ids:
            call_tasks.scan_document.enqueue(document_id=pk)
        started = time.perf_counter()
        drained_s = _drain(DRAIN_TIMEOUT_S)
        while_down = _scan_statuses(upload_ids)
        timings["queue_drained_after_kill_s"] = round(drained_s, 2)
        clamd.start()
        subprocess.run(
            [python, "manage.py", "scan_pending_files"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        after = _scan_statuses(upload_ids)
        time.sleep(2)  # the last SMTP exchanges
        tasks_after = _task_counts(by_task=True)
        mail = _mail_check(call_id, sink)
        routed = _routed_after(listen, tmp / "access.log")

        violations = [f"{k}: {v}" for k, v in counts.items() if v]
        violations += verified["violations"]
        if mail["receipts_missing"] or mail["sent_twice"]:
            violations.append(f"e-mail: {mail}")
        if any(not key.endswith("SUCCESSFUL") for key in tasks_after):
            violations.append(f"tasks left: {tasks_after}")
        if after != {"clean": SCAN_FILES - 2, "infected": 2}:
            violations.append(f"scans after clamd's return: {after}")
        figures = {
            "load_average_before": [round(x, 2) for x in load_before],
            "layout": (
                f"nginx → {APP_SERVERS} gunicorn app servers (gthread, {GUNICORN_WORKERS} workers"
                f" × {GUNICORN_THREADS} threads each), {TASK_WORKERS} db_workers, PostgreSQL "
                f"{postgres.bin.parent.name}, clamd, all on loopback"
            ),
            "clients": {"before_deadline": n, "after_deadline": n_late, "window_s": window},
            "setup": timings,
            "static_file": static,
            "rush": {
                "counts": counts,
                "app_server_kill": kill,
                "requests_nginx_sent_to_both_servers": retried,
                **rush._figures(outcomes, closes.timestamp(), {}, window),
                "database": {k: v for k, v in verified.items() if k != "violations"},
                "database_times": times,
            },
            "task_worker_kill": {**worker_kill, "tasks_after": tasks_after, "mail": mail},
            "clamd_kill": {
                "uploads": SCAN_FILES,
                "while_clamd_down": while_down,
                "after_restart_and_scan_pending_files": after,
            },
            "routed_to_both_after_restart": routed,
            "server_log_tracebacks": sum(p.log(1_000_000).count("Traceback") for p in apps),
            "first_traceback": _first_traceback(apps),
        }
        figures["rush"].pop("worker_kill", None)
        figures["violations"] = violations
        figures["invariants_hold"] = not violations
        _print_table(figures)
        out.write_text(json.dumps(figures, indent=2), encoding="utf-8")
        return 0
    except BaseException:
        for proc in procs:
            print(f"--- {proc.name} (end of log)\n{proc.log()}", file=sys.stderr)
        raise
    finally:
        for proc in reversed(procs):
            proc.stop()
        if clamd is not None:
            clamd.proc.stop()
        if "django" in sys.modules:
            from django.db import connections

            connections.close_all()
        postgres.stop()
        sink.shutdown()
        sink.server_close()
        shutil.rmtree(tmp, ignore_errors=True)


def _first_traceback(apps: list[Proc]) -> str:
    for proc in apps:
        text = proc.log(10_000_000)
        if "Traceback" in text:
            start = text.index("Traceback")
            return text[start : start + 3000]
    return ""


def _static_check(port: int, static_root: Path) -> dict:
    """A collected static file is answered by nginx itself, with its caching headers."""
    sample = next(p for p in static_root.rglob("*.css") if ".gz" not in p.suffixes)
    path = "/static/" + sample.relative_to(static_root).as_posix()
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        sock.sendall(request.encode())
        head = b""
        while b"\r\n\r\n" not in head and (chunk := sock.recv(4096)):
            head += chunk
    text = head.split(b"\r\n\r\n")[0].decode("latin-1")
    return {
        "path": path,
        "status": int(text.split()[1]),
        "immutable": "immutable" in text,
    }


def _routed_after(port: int, access_log: Path) -> list[str]:
    """After the restart, plain GETs reach both app servers again (nginx's passive check)."""
    time.sleep(5)  # fail_timeout=5s: the killed server is tried again after it
    before = len(access_log.read_text(errors="replace").splitlines())
    for _ in range(20):
        _http_ok(port, "/en/")
    time.sleep(0.5)
    lines = access_log.read_text(errors="replace").splitlines()[before:]
    return sorted({line.split("|")[4] for line in lines if "|GET|/en/|" in line})


def _print_table(figures: dict) -> None:
    counts = figures["rush"]["counts"]
    print("\ndeploy_layout: the rush through nginx, one app server killed")
    for name, value in counts.items():
        print(f"  {name:<24} {value:>6}")
    print(f"  task worker kill: {figures['task_worker_kill']['mail']}")
    print(f"  clamd kill: {figures['clamd_kill']}")
    print(f"  violations: {figures['violations'] or 'none'}\n")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m bench.bench_deploy_layout")
    parser.add_argument("--child", required=True, help="where to write the figures (JSON)")
    parser.add_argument("--quick", action="store_true")
    arguments = parser.parse_args()
    sys.exit(_child(Path(arguments.child), arguments.quick))
