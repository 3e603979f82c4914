"""The one error family: codes translated by the translator of their app's prefix."""

import pytest
from django.utils import translation

from filiere import errors


@pytest.fixture
def translators():
    saved = dict(errors._TRANSLATORS)
    yield errors._TRANSLATORS
    errors._TRANSLATORS.clear()
    errors._TRANSLATORS.update(saved)


def test_message_comes_from_the_longest_registered_prefix(translators):
    errors.register("demo.", lambda code, params: f"generic {code}")
    errors.register("demo.special.", lambda code, params: "special {n}".format(**params))

    assert errors.ServiceError("demo.special.case", {"n": 3}).message == "special 3"
    assert errors.ServiceError("demo.other").message == "generic demo.other"


def test_unregistered_code_still_gives_a_sentence_with_the_code(translators):
    with translation.override("en"):
        message = errors.ServiceError("nobody.knows").message

    assert message == "This action was refused (nobody.knows)."


def test_each_kind_of_refusal_has_its_http_status():
    assert errors.ServiceError("x").status == 409
    assert errors.NotAllowed("x").status == 403
    assert errors.Invalid("x", field="name").status == 422
    assert errors.Invalid("x", field="name").field == "name"
    assert errors.Throttled("x", retry_after=30).retry_after == 30
    assert isinstance(errors.Throttled("x"), errors.ServiceError)


def test_params_are_copied_so_the_caller_cannot_change_the_error():
    params = {"count": 2}
    error = errors.ServiceError("x.y", params)
    params["count"] = 5

    assert error.params == {"count": 2}
    assert str(error) == "x.y {'count': 2}"
