from pathlib import Path

import pytest

ENGINE_TESTS = Path(__file__).parent / "engine"


@pytest.fixture(autouse=True)
def _fast_and_isolated(request, tmp_path):
    # The engine's tests run without Django (`pytest tests/engine -p no:django`).
    if Path(request.path).is_relative_to(ENGINE_TESTS):
        return
    settings = request.getfixturevalue("settings")
    # Tests never touch the developer's files, nor wait for a password hash.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
