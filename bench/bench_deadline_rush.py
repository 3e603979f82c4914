"""Deadline rush: gunicorn + PostgreSQL on loopback, a burst of submissions around the closing time.

What it does (``python -m bench deadline_rush``, or ``--quick``):

1. creates a fresh PostgreSQL database ``filiere_bench_<pid>`` on the server of
   ``FILIERE_BENCH_DATABASE_URL`` (default ``postgres://filiere:filiere@127.0.0.1:5432/``, the
   role CI uses; loopback only), migrates it and seeds, with bulk inserts, one open call and
   N + M applicants, each with a complete application (balanced budget, request within the
   ceiling, the required synopsis present and scanned clean) and a session made directly in the
   session store;
2. starts ``gunicorn filiere.wsgi -w 4 --threads 4`` on a free loopback port, in production
   settings (``DJANGO_DEBUG=0``, a random secret key, static files collected in a temporary
   folder), and waits until it answers;
3. every client opens its review page once (``GET``: session cookie in, CSRF cookie and token
   out), as a browser would before pressing *Submit*;
4. sets the call's ``closes_at`` a few seconds ahead, then releases N submissions together so
   that they all reach the server during the last ``FILIERE_BENCH_WINDOW_S`` seconds (default 2)
   before the deadline, and M more right after it; half-way through the first burst one gunicorn
   worker is killed with SIGKILL (gunicorn starts another). A client whose connection is cut
   retries once, as a person would press *Submit* again. A refused submission's redirect is
   followed to read the message shown to the person;
5. checks the database: every acknowledged submission (redirect to the receipt) is stored with
   ``submitted_at <= closes_at``, no submission is later than the deadline, none of the M late
   ones is accepted and each is told the call closed, no 5xx, one submission per application at
   most; and reports latencies (p50/p95/p99), throughput and counts;
6. stops gunicorn (its whole process group) and drops the database, also on failure.

The work runs in a child process (``python -m bench.bench_deadline_rush --child``) so that its
Django settings (PostgreSQL, production mode) never leak into the other benchmarks of the run.
Full: N = 1,000 and M = 200; ``--quick``: N = 100 and M = 20.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
SIZES = {"full": (1_000, 200), "quick": (100, 20)}
DEFAULT_SERVER_URL = "postgres://filiere:filiere@127.0.0.1:5432/"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
WORKERS, THREADS = 4, 4
REQUEST_TIMEOUT_S = 60.0  # one HTTP exchange
BURST_TIMEOUT_S = 300.0  # the whole rush, answers included
CHILD_TIMEOUT_S = 900.0  # the whole benchmark
AFTER_DELAY_S = 0.3  # the late burst starts this long after the deadline
SEED = 2009

HOW_TO_START = """\
deadline_rush needs a PostgreSQL server on loopback where it may create and drop a database.
  Debian/Ubuntu:  apt-get install postgresql
                  pg_ctlcluster <version> main start
                  su postgres -c "createuser --superuser --pwprompt filiere"  (password filiere)
  (this is what .ci/run does), or point FILIERE_BENCH_DATABASE_URL at another loopback server,
  e.g. postgres://user:password@127.0.0.1:5432/ (a role allowed to CREATE DATABASE)."""


def run(quick: bool = False) -> dict:
    """Run the benchmark in a child process; return its figures."""
    with tempfile.TemporaryDirectory(prefix="filiere-rush-") as tmp:
        out = Path(tmp) / "figures.json"
        command = [sys.executable, "-m", "bench.bench_deadline_rush", "--child", str(out)]
        if quick:
            command.append("--quick")
        child = subprocess.Popen(command, cwd=ROOT)
        try:
            code = child.wait(timeout=CHILD_TIMEOUT_S)
        except (subprocess.TimeoutExpired, KeyboardInterrupt):
            child.terminate()  # the child's finally stops gunicorn and drops the database
            try:
                child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait(timeout=10)
            raise SystemExit("deadline_rush: stopped (time limit or interrupt)") from None
        if code != 0 or not out.exists():
            raise SystemExit(f"deadline_rush: failed (exit status {code}), see above")
        figures = json.loads(out.read_text(encoding="utf-8"))
    if not figures["invariants_hold"]:
        print("deadline_rush: INVARIANTS VIOLATED:", figures["violations"], file=sys.stderr)
    return figures


