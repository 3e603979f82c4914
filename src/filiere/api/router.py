"""The JSON API v1: one NinjaAPI, one module per resource.

Each resource module defines a ``router`` and is added below; every operation states its rule
with ``auth=`` from ``filiere.api.auth`` (SIGNED_IN or OPTIONAL) and a ``# permission:`` comment.
The authorization matrix (tests/test_authorization_matrix.py) reads the OpenAPI schema, so a new
operation needs an entry in tests/authz/expectations.py.
"""

from ninja import NinjaAPI

from . import applications, me

api = NinjaAPI(
    title="Filière API",
    version="1.0.0",
    description="Open data and platform operations of the Filière creative-industries cluster.",
    urls_namespace="api-v1",
)

api.add_router("/me", me.router)
api.add_router("/applications", applications.router)
