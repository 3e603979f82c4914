import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    # The files are cached per version; each test starts from an empty cache.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _publisher(settings):
    settings.FILIERE_OPEN_DATA_PUBLISHER_NAME = "Pôle Images"
    settings.FILIERE_OPEN_DATA_PUBLISHER_SIRET = "00000000000018"
    settings.FILIERE_OPEN_DATA_360G_PREFIX = "360G-filiere"
    settings.FILIERE_SITE_URL = "https://filiere.example.org"
