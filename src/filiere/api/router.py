"""The JSON API v1: one NinjaAPI, one module per resource.

Each resource module defines a ``router`` and is added below; every operation states its rule
with ``auth=`` from ``filiere.api.auth`` (SIGNED_IN or OPTIONAL) and a ``# permission:`` comment.
The authorization matrix (tests/test_authorization_matrix.py) reads the OpenAPI schema, so a new
operation needs an entry in tests/authz/expectations.py.
"""

from ninja import NinjaAPI

from . import applications, errors, language, me, organisations, people, reference

api = NinjaAPI(
    title="Filière API",
    version="1.0.0",
    description="Open data and platform operations of the Filière creative-industries cluster.",
    urls_namespace="api-v1",
)

errors.install(api)  # one error shape for every operation (see errors.py)
api.add_decorator(language.in_callers_language, mode="view")  # Accept-Language (language.py)

api.add_router("/me", me.router)
api.add_router("/people", people.router)
api.add_router("/organisations", organisations.router)
api.add_router("", reference.router)  # /territories, /sectors, /professions
api.add_router("/calls", "filiere.api.calls.router")  # public calls for projects
api.add_router("/applications", applications.router)
