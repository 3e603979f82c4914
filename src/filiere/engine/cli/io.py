"""Reading and writing the CLI's files with errors that name the file, line and field."""

import csv
import json
import math
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from filiere.engine.cli.errors import InputError


def read_csv(path: str, required: Sequence[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, row) for a CSV file with a header row holding `required` columns."""
    try:
        handle = open(path, newline="", encoding="utf-8-sig")  # noqa: SIM115 - closed below
    except OSError as error:
        raise InputError(path, f"cannot read file ({error.strerror})") from None
    with handle:
        reader = csv.DictReader(handle)
        try:
            header = reader.fieldnames or []
        except (UnicodeDecodeError, csv.Error) as error:
            raise InputError(path, f"not a UTF-8 CSV file ({error})", line=1) from None
        missing = [name for name in required if name not in header]
        if missing:
            raise InputError(path, f"missing column(s) {', '.join(missing)} in header", line=1)
        try:
            for row in reader:
                if None in row:
                    raise InputError(path, "more values than columns", line=reader.line_num)
                yield reader.line_num, row
        except (UnicodeDecodeError, csv.Error) as error:
            raise InputError(path, f"unreadable CSV ({error})", line=reader.line_num) from None


def read_jsonl(path: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (line number, object) for a JSON Lines file; blank lines are ignored."""
    try:
        handle = open(path, encoding="utf-8-sig")  # noqa: SIM115 - closed below
    except OSError as error:
        raise InputError(path, f"cannot read file ({error.strerror})") from None
    with handle:
        try:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    value = json.loads(line)
                except json.JSONDecodeError as error:
                    raise InputError(path, f"invalid JSON ({error.msg})", line=number) from None
                if not isinstance(value, dict):
                    raise InputError(path, "each line must be a JSON object", line=number)
                yield number, value
        except UnicodeDecodeError as error:
            raise InputError(path, f"not a UTF-8 file ({error})") from None


def number(
    path: str, line: int, field: str, raw: str | None, *, minimum: float | None = None
) -> float:
    """Parse a finite number from a CSV cell, or raise an InputError naming it."""
    if raw is None or raw.strip() == "":
        raise InputError(path, "a number is required", line=line, field=field)
    try:
        value = float(raw)
    except ValueError:
        raise InputError(path, f"'{raw}' is not a number", line=line, field=field) from None
    if not math.isfinite(value):
        raise InputError(path, f"'{raw}' is not a finite number", line=line, field=field)
    if minimum is not None and value < minimum:
        raise InputError(path, f"must be at least {minimum:g}", line=line, field=field)
    return value


def required_text(path: str, line: int, field: str, raw: str | None) -> str:
    if raw is None or raw.strip() == "":
        raise InputError(path, "a value is required", line=line, field=field)
    return raw.strip()


def write_csv(path: str, header: Sequence[str], rows: Iterator[Sequence[Any]] | list[Any]) -> int:
    """Write rows under a header; return how many were written."""
    count = 0
    try:
        target = Path(path)
        with target.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            for row in rows:
                writer.writerow(row)
                count += 1
    except OSError as error:
        raise InputError(path, f"cannot write file ({error.strerror})") from None
    return count
