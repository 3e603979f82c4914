"""Request ids: an incoming ``X-Request-ID`` is kept when it is a safe token, else a new one."""

from __future__ import annotations

import re
import uuid

HEADER = "X-Request-ID"
# Letters, digits and ``. _ : -``, at most 64 (a UUID, a proxy's hex id, ``host:123``): nothing
# that could break a log line, a header or the audit log's column.
SAFE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")


def is_safe(value: str) -> bool:
    return SAFE.fullmatch(value) is not None


def new_request_id() -> str:
    return uuid.uuid4().hex


def request_id_from(incoming: str | None) -> str:
    return incoming if incoming and is_safe(incoming) else new_request_id()
