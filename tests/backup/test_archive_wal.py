"""The shell scripts parse, and archive_command never overwrites an archived WAL file."""

import os
import subprocess

import pytest

from .scripts import SHELL_SCRIPTS, sh


@pytest.mark.parametrize("script", SHELL_SCRIPTS, ids=lambda path: path.name)
def test_every_script_parses_and_is_executable(script):
    checked = subprocess.run(["bash", "-n", str(script)], capture_output=True, check=False)
    assert checked.returncode == 0, checked.stderr
    assert os.access(script, os.X_OK)


@pytest.fixture
def segment(tmp_path):
    source = tmp_path / "pg_wal" / "000000010000000000000003"
    source.parent.mkdir()
    source.write_bytes(b"WAL" * 1000)
    archive = tmp_path / "archive"
    archive.mkdir()
    return source, archive


def test_a_new_segment_is_copied_whole_with_no_temporary_file_left(segment):
    source, archive = segment
    done = sh("archive-wal.sh", source, source.name, archive)
    assert done.returncode == 0, done.stderr
    assert (archive / source.name).read_bytes() == source.read_bytes()
    assert [path.name for path in archive.iterdir()] == [source.name]


def test_archiving_the_same_segment_again_succeeds(segment):
    source, archive = segment
    sh("archive-wal.sh", source, source.name, archive)
    done = sh("archive-wal.sh", source, source.name, archive)
    assert done.returncode == 0, done.stderr


def test_a_different_segment_under_an_archived_name_is_refused_and_the_archive_kept(segment):
    source, archive = segment
    sh("archive-wal.sh", source, source.name, archive)
    kept = (archive / source.name).read_bytes()
    source.write_bytes(b"other history")
    done = sh("archive-wal.sh", source, source.name, archive)
    assert done.returncode == 1
    assert "refusing to overwrite" in done.stderr
    assert (archive / source.name).read_bytes() == kept
    assert [path.name for path in archive.iterdir()] == [source.name]


@pytest.mark.parametrize("name", ["../escape", ".hidden", ""])
def test_a_file_name_outside_the_archive_is_refused(segment, name):
    source, archive = segment
    done = sh("archive-wal.sh", source, name, archive)
    assert done.returncode == 2
    assert list(archive.iterdir()) == []


def test_a_missing_archive_directory_fails_rather_than_creating_one(segment, tmp_path):
    source, _archive = segment
    done = sh("archive-wal.sh", source, source.name, tmp_path / "not-mounted")
    assert done.returncode == 1
    assert not (tmp_path / "not-mounted").exists()


def test_restore_wal_copies_an_archived_file_and_quietly_answers_missing(segment, tmp_path):
    source, archive = segment
    sh("archive-wal.sh", source, source.name, archive)
    target = tmp_path / "RECOVERYXLOG"
    assert sh("restore-wal.sh", source.name, target, archive).returncode == 0
    assert target.read_bytes() == source.read_bytes()
    missing = sh("restore-wal.sh", "00000002.history", tmp_path / "history", archive)
    assert (missing.returncode, missing.stderr) == (1, "")
