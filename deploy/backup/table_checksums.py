#!/usr/bin/env python3
"""Counts and SHA-256 checksums of the tables that matter, to prove a restore identical.

    table_checksums.py --dsn postgres://… [--table NAME …] [--media-root DIR] [--json]

For each table: the number of rows and a SHA-256 over its rows taken in primary-key order, each
row as PostgreSQL's text form of the whole record (every column), under fixed session settings
(UTC, ISO dates, exact floats) so that two clusters print the same bytes for the same data.
Run it on the original (at the restore point) and on the restored cluster: equal checksums mean
every row and every column is identical. ``--media-root`` also hashes each uploaded file the
database names (``file-references.sql``) and compares it with the SHA-256 recorded at upload.

Needs psycopg (the application's virtualenv has it).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent

#: Applications and everything submitted with them, the documents, the audit trail.
TABLES = (
    "calls_application",
    "calls_submission",
    "calls_resubmission",
    "calls_answer",
    "calls_budgetline",
    "calls_financingsource",
    "calls_teammember",
    "calls_document",
    "audit_auditentry",
)
SESSION = (
    "SET TimeZone = 'UTC'",
    "SET DateStyle = 'ISO, YMD'",
    "SET IntervalStyle = 'postgres'",
    "SET extra_float_digits = 3",
    "SET bytea_output = 'hex'",
)


def rows_digest(rows: Iterable[tuple[Sequence[Any], str]]) -> tuple[int, str]:
    """(count, SHA-256) of ``(primary key, row text)`` pairs, in primary-key order whatever the
    order given. Key and row are length-prefixed: moving bytes from one row to the next, or a
    row to another key, changes it."""
    digest = hashlib.sha256()
    count = 0
    for key, text in sorted(rows, key=lambda row: tuple(row[0])):
        for data in ("\x1f".join(map(str, key)).encode(), text.encode()):
            digest.update(len(data).to_bytes(8, "big"))
            digest.update(data)
        count += 1
    return count, digest.hexdigest()


def _identifier(name: str) -> str:
    if not name.replace("_", "").isalnum():
        raise ValueError(f"not a table name: {name!r}")
    return f'"{name}"'


def primary_key(cursor: Any, table: str) -> list[str]:
    cursor.execute(
        "SELECT a.attname FROM pg_index i JOIN pg_attribute a"
        " ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)"
        " WHERE i.indrelid = %s::regclass AND i.indisprimary"
        " ORDER BY array_position(i.indkey::int2[], a.attnum)",
        [table],
    )
    return [name for (name,) in cursor.fetchall()]


def table_checksums(connection: Any, tables: Iterable[str] = TABLES) -> dict[str, dict[str, Any]]:
    figures = {}
    with connection.cursor() as cursor:
        for statement in SESSION:
            cursor.execute(statement)
        for table in tables:
            keys = primary_key(cursor, table)
            columns = ", ".join(_identifier(k) for k in keys)
            # Identifiers checked by _identifier, quoted; no value is interpolated.
            cursor.execute(
                f"SELECT {columns}, t::text FROM {_identifier(table)} t"  # noqa: S608
                f" ORDER BY {columns}"
            )
            count, sha256 = rows_digest((row[:-1], row[-1]) for row in cursor.fetchall())
            figures[table] = {"rows": count, "sha256": sha256}
    return figures


def file_checks(connection: Any, media_root: Path) -> dict[str, Any]:
    """Each file the database names, hashed on disk and compared with the recorded SHA-256."""
    with connection.cursor() as cursor:
        cursor.execute((HERE / "file-references.sql").read_text(encoding="utf-8"))
        references = cursor.fetchall()
    problems = []
    digest = hashlib.sha256()
    for relative, recorded in references:
        path = media_root / relative
        if not path.is_file():
            problems.append(f"missing: {relative}")
            continue
        actual = hashlib.sha256(path.read_bytes()).hexdigest()
        digest.update(f"{relative}\t{actual}\n".encode())
        if actual != recorded:
            problems.append(f"different content: {relative}")
    return {"files": len(references), "problems": problems, "sha256": digest.hexdigest()}


def main(argv: list[str] | None = None) -> int:
    import psycopg

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dsn", required=True)
    parser.add_argument("--table", action="append", dest="tables")
    parser.add_argument("--media-root", type=Path)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    with psycopg.connect(args.dsn) as connection:
        figures: dict[str, Any] = {"tables": table_checksums(connection, args.tables or TABLES)}
        if args.media_root:
            figures["files"] = file_checks(connection, args.media_root)
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        for table, row in figures["tables"].items():
            print(f"{table:<28} {row['rows']:>9}  {row['sha256']}")
        if "files" in figures:
            files = figures["files"]
            print(f"{'files':<28} {files['files']:>9}  problems: {len(files['problems'])}")
            for problem in files["problems"]:
                print(f"  {problem}", file=sys.stderr)
    return 1 if figures.get("files", {}).get("problems") else 0


if __name__ == "__main__":
    sys.exit(main())
