"""Calls for projects (public): ``/api/v1/calls`` and ``/api/v1/calls/{slug}``.

Only published calls, through the same selectors as the public pages. Filters: ``phase``
(``open``, ``upcoming``, ``closed``, at the time of the request), ``fund`` (a fund's slug) and
``genre`` (a genre's code). Money is given as decimal strings in euros (``"1400000.00"``),
datetimes in ISO 8601 with their offset, texts in the caller's language (Accept-Language) and,
under ``texts``, in the three languages.
"""

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from filiere.calls import phrases, selectors
from filiere.calls.models import Call, Fund, Genre

from .auth import OPTIONAL
from .errors import DETAIL_ERRORS, READ_ERRORS
from .filters import one_of, reject_unknown_parameters, reject_unknown_values
from .pagination import PageQuery, page_of, paginate

router = Router(tags=["calls"])


class LabelledOut(Schema):
    code: str
    label: str


class FundRef(Schema):
    slug: str
    name: str


class TextsOut(Schema):
    fr: str
    en: str
    nl: str


class CallOut(Schema):
    slug: str
    title: str
    summary: str
    fund: FundRef
    phase: str = Field(description="open, upcoming or closed, at the time of the request.")
    opens_at: datetime
    closes_at: datetime
    envelope: Decimal = Field(description="Euros.")
    ceiling_amount: Decimal | None = Field(description="Euros per project, if any.")
    ceiling_percent: Decimal | None = Field(description="Percent of the project's budget.")
    genres: list[LabelledOut]
    stages: list[LabelledOut]
    url: str = Field(description="The call's public page.")

    @staticmethod
    def resolve_phase(call: Call) -> str:
        return str(call.phase(timezone.now()))

    @staticmethod
    def resolve_genres(call: Call) -> list[dict]:
        return [{"code": g.code, "label": g.label} for g in call.genres.all()]

    @staticmethod
    def resolve_stages(call: Call) -> list[dict]:
        return [{"code": s.code, "label": s.label} for s in call.stages.all()]

    @staticmethod
    def resolve_url(call: Call, context: dict[str, Any]) -> str:
        return context["request"].build_absolute_uri(reverse("calls:detail", args=[call.slug]))


class CriterionOut(Schema):
    code: str
    label: str
    weight: int


class DocumentRequirementOut(Schema):
    document_type: LabelledOut
    stage: str | None = Field(description="Stage code, or null for every stage.")
    genre: str | None = Field(description="Genre code, or null for every genre.")
    required: bool


class CoFunderOut(Schema):
    name: str
    amount: Decimal
    eligible_partner_territories: list[str] = Field(
        description="Territory codes; empty when the share is open to every project."
    )


class RuleOut(Schema):
    kind: str
    description: str = Field(description="The rule in plain language.")
    config: dict = Field(description="The rule as configured (see the engine's JSON format).")


class CallDetailOut(CallOut):
    texts: dict[str, TextsOut]
    rules_text: str
    rules_pdf_url: str | None
    criteria: list[CriterionOut]
    documents: list[DocumentRequirementOut]
    cofunders: list[CoFunderOut]
    eligibility_rules: list[RuleOut]

    @staticmethod
    def resolve_rules_text(call: Call) -> str:
        return call.rules

    @staticmethod
    def resolve_texts(call: Call) -> dict:
        return {
            name: {code: getattr(call, f"{name}_{code}") for code in ("fr", "en", "nl")}
            for name in ("title", "summary", "rules")
        }

    @staticmethod
    def resolve_rules_pdf_url(call: Call, context: dict[str, Any]) -> str | None:
        if not call.rules_pdf or call.rules_pdf_scan_status != "clean":
            return None  # offered only once the antivirus found it clean
        return context["request"].build_absolute_uri(reverse("calls:rules_pdf", args=[call.slug]))

    @staticmethod
    def resolve_documents(call: Call) -> list[dict]:
        return [
            {
                "document_type": {"code": d.document_type.code, "label": d.document_type.label},
                "stage": d.stage.code if d.stage else None,
                "genre": d.genre.code if d.genre else None,
                "required": d.required,
            }
            for d in call.document_requirements.all()
        ]

    @staticmethod
    def resolve_eligibility_rules(call: Call) -> list[dict]:
        labels = selectors.rule_labels()
        return [
            {
                "kind": rule.kind,
                "description": phrases.describe_rule(rule, labels, closes_at=call.closes_at),
                "config": rule.to_json(),
            }
            for rule in selectors.call_rules(call)
        ]


class CallsQuery(PageQuery):
    phase: str | None = Field(
        None,
        description="open, upcoming or closed, at the time of the request.",
        json_schema_extra=one_of(lambda: Call.Phase.values),
    )
    fund: str | None = Field(
        None,
        description="A fund's slug.",
        json_schema_extra=one_of(lambda: Fund.objects.values_list("slug", flat=True)),
    )
    genre: str | None = Field(
        None,
        description="A genre's code, e.g. `serious-game`.",
        json_schema_extra=one_of(lambda: Genre.objects.values_list("code", flat=True)),
    )


@router.get(
    "",
    response={200: page_of(CallOut), **READ_ERRORS},
    auth=OPTIONAL,
    summary="Calls for projects",
    description=(
        "Published calls, those closing last first, filtered by phase, fund and genre. "
        "Unknown parameters or filter values are refused (422)."
    ),
)
def list_calls(request: HttpRequest, query: Query[CallsQuery]) -> dict[str, Any]:
    # permission: public; published calls only
    reject_unknown_parameters(request, CallsQuery)
    reject_unknown_values(
        {
            "phase": (query.phase, list(Call.Phase.values), ""),
            "fund": (query.fund, Fund.objects.all(), "slug"),
            "genre": (query.genre, Genre.objects.all(), "code"),
        }
    )
    rows = selectors.filter_calls(
        selectors.published_calls().order_by("-closes_at", "pk"),
        phase=query.phase or "",
        fund=query.fund or "",
        genre=query.genre or "",
    )
    return paginate(request, rows, query)


@router.get(
    "/{slug}",
    response={200: CallDetailOut, **DETAIL_ERRORS},
    auth=OPTIONAL,
    summary="One call for projects",
)
def call_detail(request: HttpRequest, slug: str) -> Call:
    # permission: public; a hidden call answers 404 like a missing one (even to staff: the API
    # publishes, the staff pages preview)
    return selectors.get_call_for_viewer(None, slug)
