"""The restore drill: a base backup, WAL archiving and the files; a mistaken bulk action; a
restore into a fresh cluster to just before it, proven identical with checksums.

Everything happens in a temporary directory with throwaway PostgreSQL 15 clusters on ports
5440–5449 (run as the ``postgres`` user when the drill runs as root), through the scripts an
operator uses (``deploy/backup/``):

1. a cluster with WAL archiving (``archive-wal.sh``), the Filière schema migrated into it;
2. data made through the application's services: the demo's open call, submitted applications
   with their answers, budgets and PDF documents (files in a temporary MEDIA_ROOT), receipts and
   audit entries; then a base backup (``base-backup.sh``) and a files backup
   (``files_backup.py``);
3. more writing after the base backup: more submissions, eligibility decisions; the files
   backed up again (the timer);
4. the restore point: counts and checksums of every table of interest (``table_checksums.py``),
   the files checked against their recorded SHA-256, a named restore point
   (``pg_create_restore_point``) and the time;
5. the mistake: every submitted application declared ineligible in bulk (through the service),
   the documents deleted with their files; the WAL switched and archived, the files backed up
   once more (the timer does not know it was a mistake);
6. two restores into fresh clusters (``restore.sh``): to the named restore point, and to the
   time; the files brought back from the store as the restored database names them;
7. the proof: each restored table's count and checksum equal to the original's at the restore
   point (and different from after the mistake), every restored file's SHA-256 equal to the one
   the restored database recorded.

``python -m bench restore_drill`` (``make restore-drill``) or ``--quick`` (fewer applications).
Any difference raises: the drill fails loudly. Every cluster is stopped and every temporary
directory removed, even on failure.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import multiprocessing
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "deploy" / "backup"
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
PORTS = range(5440, 5450)
RESTORE_POINT = "drill-before-mistake"
MISTAKE_REASON = "bulk action on the wrong selection"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, SCRIPTS / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _in_child(fn: Callable[..., Any], *args: Any) -> Any:
    """fn(*args) in a fresh process (its own settings, its own database); its error is raised
    here rather than leaving the drill waiting."""
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(fn, *args).result()


# --- The application's side (each phase in a fresh process with its own settings) ---------------


def _django(dsn: str, media_root: str, var_dir: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "filiere.settings"
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-" + "x" * 40)
    os.environ["DATABASE_URL"] = dsn
    os.environ["DJANGO_MEDIA_ROOT"] = media_root
    os.environ["FILIERE_VAR_DIR"] = var_dir
    import django

    django.setup()


def _submit(count: int, start: int) -> int:
    """``count`` applications to the demo's open call, filled and submitted as the demo applicant
    does it (project, answers, budget, documents, receipt)."""
    from filiere.accounts.models import User
    from filiere.calls import throttle
    from filiere.calls.models import Call
    from filiere.calls.selectors_applicant import organisations_for_applicant
    from filiere.calls.services import applications as applying
    from filiere.calls.services.submission import submit_application
    from filiere.demo.account_files import _fill
    from filiere.demo.accounts import DEMO_APPLICANT_EMAIL
    from filiere.demo.calls import MAIN_SLUG

    lead = User.objects.get(email=DEMO_APPLICANT_EMAIL)
    organisation = organisations_for_applicant(lead).first()
    call = Call.objects.get(slug=MAIN_SLUG)
    for n in range(start, start + count):
        throttle.reset(scope="upload", user=lead)  # one person uploading for a whole cluster
        application = applying.create_application(
            call=call, organisation=organisation, by=lead, title=f"Projet de la répétition {n}"
        )
        application = _fill(application, lead=lead, complete=True)
        submit_application(application=application, by=lead)
    return count


def _staff() -> Any:
    from filiere.accounts.models import User
    from filiere.demo.accounts import DEMO_STAFF_EMAIL

    return User.objects.get(email=DEMO_STAFF_EMAIL)


def app_seed(dsn: str, media_root: str, var_dir: str, applications: int) -> dict[str, float]:
    _django(dsn, media_root, var_dir)
    from django.core.management import call_command
    from django.utils import timezone

    from filiere.demo.accounts import reset_accounts
    from filiere.demo.calls import load_demo_calls
    from filiere.demo.community import DemoBuilder

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    migrated = time.perf_counter()
    builder = DemoBuilder(seed=2009, scale=0.2, today=timezone.localdate())
    builder.write()
    reset_accounts(builder, 2009)
    load_demo_calls()
    _submit(applications, 0)
    return {
        "migrate_seconds": round(migrated - started, 2),
        "seed_seconds": round(time.perf_counter() - migrated, 2),
    }


def app_more(dsn: str, media_root: str, var_dir: str, applications: int) -> dict[str, float]:
    """Writing goes on after the base backup: more submissions, eligibility decisions."""
    _django(dsn, media_root, var_dir)
    from filiere.calls.models import Application
    from filiere.calls.services import instruction

    started = time.perf_counter()
    _submit(applications, 10_000)
    staff = _staff()
    for application in Application.objects.filter(state="submitted").order_by("pk")[::3]:
        instruction.decide_eligibility(application=application, eligible=True, by=staff)
    return {"seconds": round(time.perf_counter() - started, 2)}


def app_mistake(dsn: str, media_root: str, var_dir: str) -> dict[str, Any]:
    """Every submitted file declared ineligible at once, and every document deleted with its
    file (an administrator's script run on the wrong selection)."""
    _django(dsn, media_root, var_dir)
    from django.core.files.storage import default_storage

    from filiere.calls.models import Application, Document
    from filiere.calls.services import instruction

    started = time.perf_counter()
    result = instruction.bulk_transition(
        applications=Application.objects.filter(state="submitted").order_by("pk"),
        code="declare_ineligible",
        by=_staff(),
        reason=MISTAKE_REASON,
    )
    names = list(Document.objects.values_list("file", flat=True))
    deleted, _ = Document.objects.all().delete()
    for name in names:
        default_storage.delete(name)
    return {
        "declared_ineligible": len(result.done),
        "documents_deleted": deleted,
        "seconds": round(time.perf_counter() - started, 2),
    }


# --- PostgreSQL clusters ------------------------------------------------------------------------


class Drill:
    def __init__(self, work: Path) -> None:
        self.work = work
        self.as_postgres = os.geteuid() == 0
        self.sockets = work / "sockets"
        self.clusters: list[Path] = []
        self.taken: set[int] = set()

    def pg_owned(self, *paths: Path) -> None:
        for path in paths:
            path.mkdir(parents=True, exist_ok=True)
            if self.as_postgres:
                entry = pwd.getpwnam("postgres")
                os.chown(path, entry.pw_uid, entry.pw_gid)

    def sh(self, *command: str | Path, env: dict[str, str] | None = None) -> str:
        prefix = ["runuser", "-u", "postgres", "--"] if self.as_postgres else []
        full = {**os.environ, "PG_BIN": str(PG_BIN), **(env or {})}
        done = subprocess.run(
            [*prefix, *map(str, command)], capture_output=True, text=True, env=full, cwd=self.work
        )
        if done.returncode:
            raise RuntimeError(
                f"{command[0]} failed ({done.returncode}):\n{done.stdout}{done.stderr}"
            )
        return done.stdout

    def port(self) -> int:
        for port in PORTS:
            if port in self.taken:
                continue
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) != 0:
                    self.taken.add(port)
                    return port
        raise RuntimeError(f"no free port in {PORTS}")

    def libpq(self, port: int) -> dict[str, str]:
        return {"PGHOST": str(self.sockets), "PGPORT": str(port), "PGUSER": "postgres"}

    def dsn(self, port: int, database: str = "filiere") -> str:
        return f"postgres://postgres@127.0.0.1:{port}/{database}"

    def create(self, name: str, wal_archive: Path) -> int:
        pgdata = self.work / "pg" / name
        self.pg_owned(pgdata.parent, self.sockets)
        self.sh(
            PG_BIN / "initdb", "-D", pgdata, "-U", "postgres", "--auth=trust", "-E", "UTF8",
            "--locale=C", "--no-sync",
        )  # fmt: skip
        port = self.port()
        settings = (SCRIPTS / "postgresql-archiving.conf").read_text(encoding="utf-8")
        production = "/opt/filiere/deploy/backup/archive-wal.sh %p %f /var/backups/filiere/wal"
        if production not in settings:
            raise RuntimeError("postgresql-archiving.conf: its archive_command has changed")
        settings = settings.replace(
            production, f"{self.work / 'scripts' / 'archive-wal.sh'} %p %f {wal_archive}"
        )
        settings += (
            f"\nport = {port}\nlisten_addresses = '127.0.0.1'\n"
            f"unix_socket_directories = '{self.sockets}'\n"
            # A throwaway cluster on a shared machine: no need to survive a power cut.
            "fsync = off\nsynchronous_commit = off\n"
        )
        with (pgdata / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.write(settings)
        self.start(pgdata)
        self.sh(PG_BIN / "createdb", "filiere", env=self.libpq(port))
        return port

    def start(self, pgdata: Path) -> None:
        self.clusters.append(pgdata)
        self.sh(PG_BIN / "pg_ctl", "-D", pgdata, "-l", f"{pgdata}.log", "-w", "start")

    def stop_all(self) -> None:
        for pgdata in self.clusters:
            if (pgdata / "postmaster.pid").exists():
                try:
                    self.sh(PG_BIN / "pg_ctl", "-D", pgdata, "-m", "immediate", "-w", "stop")
                except RuntimeError as error:
                    print(error, file=sys.stderr)


def _query(dsn: str, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    import psycopg

    with psycopg.connect(dsn, autocommit=True) as connection:
        return connection.execute(sql, params or None).fetchall()


def _measure(dsn: str, media_root: Path) -> dict[str, Any]:
    import psycopg

    checks = _load("table_checksums")
    with psycopg.connect(dsn) as connection:
        return {
            "tables": checks.table_checksums(connection),
            "files": checks.file_checks(connection, media_root),
        }


def _wait_archived(dsn: str, timeout: float = 60.0) -> float:
    """Close the current WAL file and wait until the archiver has copied it."""
    started = time.perf_counter()
    (switched,) = _query(dsn, "SELECT pg_walfile_name(pg_switch_wal())")[0]
    while time.perf_counter() - started < timeout:
        (last, failed) = _query(
            dsn, "SELECT last_archived_wal, failed_count FROM pg_stat_archiver"
        )[0]
        if last and last >= switched:
            return time.perf_counter() - started
        if failed:
            raise RuntimeError("the archive command failed (see the cluster's log)")
        time.sleep(0.1)
    raise RuntimeError(f"{switched} not archived after {timeout} s")


def _files(*args: str | Path) -> str:
    done = subprocess.run(
        [sys.executable, SCRIPTS / "files_backup.py", *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"files_backup.py {args[0]} failed:\n{done.stdout}{done.stderr}")
    return done.stdout.strip()


def _kv(line: str) -> dict[str, Any]:
    """``files_backup.py``'s summary line as figures (the manifest by its name only)."""
    figures: dict[str, Any] = {}
    for part in line.split():
        key, value = part.split("=", 1)
        if key == "manifest":
            figures[key] = Path(value).name
        else:
            figures[key] = float(value) if "." in value else int(value)
    return figures


def _du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _restore(drill: Drill, name: str, target: list[str], at: dt.datetime) -> dict[str, Any]:
    """A fresh cluster from the base backup and the archive, then the files it names."""
    pgdata = drill.work / "pg" / name
    port = drill.port()
    started = time.perf_counter()
    output = drill.sh(
        drill.work / "scripts" / "restore.sh",
        "--backup-dir", drill.work / "backup", "--wal-archive", drill.work / "wal",
        "--pgdata", pgdata, "--port", str(port), "--socket-dir", drill.sockets,
        "--timeout", "300", *target,
    )  # fmt: skip
    drill.clusters.append(pgdata)
    database_seconds = time.perf_counter() - started
    dsn = drill.dsn(port)
    started = time.perf_counter()
    references = _query(dsn, (SCRIPTS / "file-references.sql").read_text(encoding="utf-8"))
    expected = drill.work / f"{name}-expected.tsv"
    expected.write_text("".join(f"{path}\t{sha}\n" for path, sha in references), encoding="utf-8")
    media = drill.work / f"media-{name}"
    files = _kv(
        _files(
            "restore",
            "--store",
            drill.work / "backup" / "files",
            "--target",
            media,
            "--before",
            at.isoformat(),
            "--expected",
            expected,
        )
    )
    files_seconds = time.perf_counter() - started
    # The operator's check of a MEDIA_ROOT against its database, on the restored pair.
    checked = subprocess.run(
        [SCRIPTS / "check-files.sh", media],
        capture_output=True,
        text=True,
        env={**os.environ, **drill.libpq(port), "PGDATABASE": "filiere"},
        check=False,
    )
    if checked.returncode:
        raise RuntimeError(f"check-files.sh failed:\n{checked.stdout}{checked.stderr}")
    started = time.perf_counter()
    figures = _measure(dsn, media)
    return {
        "figures": figures,
        "dsn": dsn,
        # What PostgreSQL says of the recovery (where it stopped), without this machine's paths.
        "log": [
            line.split("LOG:", 1)[-1].strip()
            for line in output.splitlines()
            if "recovery stopping" in line or "last completed" in line or "base backup" in line
        ],
        "database_seconds": round(database_seconds, 2),
        "files_seconds": round(files_seconds, 2),
        "files_restored": int(files["files"]),
        "check_files": checked.stdout.strip(),
        "checksum_seconds": round(time.perf_counter() - started, 2),
    }


def _retention(drill: Drill, base_dir: Path) -> dict[str, Any]:
    """prune.sh with no days kept and one base backup: the WAL files older than the base
    backup's first one go (pg_archivecleanup), the others stay."""
    wal = drill.work / "wal"
    info = (base_dir / "backup.info").read_text(encoding="utf-8")
    first = info.split("wal_start=", 1)[1].split()[0]
    names = sorted(p.name for p in wal.iterdir() if len(p.name) == 24)
    drill.sh(drill.work / "scripts" / "prune.sh", drill.work / "backup", wal, "0", "1")
    kept = sorted(p.name for p in wal.iterdir() if len(p.name) == 24)
    return {
        "wal_files": len(names),
        "older_than_base": len([n for n in names if n < first]),
        "removed": len(names) - len(kept),
    }


def _table(rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows
    )


def _proof(before: dict, after: dict, restored: dict[str, dict]) -> tuple[list, list[str]]:
    rows = [
        (
            "table",
            "rows at point",
            "after mistake",
            *(f"rows {n}" for n in restored),
            "sha256 at point",
            "mistake changed it",
            "restored identical",
        )
    ]
    failures = []
    for table, figures in before["tables"].items():
        same = all(r["figures"]["tables"][table] == figures for r in restored.values())
        if not same:
            failures.append(f"{table}: restored differs from the restore point")
        rows.append(
            (
                table,
                str(figures["rows"]),
                str(after["tables"][table]["rows"]),
                *(str(r["figures"]["tables"][table]["rows"]) for r in restored.values()),
                figures["sha256"][:16] + "…",
                "yes" if after["tables"][table] != figures else "-",
                "yes" if same else "NO",
            )
        )
    files = before["files"]
    same = all(
        r["figures"]["files"]["sha256"] == files["sha256"] and not r["figures"]["files"]["problems"]
        for r in restored.values()
    )
    if files["problems"] or not same:
        failures.append(f"files: {files['problems'] or 'restored files differ'}")
    rows.append(
        (
            "files (sha256 vs database)",
            str(files["files"]),
            str(after["files"]["files"]),
            *(str(r["figures"]["files"]["files"]) for r in restored.values()),
            files["sha256"][:16] + "…",
            "yes" if after["files"]["sha256"] != files["sha256"] else "-",
            "yes" if same else "NO",
        )
    )
    if after["tables"] == before["tables"]:
        failures.append("the mistake changed nothing the checksums see")
    return rows, failures


def run(quick: bool = False) -> dict[str, Any]:
    first, more = (6, 4) if quick else (40, 20)
    work = Path(tempfile.mkdtemp(prefix="filiere-restore-drill-"))
    work.chmod(0o755)  # the postgres user reaches its own folders inside
    drill = Drill(work)
    timings: dict[str, float] = {}
    try:
        shutil.copytree(SCRIPTS, work / "scripts")
        wal = work / "wal"
        drill.pg_owned(wal, work / "backup")
        media, var = work / "media", work / "var"
        media.mkdir()
        var.mkdir()

        started = time.perf_counter()
        port = drill.create("original", wal)
        dsn = drill.dsn(port)
        timings["initdb_start_seconds"] = round(time.perf_counter() - started, 2)
        seeded = _in_child(app_seed, dsn, str(media), str(var), first)
        timings.update(seeded)

        started = time.perf_counter()
        base = drill.sh(work / "scripts" / "base-backup.sh", work / "backup", env=drill.libpq(port))
        timings["base_backup_seconds"] = round(time.perf_counter() - started, 2)
        base_dir = Path(base.strip().splitlines()[-1])
        files_store = work / "backup" / "files"
        files_first = _kv(_files("backup", "--media-root", media, "--store", files_store))

        timings["more_writes_seconds"] = _in_child(app_more, dsn, str(media), str(var), more)[
            "seconds"
        ]
        files_second = _kv(_files("backup", "--media-root", media, "--store", files_store))

        # The restore point: nothing writes between these figures and the point.
        started = time.perf_counter()
        before = _measure(dsn, media)
        timings["checksum_seconds"] = round(time.perf_counter() - started, 2)
        _query(dsn, "SELECT pg_create_restore_point(%s)", RESTORE_POINT)
        (target_time,) = _query(dsn, "SELECT clock_timestamp()")[0]
        time.sleep(0.05)

        mistake = _in_child(app_mistake, dsn, str(media), str(var))
        after = _measure(dsn, media)
        timings["archive_wait_seconds"] = round(_wait_archived(dsn), 2)
        files_third = _kv(_files("backup", "--media-root", media, "--store", files_store))

        restored = {
            "by_name": _restore(
                drill, "restored-name", ["--target-name", RESTORE_POINT], target_time
            ),
            "by_time": _restore(
                drill,
                "restored-time",
                ["--target-time", target_time.astimezone(dt.UTC).isoformat(sep=" ")],
                target_time,
            ),
        }
        rows, failures = _proof(before, after, restored)
        archive = {
            "bytes": _du(base_dir),
            "wal_archive_files": len([p for p in wal.iterdir() if not p.name.startswith(".")]),
            "wal_archive_bytes": _du(wal),
        }
        retention = _retention(drill, base_dir)
        if retention["removed"] != retention["older_than_base"]:
            failures.append(f"retention: {retention}")
        # In words: the mistake's audit entries are in the original, in neither restored cluster.
        marked = "SELECT count(*) FROM audit_auditentry WHERE reason = %s"
        traces = {"original": _query(dsn, marked, MISTAKE_REASON)[0][0]} | {
            name: _query(outcome["dsn"], marked, MISTAKE_REASON)[0][0]
            for name, outcome in restored.items()
        }
        if traces["original"] == 0 or any(traces[name] for name in restored):
            failures.append(f"the mistake's audit entries: {traces}")
        print(_table(rows))
        for name, outcome in restored.items():
            print(f"{name}: " + "; ".join(outcome["log"]))
            print(
                f"  database restored in {outcome['database_seconds']} s, "
                f"{outcome['files_restored']} files in {outcome['files_seconds']} s"
            )
        print("timings (s): " + ", ".join(f"{k} {v}" for k, v in timings.items()))
        if failures:
            raise AssertionError("restore drill failed: " + "; ".join(failures))
        return {
            "identical": True,
            "restore_point": RESTORE_POINT,
            "target_time": target_time.astimezone(dt.UTC).isoformat(),
            "at_restore_point": {t: f["rows"] for t, f in before["tables"].items()}
            | {"files": before["files"]["files"]},
            "sha256_at_restore_point": {t: f["sha256"] for t, f in before["tables"].items()}
            | {"files": before["files"]["sha256"]},
            "after_mistake": {t: f["rows"] for t, f in after["tables"].items()}
            | {"files": after["files"]["files"]},
            "mistake": mistake,
            "mistake_audit_entries": traces,
            "base_backup": archive,
            "files_backups": [files_first, files_second, files_third],
            "retention": retention,
            "timings": timings,
            "restores": {
                name: {
                    key: value for key, value in outcome.items() if key not in ("figures", "dsn")
                }
                for name, outcome in restored.items()
            },
        }
    finally:
        drill.stop_all()
        shutil.rmtree(work, ignore_errors=True)
