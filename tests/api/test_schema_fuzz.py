"""The API says what it does: schemathesis generates requests from the OpenAPI document, valid
and invalid, and every check it has must pass (no 5xx, only documented status codes, headers and
shapes, invalid input refused, valid input accepted, authentication not ignored...).

In-process through the WSGI application, on the test database (reference data from the
migrations), as an anonymous caller and with a member's API token; a few examples per operation
and mode keep it within a minute. The same checks against a served demo: docs/api.md, "Checking
the document".
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import CHECKS

from filiere.accounts.models import Role
from filiere.accounts.services import create_api_token, grant_role
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

FEW_EXAMPLES = settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def member_token() -> dict[str, str]:
    user = UserFactory()
    grant_role(user=user, role=Role.MEMBER, by=None)
    _token, key = create_api_token(user=user, name="fuzz")
    return {"Authorization": f"Bearer {key}"}


def fuzz(api_schema, headers: dict[str, str]) -> list[str]:
    checks = list(CHECKS.get_all())
    failures = []
    for result in api_schema.get_all_operations():
        operation = result.ok()
        for mode in GenerationMode:

            @FEW_EXAMPLES
            @given(case=operation.as_strategy(generation_mode=mode))
            def run(case):
                case.call_and_validate(headers=headers, checks=checks)

            try:
                run()
            except BaseExceptionGroup as failure:  # schemathesis' FailureGroup: report them all
                failures.append(f"{operation.label} ({mode.value}): {failure!r}\n{failure}")
            except Unsatisfiable:
                # Nothing to make invalid (an operation without parameters or body).
                assert mode is GenerationMode.NEGATIVE, operation.label
    return failures


def test_every_operation_conforms_to_its_document_for_anonymous_callers(api_schema):
    failures = fuzz(api_schema, {})

    assert not failures, "\n\n".join(failures)


def test_every_operation_conforms_to_its_document_with_a_token(api_schema):
    failures = fuzz(api_schema, member_token())

    assert not failures, "\n\n".join(failures)
