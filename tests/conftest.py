from pathlib import Path

import pytest

ENGINE_TESTS = Path(__file__).parent / "engine"
BROWSER_TESTS = Path(__file__).parent / "browser"


def _serialized_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return (
        marker is not None
        and bool(marker.kwargs.get("transaction"))
        and bool(marker.kwargs.get("serialized_rollback"))
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Put back the reference rows (communes, genres, professions…) after a transactional test.

    The flush that ends it empties every table; ``serialized_rollback`` restores them only
    before the next such test, so an ordinary test that followed in this process (under xdist,
    any file may) found no commune. tests/browser does the same after its last test."""
    try:
        return (yield)
    finally:
        if (
            nextitem is not None
            and _serialized_transactional(item)
            and not _serialized_transactional(nextitem)
            and not Path(item.path).is_relative_to(BROWSER_TESTS)
        ):
            restore_reference_rows(item.config)


def restore_reference_rows(config) -> None:
    """Load again what the test database held once migrated (the flush of a transactional
    test empties every table); tests/browser calls it after its last test too."""
    from django.db import connections
    from pytest_django.plugin import blocking_manager_key

    with config.stash[blocking_manager_key].unblock():
        for connection in connections.all(initialized_only=True):
            contents = getattr(connection, "_test_serialized_contents", None)
            if contents:
                connection.creation.deserialize_db_from_string(contents)


@pytest.fixture(autouse=True)
def _fast_and_isolated(request, tmp_path):
    # The engine's tests run without Django (`pytest tests/engine -p no:django`).
    if Path(request.path).is_relative_to(ENGINE_TESTS):
        return
    settings = request.getfixturevalue("settings")
    # Our catalogues are off unless a test asks for them: assertions then read as the source
    # strings do, while URLs, Django's own messages and number formats stay those of the French
    # default. Tests marked `translations` check the French, English and Dutch texts themselves.
    if request.node.get_closest_marker("translations") is None:
        settings.LOCALE_PATHS = []
    # Tests never touch the developer's files, nor wait for a password hash.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # A code computed by the test just before a 30-second step ends may reach the server after
    # it on a loaded machine: accept the neighbouring step, as a phone whose clock is a few
    # seconds off needs (production keeps allauth's default: the current step only).
    settings.MFA_TOTP_TOLERANCE = 1
    # The API's rate limits are out of the way, except where they are the subject.
    if Path(request.path).name != "test_rate_limits.py":
        settings.FILIERE_API_RATE_SIGNED_IN = settings.FILIERE_API_RATE_ANONYMOUS = "100000/m"


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite, the test database is a file (one per xdist worker), not Django's in-memory one.

    With an in-memory database Django hands the live server the test thread's one connection,
    so two requests at once (an autosave and a form's POST) shared it and failed ("no such
    savepoint"). With a file, every live-server request opens its own connection, as in
    production."""
    from django.conf import settings

    for alias, db_settings in settings.DATABASES.items():
        if db_settings["ENGINE"] == "django.db.backends.sqlite3":
            name = tmp_path_factory.getbasetemp() / f"test-{alias}.sqlite3"
            db_settings.setdefault("TEST", {})["NAME"] = str(name)


def pytest_collection_modifyitems(items):
    # A transactional test without serialized_rollback would leave the reference rows flushed
    # and the content types re-created for the tests after it: refuse it at collection.
    bare = [
        item.nodeid
        for item in items
        if (marker := item.get_closest_marker("django_db")) is not None
        and marker.kwargs.get("transaction")
        and not marker.kwargs.get("serialized_rollback")
    ]
    if bare:
        raise pytest.UsageError(
            "transactional tests need serialized_rollback=True: " + ", ".join(bare)
        )
