#!/usr/bin/env python3
"""The uploaded files (MEDIA_ROOT) backed up in a content-addressed store, with manifests.

Standard library only; runs with any Python 3.11 (the application's virtualenv or the system's).

    files_backup.py backup  --media-root DIR --store DIR
    files_backup.py restore --store DIR --target DIR [--manifest FILE | --before TIME]
                            [--expected FILE|-]
    files_backup.py check   --media-root DIR --expected FILE|-
    files_backup.py prune   --store DIR --keep-days N [--keep-min K]

The store holds each distinct content once, named by its SHA-256 (``objects/ab/abcdef…``), and
one manifest per run (``manifests/<UTC time>.tsv``: sha256, size, mtime_ns, path relative to
MEDIA_ROOT). A file unchanged since the previous run (same size and modification time) is not
read again. Nothing in the store is ever overwritten: a deleted or replaced upload stays
restorable until ``prune`` drops the manifests older than the retention and the objects that no
kept manifest names.

The database records the SHA-256 of every uploaded file (documents, attachments, signed
agreements, proofs…); ``--expected`` takes those ``path<TAB>sha256`` lines (the output of
``psql -AtF $'\\t' -f file-references.sql``): ``restore`` then brings back exactly the files
the restored database names, each checked against the database's hash, and ``check`` verifies a
live MEDIA_ROOT against the database.

With the uploads in an S3 bucket (``FILIERE_STORAGE=s3``) there is no MEDIA_ROOT to copy: the
bucket's versioning and replication are its backups (docs/deploy/storage.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

CHUNK = 1024 * 1024
STAMP = "%Y%m%dT%H%M%S%fZ"


@dataclass(frozen=True)
class Entry:
    sha256: str
    size: int
    mtime_ns: int
    path: str


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def object_path(store: Path, sha256: str) -> Path:
    if len(sha256) != 64 or any(ch not in "0123456789abcdef" for ch in sha256):
        raise ValueError(f"not a SHA-256: {sha256!r}")
    return store / "objects" / sha256[:2] / sha256


def _fsync_dir(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _write_new(target: Path, source: Path) -> str:
    """Copy ``source`` to ``target`` via a flushed temporary file; return the copy's SHA-256."""
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    # Not a `with` block: the file must outlive it, renamed into place once complete.
    handle = tempfile.NamedTemporaryFile(dir=target.parent, prefix=".tmp-", delete=False)  # noqa: SIM115
    try:
        with handle, source.open("rb") as reader:
            while chunk := reader.read(CHUNK):
                digest.update(chunk)
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(handle.name, target)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise
    _fsync_dir(target.parent)
    return digest.hexdigest()


def store_object(store: Path, source: Path, sha256: str) -> bool:
    """Put ``source`` in the store under ``sha256`` unless there; True when copied."""
    target = object_path(store, sha256)
    if target.exists():
        return False
    copied = _write_new(target, source)
    if copied != sha256:  # the file changed while it was read: keep nothing wrong
        target.unlink()
        raise RuntimeError(f"{source} changed while it was copied")
    return True


def _safe_relative(path: str) -> str:
    parts = Path(path).parts
    if not path or Path(path).is_absolute() or ".." in parts or "\t" in path or "\n" in path:
        raise ValueError(f"refusing the path {path!r}")
    return path


# --- Manifests ----------------------------------------------------------------------------------


def write_manifest(store: Path, entries: Iterable[Entry], when: dt.datetime) -> Path:
    folder = store / "manifests"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{when.strftime(STAMP)}.tsv"
    lines = [f"{e.sha256}\t{e.size}\t{e.mtime_ns}\t{e.path}\n" for e in entries]
    temporary = folder / f".{target.name}.tmp"
    with temporary.open("w", encoding="utf-8") as handle:
        handle.write("# sha256\tsize\tmtime_ns\tpath\n")
        handle.writelines(lines)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, target)
    _fsync_dir(folder)
    return target


def read_manifest(path: Path) -> dict[str, Entry]:
    entries = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        sha256, size, mtime_ns, relative = line.split("\t", 3)
        entries[relative] = Entry(sha256, int(size), int(mtime_ns), relative)
    return entries


def manifests(store: Path) -> list[Path]:
    return sorted((store / "manifests").glob("*.tsv"))


def manifest_time(path: Path) -> dt.datetime:
    return dt.datetime.strptime(path.stem, STAMP).replace(tzinfo=dt.UTC)


def read_expected(lines: Iterable[str]) -> dict[str, str]:
    """``path<TAB>sha256`` lines (from the database) → {path: sha256}."""
    expected = {}
    for line in lines:
        line = line.rstrip("\n")
        if line:
            relative, sha256 = line.rsplit("\t", 1)
            expected[_safe_relative(relative)] = sha256.strip().lower()
    return expected


# --- Commands -----------------------------------------------------------------------------------


def _walk(media_root: Path) -> Iterator[Path]:
    for folder, directories, files in os.walk(media_root):
        directories.sort()
        for name in sorted(files):
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                yield path


