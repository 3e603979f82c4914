import pytest
from django.core.cache import caches
from django.core.management import call_command


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    """The page cache is off in the rest of the suite (whose query counts measure rendering):
    these tests turn it on, each with an empty local-memory cache."""
    settings.FILIERE_PAGE_CACHE = True
    caches["pages"].clear()


@pytest.fixture
def database_page_cache(settings):
    """The production default: the database's cache table."""
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "filiere_page_cache",
        },
    }
    call_command("createcachetable", "filiere_page_cache", verbosity=0)
