"""The JSON API v1: one NinjaAPI, one module per resource."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="Filière API",
    version="1.0.0",
    description="Open data and platform operations of the Filière creative-industries cluster.",
    urls_namespace="api-v1",
)
