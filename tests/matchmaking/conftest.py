import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _in_english():
    """Messages are read in English (the source strings)."""
    with translation.override("en"):
        yield
