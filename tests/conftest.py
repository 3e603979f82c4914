from pathlib import Path

import pytest

ENGINE_TESTS = Path(__file__).parent / "engine"


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
