"""The uploaded files' backup: content-addressed, never overwritten, restored as the restored
database names them and checked against the SHA-256 the database recorded."""

import hashlib
import os

import pytest

from .scripts import load

files_backup = load("files_backup")


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def media(tmp_path):
    root = tmp_path / "media"
    (root / "applications" / "7").mkdir(parents=True)
    (root / "applications" / "7" / "a1").write_bytes(b"%PDF synopsis")
    (root / "applications" / "7" / "b2").write_bytes(b"%PDF budget")
    (root / "messages").mkdir()
    (root / "messages" / "c3").write_bytes(b"attachment")
    return root


def test_a_backup_restores_every_file_identical(media, tmp_path):
    store = tmp_path / "store"
    outcome = files_backup.backup(media, store)
    assert (outcome["files"], outcome["new_objects"]) == (3, 3)
    restored = tmp_path / "restored"
    manifest = files_backup.manifests(store)[-1]
    assert files_backup.restore(store, restored, manifest, None)["missing"] == 0
    for path in media.rglob("*"):
        if path.is_file():
            assert (restored / path.relative_to(media)).read_bytes() == path.read_bytes()


def test_the_same_content_is_stored_once_and_a_second_run_copies_nothing(media, tmp_path):
    store = tmp_path / "store"
    (media / "messages" / "copy").write_bytes(b"attachment")
    assert files_backup.backup(media, store)["new_objects"] == 3
    again = files_backup.backup(media, store)
    assert (again["files"], again["new_objects"]) == (4, 0)
    assert len(files_backup.manifests(store)) == 2


def test_a_deleted_file_comes_back_as_the_restored_database_names_it(media, tmp_path):
    store = tmp_path / "store"
    files_backup.backup(media, store)
    deleted = media / "applications" / "7" / "a1"
    deleted.unlink()
    files_backup.backup(media, store)  # the next run no longer lists it
    expected = {"applications/7/a1": sha(b"%PDF synopsis")}
    restored = tmp_path / "restored"
    latest = files_backup.manifests(store)[-1]
    assert files_backup.restore(store, restored, latest, expected)["missing"] == 0
    assert (restored / "applications" / "7" / "a1").read_bytes() == b"%PDF synopsis"
    assert files_backup.check(restored, expected) == {"checked": 1, "problems": 0}


def test_a_file_never_backed_up_is_reported_missing(media, tmp_path, capsys):
    store = tmp_path / "store"
    files_backup.backup(media, store)
    expected = {"applications/7/new": sha(b"uploaded after the last run")}
    outcome = files_backup.restore(store, tmp_path / "restored", None, expected)
    assert outcome["missing"] == 1
    assert "applications/7/new" in capsys.readouterr().err


def test_check_reports_a_file_whose_content_differs_from_the_database(media):
    expected = {"applications/7/a1": sha(b"%PDF synopsis"), "messages/c3": sha(b"other")}
    assert files_backup.check(media, expected) == {"checked": 2, "problems": 1}


def test_a_restore_into_a_folder_in_use_is_refused(media, tmp_path):
    store = tmp_path / "store"
    files_backup.backup(media, store)
    with pytest.raises(SystemExit):
        files_backup.restore(store, media, files_backup.manifests(store)[-1], None)


def test_a_damaged_stored_object_is_not_restored_as_if_whole(media, tmp_path):
    store = tmp_path / "store"
    files_backup.backup(media, store)
    damaged = files_backup.object_path(store, sha(b"attachment"))
    damaged.write_bytes(b"bit rot")
    with pytest.raises(SystemExit, match="damaged"):
        files_backup.restore(
            store, tmp_path / "restored", None, {"messages/c3": sha(b"attachment")}
        )


def test_retention_keeps_every_object_a_kept_manifest_names(media, tmp_path):
    store = tmp_path / "store"
    files_backup.backup(media, store)
    first = files_backup.manifests(store)[0]
    old = first.with_name("20200101T000000000000Z.tsv")
    first.rename(old)  # that run was years ago
    (media / "messages" / "c3").unlink()
    files_backup.backup(media, store)
    outcome = files_backup.prune(store, keep_days=14, keep_min=1)
    assert outcome == {"manifests_removed": 1, "objects_removed": 1, "objects_kept": 2}
    assert not files_backup.object_path(store, sha(b"attachment")).exists()
    assert files_backup.object_path(store, sha(b"%PDF budget")).exists()


@pytest.mark.parametrize("path", ["../etc/passwd", "/etc/passwd", "a\tb"])
def test_paths_from_the_database_cannot_leave_the_target(path):
    with pytest.raises(ValueError):
        files_backup.read_expected([f"{path}\t{sha(b'x')}\n"])


def test_the_command_line_fails_when_a_file_is_missing(media, tmp_path):
    expected = tmp_path / "expected.tsv"
    expected.write_text(f"applications/7/zz\t{sha(b'x')}\n")
    code = files_backup.main(["check", "--media-root", str(media), "--expected", str(expected)])
    assert code == 1
    assert os.path.exists(media / "applications" / "7" / "a1")
