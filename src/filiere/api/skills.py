"""The skills vocabulary: ``/api/v1/skills``.

Public. The curated entries (the staff see the proposed ones too, and may filter on ``status``),
in the order of the tree, each with its labels in the three languages and ``label`` in the
caller's (Accept-Language, else French), its broader entry, synonyms and ROME codes.
"""

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from filiere.accounts.permissions import is_staff
from filiere.community.models import Skill, SkillStatus
from filiere.community.selectors_skills import SkillFilters, search_skills

from .auth import OPTIONAL
from .errors import READ_ERRORS
from .filters import check_filters, one_of
from .pagination import PageQuery, page_of, paginate

router = Router(tags=["reference"])


class Labels(Schema):
    fr: str
    en: str
    nl: str


class VocabularyEntryOut(Schema):
    slug: str
    label: str = Field(description="The label in the caller's language (French if none).")
    labels: Labels
    parent: str | None = Field(description="The broader entry's slug; null for a domain.")
    synonyms: list[str]
    rome_codes: list[str] = Field(description="French ROME job codes, e.g. `L1510`.")
    status: str = Field(description="`curated`, or `proposed` (seen by the staff only).")

    @staticmethod
    def resolve_labels(skill: Skill) -> dict[str, str]:
        return {"fr": skill.name, "en": skill.label_en, "nl": skill.label_nl}

    @staticmethod
    def resolve_parent(skill: Skill) -> str | None:
        return skill.parent.slug if skill.parent else None

    @staticmethod
    def resolve_rome_codes(skill: Skill) -> list[str]:
        return [code for code in skill.rome_codes.split(",") if code]


def _entries() -> Any:
    return Skill.objects.filter(status=SkillStatus.CURATED).values_list("slug", flat=True)


class SkillsQuery(PageQuery):
    q: str = Field(
        "",
        max_length=100,
        description=(
            "Words found in the French, English or Dutch labels or the synonyms, without "
            "case or accents (`etalonnage`, `grading` and `kleurcorrectie` find colour grading)."
        ),
    )
    parent: str | None = Field(
        None,
        description="The entries directly under this one (a slug, e.g. `sound-music`).",
        json_schema_extra=one_of(_entries),
    )
    domain: str | None = Field(
        None,
        description="Every entry under this one, at any depth (a slug, e.g. `animation`).",
        json_schema_extra=one_of(_entries),
    )
    status: str | None = Field(
        None,
        description="The staff only: `curated` or `proposed` (others see curated entries).",
        json_schema_extra=one_of(lambda: SkillStatus.values),
    )


@router.get(
    "/skills",
    response={200: page_of(VocabularyEntryOut), **READ_ERRORS},
    auth=OPTIONAL,
    summary="Skills vocabulary",
    description=(
        "The trades, techniques and tools of the image industries that describe people, "
        "organisations, offers, needs and genres. Unknown parameters or filter values are "
        "refused (422)."
    ),
)
def list_skills(request: HttpRequest, query: Query[SkillsQuery]) -> dict[str, Any]:
    # permission: public (reference data); proposed entries only for the staff
    curated = Skill.objects.filter(status=SkillStatus.CURATED)
    check_filters(
        request,
        SkillsQuery,
        {
            "parent": (query.parent, curated, "slug"),
            "domain": (query.domain, curated, "slug"),
            "status": (query.status, list(SkillStatus.values), ""),
        },
    )
    filters = SkillFilters(
        q=query.q, parent=query.parent or "", domain=query.domain or "", status=query.status or ""
    )
    return paginate(request, search_skills(filters, staff=is_staff(request.user)), query)
