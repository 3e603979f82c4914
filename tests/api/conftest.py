import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections

from filiere.wsgi import application


@pytest.fixture
def api_schema():
    """The OpenAPI document, for schemathesis to call the WSGI application in-process.

    Django closes the database connection at the end of every request; inside a test's
    transaction that would lose it, so the requests keep it, as Django's test client does.
    Loaded inside the test: the document lists enum values read from the database."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
