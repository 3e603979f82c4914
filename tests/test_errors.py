"""The one error family: codes translated by the translator of their app's prefix."""

import re
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

import filiere
from filiere import errors
from filiere.calls import throttle
from filiere.engine import identifiers
from tests.calls.apply_factories import DraftFactory, invite
from tests.factories import UserFactory


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


# --- every code a service raises has its sentence -----------------------------------------------

SOURCE = Path(filiere.__file__).parent

#: A code given literally where a refusal is raised or built (``raise X("apply.read_only"``,
#: ``TransitionError.of("workflow...``, ``super().__init__("upload.not_servable"``).
RAISED = re.compile(r'(?:raise\s+[\w.]+|\.of|super\(\)\.__init__)\(\s*"([a-z_]+(?:\.[a-z_]+)+)"')
#: The engine's codes that services pass on as they are (filing, workflow, rules).
ENGINE_CODES = re.compile(r'"((?:apply|workflow|rules)\.[a-z_]+)"')
IDENTIFIER_PROBLEMS = ("invalid", "invalid_checksum", "invalid_component", "invalid_format")


def raised_codes() -> set[str]:
    codes: set[str] = set()
    for path in SOURCE.rglob("*.py"):
        # The engine's own errors (money, rules...) are not refusals: forms say them.
        if {"migrations", "engine"} & set(path.parts) or path == SOURCE / "errors.py":
            continue
        codes |= set(RAISED.findall(path.read_text()))
    for name in ("filing.py", "workflow.py", "eligibility.py"):
        codes |= set(ENGINE_CODES.findall((SOURCE / "engine" / name).read_text()))
    codes |= {f"throttle.{scope}" for scope in throttle.SETTINGS}
    codes |= {
        f"{kind}.{problem}"
        for kind in identifiers.CHECKS
        for problem in (*IDENTIFIER_PROBLEMS, "invalid_length", "unknown_division")
    }
    codes |= {"token_expired", "second_factor_required", "read_only_token"}
    return codes


def test_the_scan_finds_the_codes_of_every_app():
    codes = raised_codes()

    for sample in (
        "apply.read_only",
        "apply.only_lead_submits",
        "upload.not_servable",
        "workflow.service_owned",
        "transition.correction_date_past",
        "question.choices_missing",
        "instruction.not_your_filter",
        "affiliation.already_pending",
        "community.members_only",
        "accounts.last_admin",
        "review.not_pool_staff",
    ):
        assert sample in codes


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_code_a_service_raises_has_a_registered_sentence(language):
    untranslated = []
    with translation.override(language):
        for code in sorted(raised_codes()):
            sentence = errors.translate(code, {})
            fallbacks = {
                errors.translate("nobody.knows." + code),  # the family's fallback, any code
                _("Check failed: %(code)s") % {"code": code},  # calls.phrases.message's own
                code,
            }
            if sentence in fallbacks or code in sentence:
                untranslated.append(code)

    assert untranslated == []


# --- pages show the sentence, in the reader's language ------------------------------------------


@pytest.mark.django_db
@pytest.mark.translations
def test_a_page_shows_the_refusal_in_french(client):
    application = DraftFactory()
    partner = UserFactory(preferred_language="fr")
    invite(application, partner)
    client.force_login(partner)
    with translation.override("fr"):
        url = reverse("calls:application_submit", args=[application.pk])

    response = client.post(url)

    shown = [str(message) for message in get_messages(response.wsgi_request)]
    assert shown == ["Seul le porteur de projet principal peut déposer le dossier."]
    application.refresh_from_db()
    assert application.state == "draft"