def backup(media_root: Path, store: Path, *, rehash: bool = False) -> dict[str, object]:
    started = time.perf_counter()
    previous = read_manifest(manifests(store)[-1]) if manifests(store) and not rehash else {}
    entries, copied, copied_bytes = [], 0, 0
    for path in _walk(media_root):
        relative = _safe_relative(path.relative_to(media_root).as_posix())
        status = path.stat()
        known = previous.get(relative)
        if known and (known.size, known.mtime_ns) == (status.st_size, status.st_mtime_ns):
            sha256 = known.sha256
        else:
            sha256 = sha256_of(path)
        if store_object(store, path, sha256):
            copied += 1
            copied_bytes += status.st_size
        entries.append(Entry(sha256, status.st_size, status.st_mtime_ns, relative))
    manifest = write_manifest(store, entries, dt.datetime.now(dt.UTC))
    return {
        "manifest": str(manifest),
        "files": len(entries),
        "new_objects": copied,
        "copied_bytes": copied_bytes,
        "seconds": round(time.perf_counter() - started, 3),
    }


def restore(
    store: Path, target: Path, manifest: Path | None, expected: dict[str, str] | None
) -> dict[str, object]:
    """Bring back the manifest's files, and (first) every file the database expects."""
    started = time.perf_counter()
    if target.exists() and any(target.iterdir()):
        raise SystemExit(f"{target} is not empty; restore into a new directory")
    wanted = (
        {path: entry.sha256 for path, entry in read_manifest(manifest).items()} if manifest else {}
    )
    wanted.update(expected or {})  # the restored database has the last word
    missing = []
    for relative, sha256 in sorted(wanted.items()):
        source = object_path(store, sha256)
        if not source.exists():
            missing.append(relative)
            continue
        destination = target / _safe_relative(relative)
        if _write_new(destination, source) != sha256:
            raise SystemExit(f"the stored object {sha256} is damaged")
    for relative in missing:
        print(f"missing from the store: {relative}", file=sys.stderr)
    return {
        "files": len(wanted) - len(missing),
        "missing": len(missing),
        "seconds": round(time.perf_counter() - started, 3),
    }


def check(media_root: Path, expected: dict[str, str]) -> dict[str, object]:
    """Every file the database names is there with the database's SHA-256."""
    problems = []
    for relative, sha256 in sorted(expected.items()):
        path = media_root / relative
        if not path.is_file():
            problems.append(f"missing: {relative}")
        elif sha256_of(path) != sha256:
            problems.append(f"different content: {relative}")
    for problem in problems:
        print(problem, file=sys.stderr)
    return {"checked": len(expected), "problems": len(problems)}


def prune(store: Path, *, keep_days: float, keep_min: int = 2) -> dict[str, object]:
    """Drop manifests older than ``keep_days`` (always keeping the ``keep_min`` latest) and the
    objects that no kept manifest names."""
    every = manifests(store)
    limit = dt.datetime.now(dt.UTC) - dt.timedelta(days=keep_days)
    old = [path for path in every[: max(0, len(every) - keep_min)] if manifest_time(path) < limit]
    for path in old:
        path.unlink()
    kept = set()
    for path in manifests(store):
        kept.update(entry.sha256 for entry in read_manifest(path).values())
    removed = 0
    for path in (store / "objects").glob("*/*"):
        if path.name not in kept and not path.name.startswith("."):
            path.unlink()
            removed += 1
    return {"manifests_removed": len(old), "objects_removed": removed, "objects_kept": len(kept)}


def _manifest_before(store: Path, before: str) -> Path | None:
    limit = dt.datetime.fromisoformat(before)
    if limit.tzinfo is None:
        limit = limit.replace(tzinfo=dt.UTC)
    chosen = [path for path in manifests(store) if manifest_time(path) <= limit]
    return chosen[-1] if chosen else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    one = commands.add_parser("backup")
    one.add_argument("--media-root", type=Path, required=True)
    one.add_argument("--store", type=Path, required=True)
    one.add_argument("--rehash", action="store_true", help="read every file again")
    one = commands.add_parser("restore")
    one.add_argument("--store", type=Path, required=True)
    one.add_argument("--target", type=Path, required=True)
    one.add_argument("--manifest", type=Path)
    one.add_argument("--before", help="the latest manifest at or before this ISO time")
    one.add_argument("--expected", help="path<TAB>sha256 lines from the database ('-': stdin)")
    one = commands.add_parser("check")
    one.add_argument("--media-root", type=Path, required=True)
    one.add_argument("--expected", required=True)
    one = commands.add_parser("prune")
    one.add_argument("--store", type=Path, required=True)
    one.add_argument("--keep-days", type=float, required=True)
    one.add_argument("--keep-min", type=int, default=2)
    args = parser.parse_args(argv)

    def expected_lines(source: str | None) -> dict[str, str] | None:
        if source is None:
            return None
        if source == "-":
            return read_expected(sys.stdin)
        return read_expected(Path(source).read_text(encoding="utf-8").splitlines())

    if args.command == "backup":
        outcome = backup(args.media_root, args.store, rehash=args.rehash)
    elif args.command == "restore":
        manifest = args.manifest
        if manifest is None:
            manifest = (
                _manifest_before(args.store, args.before)
                if args.before
                else (manifests(args.store) or [None])[-1]
            )
        outcome = restore(args.store, args.target, manifest, expected_lines(args.expected))
    elif args.command == "check":
        outcome = check(args.media_root, expected_lines(args.expected) or {})
    else:
        outcome = prune(args.store, keep_days=args.keep_days, keep_min=args.keep_min)
    print(" ".join(f"{key}={value}" for key, value in outcome.items()))
    failed = outcome.get("missing") or outcome.get("problems")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
