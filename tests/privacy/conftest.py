import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _in_english():
    """Pages are asked for under /en/ so that assertions can quote the English messages."""
    with translation.override("en"):
        yield
