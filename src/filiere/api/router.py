"""The JSON API v1: one NinjaAPI, one module per resource.

Each resource module defines a ``router`` and is added below; every operation states its rule
with ``auth=`` from ``filiere.api.auth`` (SIGNED_IN or OPTIONAL) and a ``# permission:`` comment.
The authorization matrix (tests/test_authorization_matrix.py) reads the OpenAPI schema, so a new
operation needs an entry in tests/authz/expectations.py.
"""

from typing import Any

from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema

from . import (
    applications,
    decisions,
    errors,
    filters,
    language,
    me,
    organisations,
    people,
    privacy,
    reference,
    review,
)
from .docs import ReadableDocs
from .throttling import ApiRateThrottle


class FiliereApi(NinjaAPI):
    """The NinjaAPI whose OpenAPI document says what every operation may answer.

    The error answers that follow from how an operation is declared are added to its document in
    one place (``errors.document_answers``) rather than by each operation: 401 when it has
    authentication, 403 on unsafe methods, 404 with a path parameter, 413 with a body, 422 with
    parameters, 429 for every throttled operation; and operations open to anonymous callers
    (``auth=OPTIONAL``) list the empty security requirement. Closed filters get their enum of
    current values (``filters.fill_enums``): the only part of the document read from the
    database, so ``NinjaAPI.get_openapi_schema`` alone lists the operations without it."""

    def get_openapi_schema(self, **kwargs: Any) -> OpenAPISchema:
        schema = super().get_openapi_schema(**kwargs)
        operations = {
            self.get_openapi_operation_id(operation): operation
            for bound in self._get_bound_routers()
            for path_view in bound.path_operations.values()
            for operation in path_view.operations
        }
        errors.document_answers(schema, operations)
        filters.fill_enums(schema)  # closed filters: the values in the database now
        return schema


api = FiliereApi(
    title="Filière API",
    version="1.0.0",
    description="Open data and platform operations of the Filière creative-industries cluster.",
    urls_namespace="api-v1",
    docs=ReadableDocs(),  # the reference as accessible HTML in the site's layout (docs.py)
    # Every operation: per token or account, per address when anonymous (throttling.py).
    throttle=[ApiRateThrottle()],
)

errors.install(api)  # one error shape for every operation (see errors.py)
api.add_decorator(language.in_callers_language, mode="view")  # Accept-Language (language.py)

api.add_router("/me", me.router)
api.add_router("/me/export", privacy.router)  # all my data (filiere.privacy)
api.add_router("/people", people.router)
api.add_router("/organisations", organisations.router)
api.add_router("", reference.router)  # /territories, /sectors, /professions
api.add_router("", "filiere.api.skills.router")  # /skills: the skills vocabulary
api.add_router("/calls", "filiere.api.calls.router")  # public calls for projects
api.add_router("/applications", applications.router)
api.add_router("/review", review.router)  # the expert's assignments and reviews
api.add_router("", decisions.router)  # /applications/{id}/decision (the committee's)
api.add_router("", "filiere.api.committee_simulation.router")  # the simulator's result
api.add_router("/committee", "filiere.api.committee.router")  # sessions, agenda, votes
api.add_router("/events", "filiere.api.events.router")  # events, registrations, meetings
api.add_router("", "filiere.api.contacts.router")  # /introductions, /blocks, /reports
api.add_router("/posts", "filiere.api.posts.router")  # the offers and needs board
api.add_router("/agreements", "filiere.api.agreements.router")  # agreements (filiere.awards)
# Tranches, payment requests and spend of an agreement.
api.add_router("/agreements", "filiere.api.awards_follow_up.router")
api.add_router("/observatory", "filiere.api.observatory.router")  # public statistics
api.add_router("", "filiere.api.opendata.router")  # /open-data: the published awards' files
api.add_router("/showcase", "filiere.api.showcase.router")  # the funded works, public