# --- The database -------------------------------------------------------------------------------


def _urls(server_url: str, name: str) -> tuple[str, str]:
    """(maintenance database URL, bench database URL) on a loopback server."""
    parts = urlsplit(server_url)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise SystemExit(f"deadline_rush: {server_url!r} is not a postgres:// URL")
    if parts.hostname not in LOOPBACK:
        raise SystemExit("deadline_rush: the benchmark only talks to a PostgreSQL on loopback")
    maintenance = parts.path.strip("/") or "postgres"
    admin = urlunsplit((parts.scheme, parts.netloc, "/" + quote(maintenance), "", ""))
    bench = urlunsplit((parts.scheme, parts.netloc, "/" + name, "", ""))
    return admin, bench


def _admin(admin_url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as connection:
        connection.execute(statement)


# --- Seeding ------------------------------------------------------------------------------------


@dataclass
class Applicant:
    index: int
    application_id: int
    session_key: str
    late: bool  # in the burst after the deadline
    csrf_cookie: str = ""
    csrf_token: str = ""
    cookies: dict[str, str] = field(default_factory=dict)


def _seed(n: int, n_late: int) -> tuple[int, list[Applicant], float]:
    """One open call and n + n_late complete applications with signed-in sessions."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from filiere.accounts.models import User
    from filiere.calls.models import (
        Application,
        BudgetLine,
        Call,
        Document,
        DocumentRequirement,
        DocumentType,
        FinancingSource,
        Fund,
        Genre,
        Stage,
    )
    from filiere.community.models import Organisation, OrganisationKind

    started = time.perf_counter()
    now = timezone.now()
    total = n + n_late
    fund, _ = Fund.objects.get_or_create(
        slug="experiences-interactives", defaults={"name_fr": "Expériences interactives"}
    )
    call = Call.objects.create(
        fund=fund,
        slug="deadline-rush",
        reference_prefix="DR",
        title_fr="Appel Expériences interactives (course à la clôture)",
        title_en="Interactive Experiences call (deadline rush)",
        summary_fr="Appel à projets.",
        envelope=1_400_000,
        ceiling_amount=150_000,
        ceiling_percent=50,
        opens_at=now - timedelta(days=30),
        closes_at=now + timedelta(hours=1),  # moved a few seconds ahead just before the rush
        published=True,
    )
    call.genres.set(Genre.objects.all())
    call.stages.set(Stage.objects.all())
    synopsis = DocumentType.objects.get(code="synopsis")
    DocumentRequirement.objects.create(call=call, document_type=synopsis, required=True)
    genre = Genre.objects.get(code="web-documentary")
    stage = Stage.objects.get(code="development")

    password = make_password(None)  # unusable; the sessions are made directly below
    users = User.objects.bulk_create(
        User(email=f"rush-{i:05d}@example.org", first_name=f"Rush {i}", password=password)
        for i in range(total)
    )
    organisations = Organisation.objects.bulk_create(
        Organisation(slug=f"rush-studio-{i:05d}", name=f"Studio {i}", kind=OrganisationKind.COMPANY)
        for i in range(total)
    )
    applications = Application.objects.bulk_create(
        Application(
            call=call,
            organisation=organisation,
            lead=user,
            reference=f"DR-{i + 1:05d}",
            title=f"Projet {i + 1}",
            genre=genre,
            stage=stage,
            summary="Un webdocumentaire sur les mines du Hainaut.",
            requested_amount=60_000,
        )
        for i, (user, organisation) in enumerate(zip(users, organisations, strict=True))
    )
    BudgetLine.objects.bulk_create(
        line
        for application in applications
        for line in (
            BudgetLine(application=application, chapter="crew", label="Équipe", amount=100_000),
            BudgetLine(
                application=application,
                chapter="technical_means",
                label="Moyens",
                amount=50_000,
                regional_amount=20_000,
                position=1,
            ),
        )
    )
    FinancingSource.objects.bulk_create(
        source
        for application in applications
        for source in (
            FinancingSource(
                application=application, name="Cet appel", kind="this_call", amount=60_000
            ),
            FinancingSource(
                application=application,
                name="Fonds propres",
                kind="own_funds",
                amount=90_000,
                secured=True,
                position=1,
            ),
        )
    )
    # Rows only: submission reads the name, size and hash, never the file.
    Document.objects.bulk_create(
        Document(
            application=application,
            document_type=synopsis,
            file=f"applications/{call.pk}/rush-{application.pk}",
            original_name="synopsis.pdf",
            content_type="application/pdf",
            size=1024,
            sha256=secrets.token_hex(32),
            scan_status=Document.Scan.CLEAN,
            uploaded_by=application.lead,
        )
        for application in applications
    )
    expires = now + timedelta(days=1)
    store = SessionStore()
    keys = [secrets.token_hex(16) for _ in users]  # 32 characters, as Django makes them
    Session.objects.bulk_create(
        Session(
            session_key=key,
            session_data=store.encode(
                {
                    SESSION_KEY: str(user.pk),
                    BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
                    HASH_SESSION_KEY: user.get_session_auth_hash(),
                }
            ),
            expire_date=expires,
        )
        for key, user in zip(keys, users, strict=True)
    )
    applicants = [
        Applicant(index=i, application_id=application.pk, session_key=key, late=i >= n)
        for i, (application, key) in enumerate(zip(applications, keys, strict=True))
    ]
    return call.pk, applicants, time.perf_counter() - started


# --- gunicorn -----------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _children(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (gunicorn's workers are the master's children)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may hold spaces and parentheses, split after the last ')'
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return sorted(found)


class Server:
    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self.env = env
        self.log_path = log_path
        self.port = _free_port()
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "filiere.wsgi",
            "-w",
            str(WORKERS),
            "--threads",
            str(THREADS),
            "-b",
            f"127.0.0.1:{self.port}",
            "--timeout",
            "30",
            "--graceful-timeout",
            "5",
            "--log-level",
            "warning",
        ]
        with self.log_path.open("ab") as log:
            # Its own process group: stopping it stops every worker, whatever happens here.
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def workers(self) -> list[int]:
        return _children(self.process.pid) if self.process else []

    def wait_ready(self, timeout: float = 60.0) -> float:
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}: {self.log()}")
            if len(self.workers()) == WORKERS:
                try:
                    with socket.create_connection(("127.0.0.1", self.port), timeout=2) as sock:
                        sock.sendall(
                            b"GET /en/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                        )
                        if sock.recv(12).startswith(b"HTTP/1.1"):
                            return time.monotonic() - started
                except OSError:
                    pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer within {timeout:.0f} s: {self.log()}")

    def wait_replaced(self, victim: int, timeout: float = 30.0) -> float | None:
        """Seconds until the master has reaped ``victim`` and runs WORKERS workers again."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            workers = self.workers()
            if victim not in workers and len(workers) == WORKERS:
                return time.monotonic() - started
            time.sleep(0.05)
        return None

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        except ProcessLookupError:
            pass

    def log(self, tail: int = 4000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-tail:]
        except OSError:
            return ""


# --- A minimal HTTP/1.1 client on asyncio (one connection per exchange, bounded) ----------------


class ConnectionCut(Exception):
    """The server closed or reset the connection before a complete answer."""


@dataclass
class Reply:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str:
        return next((v for k, v in self.headers if k.lower() == name), "")

    def cookies(self) -> dict[str, str]:
        found = {}
        for key, value in self.headers:
            if key.lower() == "set-cookie":
                pair = value.split(";", 1)[0]
                if "=" in pair:
                    name, _, cookie = pair.partition("=")
                    found[name.strip()] = cookie.strip().strip('"')
        return found


async def _exchange(port: int, request: bytes, timeout: float) -> Reply:
    async def talk() -> Reply:
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError as error:
            raise ConnectionCut(f"connect: {error}") from None
        try:
            writer.write(request)
            await writer.drain()
            status_line = await reader.readline()
            if not status_line:
                raise ConnectionCut("closed before the status line")
            status = int(status_line.split()[1])
            headers = []
            for _ in range(200):
                line = await reader.readline()
                if not line:
                    raise ConnectionCut("closed in the headers")
                if line in (b"\r\n", b"\n"):
                    break
                key, _, value = line.decode("latin-1").partition(":")
                headers.append((key.strip(), value.strip()))
            length = next((v for k, v in headers if k.lower() == "content-length"), None)
            body = await (reader.readexactly(int(length)) if length else reader.read(1 << 24))
            return Reply(status, headers, body)
        except (ConnectionError, asyncio.IncompleteReadError) as error:
            raise ConnectionCut(f"{type(error).__name__}: {error}") from None
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError, OSError):
                await writer.wait_closed()

    return await asyncio.wait_for(talk(), timeout)


