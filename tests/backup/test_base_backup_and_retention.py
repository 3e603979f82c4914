"""base-backup.sh, prune.sh and restore.sh around stand-in PostgreSQL programs (PG_BIN): the
dated folder appears only once complete, records the first WAL file it needs, and retention
keeps what a restore needs; restore.sh refuses what it cannot do before touching anything."""

import hashlib
import os
import stat
import time

import pytest

from .scripts import sh

MANIFEST = """{ "PostgreSQL-Backup-Manifest-Version": 1,
"Files": [],
"WAL-Ranges": [
{ "Timeline": 1, "Start-LSN": "1/2A000028", "End-LSN": "1/2A000100" }
],
"Manifest-Checksum": "0" }
"""


def fake_program(folder, name, body):
    path = folder / name
    path.write_text("#!/usr/bin/env bash\nset -eu\n" + body)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


@pytest.fixture
def pg_bin(tmp_path):
    folder = tmp_path / "bin"
    folder.mkdir()
    fake_program(
        folder,
        "pg_basebackup",
        'dir=${1#--pgdata=}\nmkdir -p "$dir"\necho base >"$dir/base.tar.gz"\n'
        'echo wal >"$dir/pg_wal.tar.gz"\ncat >"$dir/backup_manifest" <<"END"\n'
        + MANIFEST
        + 'END\n[ -z "${FAIL:-}" ] || exit 1\n',
    )
    fake_program(folder, "pg_archivecleanup", 'echo "$@" >>"$(dirname "$0")/cleanup.calls"\n')
    return folder


def env(pg_bin, **extra):
    return {**os.environ, "PG_BIN": str(pg_bin), **extra}


def test_a_base_backup_is_dated_checksummed_and_knows_its_first_wal_file(tmp_path, pg_bin):
    done = sh("base-backup.sh", tmp_path / "backups", env=env(pg_bin))
    assert done.returncode == 0, done.stderr
    (folder,) = (tmp_path / "backups" / "base").iterdir()
    assert done.stdout.strip() == str(folder)
    assert len(folder.name) == len("20261204T031500Z") and folder.name.endswith("Z")
    info = dict(line.split("=", 1) for line in (folder / "backup.info").read_text().splitlines())
    assert info["wal_start"] == "00000001000000010000002A"
    assert info["started"] <= info["finished"]
    sums = (folder / "SHA256SUMS").read_text()
    assert all(name in sums for name in ("base.tar.gz", "pg_wal.tar.gz", "backup_manifest"))


def test_a_failed_base_backup_leaves_nothing_behind(tmp_path, pg_bin):
    done = sh("base-backup.sh", tmp_path / "backups", env=env(pg_bin, FAIL="1"))
    assert done.returncode != 0
    assert list((tmp_path / "backups" / "base").iterdir()) == []


def make_base(root, stamp, days_ago, wal_start):
    folder = root / "base" / stamp
    folder.mkdir(parents=True)
    finished = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - days_ago * 86400))
    (folder / "backup.info").write_text(f"finished={finished}\nwal_start={wal_start}\n")
    return folder


def test_retention_drops_old_base_backups_and_the_wal_before_the_oldest_kept(tmp_path, pg_bin):
    root = tmp_path / "backups"
    make_base(root, "20261101T031500Z", 33, "000000010000000000000010")
    make_base(root, "20261110T031500Z", 24, "000000010000000000000020")
    make_base(root, "20261201T031500Z", 3, "000000010000000000000030")
    done = sh("prune.sh", root, tmp_path / "wal", 14, 1, env=env(pg_bin))
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (root / "base").iterdir()) == ["20261201T031500Z"]
    calls = (pg_bin / "cleanup.calls").read_text()
    assert calls == f"{tmp_path / 'wal'} 000000010000000000000030\n"


def test_retention_always_keeps_the_latest_base_backups(tmp_path, pg_bin):
    root = tmp_path / "backups"
    make_base(root, "20261001T031500Z", 60, "000000010000000000000010")
    make_base(root, "20261101T031500Z", 30, "000000010000000000000020")
    done = sh("prune.sh", root, tmp_path / "wal", 14, 2, env=env(pg_bin))
    assert done.returncode == 0, done.stderr
    assert len(list((root / "base").iterdir())) == 2
    assert (pg_bin / "cleanup.calls").read_text().endswith(" 000000010000000000000010\n")


def restore(tmp_path, pg_bin, *target):
    return sh(
        "restore.sh",
        "--backup-dir", tmp_path / "backups",
        "--wal-archive", tmp_path / "wal",
        "--pgdata", tmp_path / "restored",
        *target,
        env=env(pg_bin),
    )  # fmt: skip


def test_restore_needs_exactly_one_target(tmp_path, pg_bin):
    done = restore(tmp_path, pg_bin, "--latest", "--target-name", "before")
    assert done.returncode == 2
    assert "exactly one of" in done.stderr


def test_restore_refuses_a_time_before_every_base_backup(tmp_path, pg_bin):
    make_base(tmp_path / "backups", "20261201T031500Z", 3, "000000010000000000000030")
    done = restore(tmp_path, pg_bin, "--target-time", "2026-01-01 00:00:00+00")
    assert done.returncode == 1
    assert "no base backup" in done.stderr
    assert not (tmp_path / "restored").exists()


def test_restore_refuses_a_damaged_base_backup_before_writing_anything(tmp_path, pg_bin):
    assert sh("base-backup.sh", tmp_path / "backups", env=env(pg_bin)).returncode == 0
    (folder,) = (tmp_path / "backups" / "base").iterdir()
    (folder / "base.tar.gz").write_text("damaged")
    done = restore(tmp_path, pg_bin, "--latest")
    assert done.returncode != 0
    assert "FAILED" in done.stdout + done.stderr
    assert not (tmp_path / "restored").exists()


@pytest.fixture
def fake_psql(tmp_path):
    """A stand-in psql that prints what the database would: path<TAB>sha256 lines."""
    folder = tmp_path / "psql-bin"
    folder.mkdir()
    fake_program(folder, "psql", f'[ -z "${{FAIL:-}}" ] || exit 2\ncat "{tmp_path}/references"\n')
    return folder


def test_check_files_passes_when_every_recorded_file_is_there_intact(tmp_path, fake_psql):
    media = tmp_path / "media"
    (media / "applications").mkdir(parents=True)
    (media / "applications" / "a1").write_bytes(b"%PDF")
    digest = hashlib.sha256(b"%PDF").hexdigest()
    (tmp_path / "references").write_text(f"applications/a1\t{digest}\n")
    path = f"{fake_psql}:{os.environ['PATH']}"
    done = sh("check-files.sh", media, env={**os.environ, "PATH": path})
    assert done.returncode == 0, done.stderr
    assert "checked=1 problems=0" in done.stdout


def test_check_files_fails_on_a_damaged_file_and_when_the_database_does_not_answer(
    tmp_path, fake_psql
):
    media = tmp_path / "media"
    (media / "applications").mkdir(parents=True)
    (media / "applications" / "a1").write_bytes(b"bit rot")
    (tmp_path / "references").write_text(f"applications/a1\t{'0' * 64}\n")
    path = f"{fake_psql}:{os.environ['PATH']}"
    damaged = sh("check-files.sh", media, env={**os.environ, "PATH": path})
    assert damaged.returncode == 1
    assert "different content: applications/a1" in damaged.stderr
    silent = sh("check-files.sh", media, env={**os.environ, "PATH": path, "FAIL": "1"})
    assert silent.returncode != 0
