"""Counting an API operation's own queries.

Every API request also reads and writes its rate-limit bucket in the database cache (a constant
few queries, api/throttling.py); query-count guards count what the operation itself asks for."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def _bookkeeping(sql: str) -> bool:
    return '"filiere_cache"' in sql or sql.startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))


def operation_queries(client, url: str, **headers) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    assert response.status_code == 200, response.content
    return len([query for query in queries if not _bookkeeping(query["sql"])])