def _request(method: str, path: str, port: int, cookies: dict[str, str], body: str = "") -> bytes:
    lines = [
        f"{method} {path} HTTP/1.1",
        f"Host: 127.0.0.1:{port}",
        "Connection: close",
        "User-Agent: filiere-bench-deadline-rush",
        "Accept-Language: en",
    ]
    if cookies:
        lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in cookies.items()))
    payload = body.encode()
    if method == "POST":
        lines += [
            f"Origin: http://127.0.0.1:{port}",
            f"Referer: http://127.0.0.1:{port}{path}",
            "Content-Type: application/x-www-form-urlencoded",
            f"Content-Length: {len(payload)}",
        ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + payload


def _review_path(applicant: Applicant) -> str:
    return f"/en/calls/my/{applicant.application_id}/edit/review/"


def _submit_path(applicant: Applicant) -> str:
    return f"/en/calls/my/{applicant.application_id}/submit/"


_TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


async def _prepare(port: int, applicants: list[Applicant], concurrency: int = 16) -> list[str]:
    """Each client opens its review page once: CSRF cookie and token, like a browser."""
    gate = asyncio.Semaphore(concurrency)
    problems: list[str] = []

    async def one(applicant: Applicant) -> None:
        async with gate:
            cookies = {"sessionid": applicant.session_key}
            try:
                reply = await _exchange(
                    port, _request("GET", _review_path(applicant), port, cookies), REQUEST_TIMEOUT_S
                )
            except (ConnectionCut, TimeoutError) as error:
                problems.append(f"{applicant.index}: {error}")
                return
            token = _TOKEN.search(reply.body)
            csrf = reply.cookies().get("csrftoken", "")
            if reply.status != 200 or not token or not csrf:
                problems.append(f"{applicant.index}: HTTP {reply.status}, token={bool(token)}")
                return
            if b"can no longer be submitted" in reply.body:
                problems.append(f"{applicant.index}: not submittable")
            applicant.csrf_token = token.group(1).decode()
            applicant.csrf_cookie = csrf
            applicant.cookies = {"sessionid": applicant.session_key, "csrftoken": csrf}

    await asyncio.gather(*(one(a) for a in applicants))
    return problems


# --- The rush -----------------------------------------------------------------------------------


@dataclass
class Attempt:
    sent_at: float  # wall clock (epoch seconds), when the request was written
    answered_at: float
    outcome: str  # accepted, refused_late, already_submitted, refused_other, http_<n>, cut, timeout
    status: int = 0
    message: str = ""


@dataclass
class Outcome:
    applicant: Applicant
    attempts: list[Attempt] = field(default_factory=list)

    @property
    def final(self) -> Attempt:
        return self.attempts[-1]


_MESSAGES = {
    "refused_late": b"can no longer be submitted",
    "already_submitted": b"has already been submitted",
}
_NOTICE = re.compile(rb'<p class="notice notice--[a-z ]+">(.*?)</p>', re.S)


async def _submit_once(port: int, applicant: Applicant) -> Attempt:
    body = f"csrfmiddlewaretoken={applicant.csrf_token}"
    request = _request("POST", _submit_path(applicant), port, applicant.cookies, body)
    sent = time.time()
    try:
        reply = await _exchange(port, request, REQUEST_TIMEOUT_S)
    except ConnectionCut as error:
        return Attempt(sent, time.time(), "cut", message=str(error))
    except TimeoutError:
        return Attempt(sent, time.time(), "timeout")
    answered = time.time()
    location = reply.header("location")
    if reply.status == 302 and location.endswith("/receipt/"):
        return Attempt(sent, answered, "accepted", 302)
    if reply.status == 302 and location.endswith("/edit/review/"):
        # Refused: follow the redirect, as the browser does, to read the message shown.
        cookies = {**applicant.cookies, **reply.cookies()}
        try:
            page = await _exchange(
                port, _request("GET", location, port, cookies), REQUEST_TIMEOUT_S
            )
        except (ConnectionCut, TimeoutError) as error:
            return Attempt(sent, answered, "refused_unread", 302, str(error))
        notices = b" | ".join(_NOTICE.findall(page.body)).decode(errors="replace")
        for outcome, text in _MESSAGES.items():
            if text in page.body:
                return Attempt(sent, answered, outcome, 302, notices[:200])
        return Attempt(sent, answered, "refused_other", 302, notices[:200])
    return Attempt(sent, answered, f"http_{reply.status}", reply.status, location)


async def _rush(
    server: Server,
    applicants: list[Applicant],
    closes_at: float,
    window: float,
    rng: random.Random,
) -> dict:
    """Release the bursts at fixed wall-clock times around ``closes_at`` (epoch seconds)."""
    loop = asyncio.get_running_loop()

    def at(wall: float) -> float:  # a wall-clock instant on the loop's monotonic clock
        return loop.time() + (wall - time.time())

    early = [a for a in applicants if not a.late]
    late = [a for a in applicants if a.late]
    release = closes_at - window
    # Each client of the first burst goes at its own moment of the window, before the deadline.
    offsets = {a.index: rng.uniform(0.0, window * 0.9) for a in early}
    offsets.update({a.index: AFTER_DELAY_S + rng.uniform(0.0, 0.5) for a in late})
    in_flight = 0
    kill: dict = {}

    async def client(applicant: Applicant) -> Outcome:
        nonlocal in_flight
        outcome = Outcome(applicant)
        start = release if not applicant.late else closes_at
        await asyncio.sleep(max(0.0, at(start + offsets[applicant.index]) - loop.time()))
        for _ in range(2):  # a cut connection is retried once, as a person would resubmit
            in_flight += 1
            try:
                attempt = await _submit_once(server.port, applicant)
            finally:
                in_flight -= 1
            outcome.attempts.append(attempt)
            if attempt.outcome != "cut":
                break
        return outcome

    async def killer() -> None:
        await asyncio.sleep(max(0.0, at(release + window / 2) - loop.time()))
        workers = server.workers()
        if not workers:
            kill["error"] = "no worker found"
            return
        victim = rng.choice(workers)
        kill["in_flight"] = in_flight
        kill["at_s_before_deadline"] = round(closes_at - time.time(), 3)
        os.kill(victim, signal.SIGKILL)
        kill["pid"] = victim
        replaced = await asyncio.to_thread(server.wait_replaced, victim, 30.0)
        kill["replaced_after_s"] = None if replaced is None else round(replaced, 2)

    tasks = [asyncio.create_task(client(a)) for a in applicants]
    killing = asyncio.create_task(killer())
    done = await asyncio.wait_for(asyncio.gather(*tasks), BURST_TIMEOUT_S)
    await asyncio.wait_for(killing, 60)
    return {"outcomes": done, "kill": kill}


# --- Checking and figures -----------------------------------------------------------------------


def _percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    rank = max(0, math.ceil(q / 100 * len(ordered)) - 1)
    return round(ordered[rank] * 1000, 1)


def _latencies(attempts: list[Attempt]) -> dict:
    values = [a.answered_at - a.sent_at for a in attempts]
    return {
        "count": len(values),
        "p50_ms": _percentile(values, 50),
        "p95_ms": _percentile(values, 95),
        "p99_ms": _percentile(values, 99),
        "max_ms": _percentile(values, 100),
        "mean_ms": round(statistics.fmean(values) * 1000, 1) if values else None,
    }


def _verify(call_id: int, closes_at: datetime, outcomes: list[Outcome]) -> dict:
    from django.db.models import Count

    from filiere.audit.models import AuditEntry
    from filiere.calls.models import Application, State, Submission

    stored = {
        s.application_id: s.submitted_at
        for s in Submission.objects.filter(application__call_id=call_id).only(
            "application_id", "submitted_at"
        )
    }
    duplicates = (
        Submission.objects.filter(application__call_id=call_id)
        .values("application_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    submitted_state = set(
        Application.objects.filter(call_id=call_id, state=State.SUBMITTED).values_list(
            "pk", flat=True
        )
    )
    audited = AuditEntry.objects.filter(action="calls.application.submit").count()
    acknowledged = {
        o.applicant.application_id
        for o in outcomes
        if any(a.outcome == "accepted" for a in o.attempts)
    }
    told_submitted = {
        o.applicant.application_id
        for o in outcomes
        if any(a.outcome in ("accepted", "already_submitted") for a in o.attempts)
    }
    late_ids = {o.applicant.application_id for o in outcomes if o.applicant.late}
    after_deadline = [pk for pk, at in stored.items() if at > closes_at]
    lost = sorted(acknowledged - stored.keys())
    late_accepted = sorted(late_ids & (acknowledged | stored.keys()))
    late_not_told = [
        o.applicant.index
        for o in outcomes
        if o.applicant.late and o.final.outcome != "refused_late"
    ]
    server_errors = sum(1 for o in outcomes for a in o.attempts if a.status >= 500)
    violations = []
    if lost:
        violations.append(f"{len(lost)} acknowledged submissions not stored")
    if after_deadline:
        violations.append(f"{len(after_deadline)} submissions stored after the deadline")
    if late_accepted:
        violations.append(f"{len(late_accepted)} late submissions accepted")
    if late_not_told:
        violations.append(f"{len(late_not_told)} late clients not told the call closed")
    if server_errors:
        violations.append(f"{server_errors} answers 5xx")
    if duplicates:
        violations.append(f"{duplicates} applications with several submissions")
    if submitted_state != stored.keys():
        violations.append("application states disagree with the submissions")
    if audited != len(stored):
        violations.append(f"{audited} audit entries for {len(stored)} submissions")
    return {
        "stored_submissions": len(stored),
        "acknowledged": len(acknowledged),
        "acknowledged_lost": len(lost),
        "stored_after_deadline": len(after_deadline),
        "late_accepted": len(late_accepted),
        "duplicates": duplicates,
        "stored_without_acknowledgement": len(stored.keys() - told_submitted),
        "server_errors_5xx": server_errors,
        "violations": violations,
        "invariants_hold": not violations,
    }


def _figures(outcomes: list[Outcome], closes_at: float, kill: dict, window: float) -> dict:
    early = [o for o in outcomes if not o.applicant.late]
    late = [o for o in outcomes if o.applicant.late]
    attempts = [a for o in outcomes for a in o.attempts]

    def count(group: list[Outcome]) -> dict:
        finals: dict[str, int] = {}
        for o in group:
            finals[o.final.outcome] = finals.get(o.final.outcome, 0) + 1
        return dict(sorted(finals.items()))

    accepted = [a for o in early for a in o.attempts if a.outcome == "accepted"]
    refused_late = [a for o in early for a in o.attempts if a.outcome == "refused_late"]
    first = min(a.sent_at for a in attempts)
    last = max(a.answered_at for a in attempts)
    answered_before = [a for a in accepted if a.answered_at <= closes_at]
    cut = [o for o in outcomes if o.attempts[0].outcome == "cut"]
    others = sorted({a.message for a in attempts if a.outcome == "refused_other"})[:5]
    return {
        "window_s": window,
        "before_deadline": {
            "clients": len(early),
            "final_answers": count(early),
            "sent_before_deadline": sum(1 for o in early if o.attempts[0].sent_at <= closes_at),
            "accepted_latency": _latencies(accepted),
            "refused_late_latency": _latencies(refused_late),
            "last_accepted_s_after_deadline": round(
                max((a.answered_at for a in accepted), default=closes_at) - closes_at, 3
            ),
        },
        "after_deadline": {
            "clients": len(late),
            "final_answers": count(late),
            "latency": _latencies([o.final for o in late]),
        },
        "connection_errors": {
            "cut_first_attempts": len(cut),
            "retried": sum(1 for o in cut if len(o.attempts) > 1),
            "retry_answers": count(
                [Outcome(o.applicant, o.attempts[1:]) for o in cut if o.attempts[1:]]
            ),
            "cut_twice": sum(1 for o in cut if o.final.outcome == "cut"),
        },
        "worker_kill": kill,
        "throughput": {
            "answers_per_s": round(len(attempts) / (last - first), 1),
            "accepted_per_s_before_deadline": round(
                len(answered_before) / max(1e-6, closes_at - first), 1
            ),
            "rush_seconds": round(last - first, 2),
        },
        "refused_other_messages": others,
    }


# --- The child process --------------------------------------------------------------------------


def _on_sigterm(signum, frame):
    raise SystemExit(143)


def _child(out: Path, quick: bool) -> int:
    signal.signal(signal.SIGTERM, _on_sigterm)
    n, n_late = SIZES["quick" if quick else "full"]
    window = float(os.environ.get("FILIERE_BENCH_WINDOW_S", "2"))
    rng = random.Random(SEED)
    name = f"filiere_bench_{os.getpid()}"
    admin_url, bench_url = _urls(
        os.environ.get("FILIERE_BENCH_DATABASE_URL", DEFAULT_SERVER_URL), name
    )
    import psycopg

    try:
        _admin(admin_url, f'CREATE DATABASE "{name}"')
    except psycopg.Error as error:
        print(f"deadline_rush: cannot create a database on PostgreSQL: {error}", file=sys.stderr)
        print(HOW_TO_START, file=sys.stderr)
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="filiere-rush-"))
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "src"),
        "DJANGO_SETTINGS_MODULE": "filiere.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_STATIC_ROOT": str(tmp / "static"),
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "FILIERE_VAR_DIR": str(tmp / "var"),
        "DATABASE_URL": bench_url,
    }
    os.environ.update(env)  # the same settings here (seeding, sessions) as in gunicorn
    sys.path.insert(0, str(ROOT / "src"))
    server = Server(env, tmp / "gunicorn.log")
    collect = None
    timings: dict[str, float] = {}
    try:
        started = time.perf_counter()
        with (tmp / "collectstatic.log").open("wb") as log:
            collect = subprocess.Popen(
                [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        call_command("createcachetable", verbosity=0)
        timings["migrate_s"] = round(time.perf_counter() - started, 2)
        call_id, applicants, seed_seconds = _seed(n, n_late)
        timings["seed_s"] = round(seed_seconds, 2)
        if collect.wait(timeout=300) != 0:
            raise RuntimeError("collectstatic failed: " + (tmp / "collectstatic.log").read_text())
        server.start()
        timings["server_ready_s"] = round(server.wait_ready(), 2)
        started = time.perf_counter()
        problems = asyncio.run(_prepare(server.port, applicants))
        timings["review_pages_s"] = round(time.perf_counter() - started, 2)
        if problems:
            raise RuntimeError(
                f"{len(problems)} review pages failed: {problems[:5]}\n{server.log()}"
            )

        from django.db import connection

        from filiere.calls.models import Call

        # The deadline, to the second, far enough ahead for every client to be waiting.
        closes_at = datetime.fromtimestamp(math.ceil(time.time() + window + 1.5), tz=UTC)
        Call.objects.filter(pk=call_id).update(closes_at=closes_at)
        connection.close()  # nothing held during the rush
        load_before = os.getloadavg()  # other work on the machine skews every figure
        rush = asyncio.run(_rush(server, applicants, closes_at.timestamp(), window, rng))
        outcomes = rush["outcomes"]
        figures = {
            "load_average_before": [round(x, 2) for x in load_before],
            "server": f"gunicorn -w {WORKERS} --threads {THREADS}, PostgreSQL on loopback",
            "clients": {"before_deadline": n, "after_deadline": n_late},
            "setup": timings,
            **_figures(outcomes, closes_at.timestamp(), rush["kill"], window),
        }
        figures["database"] = _verify(call_id, closes_at, outcomes)
        figures["invariants_hold"] = figures["database"].pop("invariants_hold")
        figures["violations"] = figures["database"].pop("violations")
        log = server.log(100_000)
        figures["server_log_tracebacks"] = log.count("Traceback")
        out.write_text(json.dumps(figures, indent=2), encoding="utf-8")
        return 0
    except BaseException:
        print(f"deadline_rush: gunicorn's log (end):\n{server.log()}", file=sys.stderr)
        raise
    finally:
        server.stop()
        if collect is not None and collect.poll() is None:
            os.killpg(collect.pid, signal.SIGKILL)
            collect.wait(timeout=10)
        if "django" in sys.modules:
            from django.db import connections

            connections.close_all()
        try:
            _admin(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        except Exception as error:  # report; never hide the first failure
            print(f"deadline_rush: could not drop {name}: {error}", file=sys.stderr)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m bench.bench_deadline_rush")
    parser.add_argument("--child", required=True, help="where to write the figures (JSON)")
    parser.add_argument("--quick", action="store_true")
    arguments = parser.parse_args()
    sys.exit(_child(Path(arguments.child), arguments.quick))
