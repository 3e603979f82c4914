"""Cloning a call for its next edition: a deep, unpublished copy with everything re-pointed."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from filiere.calls.models import Call, CoFunder, Criterion, DocumentRequirement, Question
from filiere.calls.services import design as services
from filiere.calls.services.design import DesignError, QuestionRow, Row
from tests.calls.design_factories import DesignCallFactory, paris
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def _full_call() -> Call:
    from filiere.calls.models import DocumentType, Genre, Stage

    call = DesignCallFactory(
        rules_en="Rules text",
        eligibility_rules=[
            {"kind": "deadline", "closes_at": "2009-10-15T12:00:00+02:00"},
            {"kind": "genre", "allowed": ["serious-game"]},
        ],
    )
    staff = user_with_role("staff")
    services.set_cofunders(
        call=call,
        by=staff,
        rows=[
            Row(values={"name": "Région", "amount": Decimal("800000")}),
            Row(
                values={
                    "name": "Wallimage",
                    "amount": Decimal("150000"),
                    "eligible_partner_territories": ["wallonia"],
                }
            ),
        ],
    )
    services.set_criteria(
        call=call,
        by=staff,
        rows=[
            Row(values={"code": "quality", "label_fr": "Qualité", "weight": 60}),
            Row(values={"code": "team", "label_fr": "Équipe", "weight": 40}),
        ],
    )
    services.set_document_requirements(
        call=call,
        by=staff,
        rows=[
            Row(values={"document_type": DocumentType.objects.get(code="synopsis")}),
            Row(
                values={
                    "document_type": DocumentType.objects.get(code="schedule"),
                    "stage": Stage.objects.get(code="production"),
                    "genre": Genre.objects.get(code="serious-game"),
                }
            ),
        ],
    )
    services.set_questions(
        call=call,
        by=staff,
        rows=[
            QuestionRow(code="has-lab", kind="yes_no", label_fr="Labo ?"),
            QuestionRow(
                code="lab-role",
                kind="text",
                label_fr="Rôle",
                condition_question="has-lab",
                condition_equals="yes",
            ),
            QuestionRow(code="partners", kind="group", label_fr="Partenaires"),
            QuestionRow(code="partner-name", kind="text", label_fr="Nom", group="partners"),
            QuestionRow(
                code="partner-country",
                kind="choice",
                label_fr="Pays",
                group="partners",
                choices=[{"value": "FR", "label_fr": "France"}, {"value": "BE", "label_fr": "B"}],
                condition_question="has-lab",
                condition_equals="no",
            ),
        ],
    )
    return call


def test_clone_copies_everything_and_repoints_groups_and_conditions():
    source = _full_call()
    clone = services.clone_call(call=source, by=user_with_role("staff"), slug="ei-2010")

    assert clone.pk != source.pk
    assert (clone.slug, clone.published, clone.cloned_from) == ("ei-2010", False, source)
    assert clone.title_fr == "Expériences interactives 2010"
    assert clone.reference_prefix == "EI2010"
    assert (clone.opens_at, clone.closes_at) == (paris(2010, 9, 1, 12), paris(2010, 10, 15, 12))
    assert clone.rules_en == "Rules text"
    assert (clone.envelope, clone.ceiling_amount, clone.ceiling_percent) == (
        source.envelope,
        source.ceiling_amount,
        source.ceiling_percent,
    )
    assert set(clone.genres.all()) == set(source.genres.all())
    assert set(clone.stages.all()) == set(source.stages.all())
    for model in (CoFunder, Criterion, DocumentRequirement, Question):
        assert model.objects.filter(call=clone).count() == model.objects.filter(call=source).count()
    assert model.objects.filter(call=source).count() == 5  # the source is untouched
    assert list(
        clone.cofunders.order_by("name").values_list(
            "name", "amount", "eligible_partner_territories"
        )
    ) == [
        ("Région", Decimal("800000.00"), []),
        ("Wallimage", Decimal("150000.00"), ["wallonia"]),
    ]
    assert list(clone.criteria.values_list("code", "weight")) == [("quality", 60), ("team", 40)]

    questions = {q.code: q for q in Question.objects.filter(call=clone)}
    originals = {q.code: q for q in Question.objects.filter(call=source)}
    assert list(questions) == list(originals)
    assert questions["partner-name"].group == questions["partners"]
    assert questions["partner-country"].group == questions["partners"]
    assert questions["partner-name"].group.call == clone
    assert questions["lab-role"].condition == {"question": "has-lab", "equals": "yes"}
    for question in questions.values():
        target = question.condition.get("question")
        if target:  # conditions name questions of the clone
            assert Question.objects.get(call=clone, code=target).call_id == clone.pk
    assert questions["partner-country"].choices == originals["partner-country"].choices
    assert not {q.pk for q in questions.values()} & {q.pk for q in originals.values()}

    # Rules copied, the deadline rule's own date shifted by the same year.
    assert clone.eligibility_rules == [
        {"kind": "deadline", "closes_at": "2010-10-15T12:00:00+02:00"},
        {"kind": "genre", "allowed": ["serious-game"]},
    ]


def test_clone_with_given_dates_and_page(client):
    source = _full_call()
    client.force_login(user_with_role("staff"))
    with translation.override("en"):
        response = client.post(
            reverse("calls:design_call_clone", args=[source.pk]),
            {
                "slug": "ei-2011",
                "years": "2",
                "opens_at_0": "2011-01-10",
                "opens_at_1": "",
                "closes_at_0": "2011-03-01",
                "closes_at_1": "18:30:15",
            },
        )
    clone = Call.objects.get(slug="ei-2011")
    assert response.status_code == 302
    assert (clone.opens_at, clone.closes_at) == (
        paris(2011, 1, 10, 12),
        paris(2011, 3, 1, 18, 30, 15),
    )
    assert clone.title_en == "Interactive experiences 2011"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"slug": "taken"}, "This short name is already used by another call."),
        (
            {
                "slug": "ok",
                "opens_at_0": "2011-03-01",
                "closes_at_0": "2011-01-01",
            },
            "The call must close after it opens.",
        ),
        ({"slug": "ok", "opens_at_0": "2011-03-01"}, "Give both dates, or neither."),
    ],
)
def test_clone_errors(client, data, message):
    source = DesignCallFactory()
    DesignCallFactory(slug="taken")
    client.force_login(user_with_role("staff"))
    with translation.override("en"):
        response = client.post(reverse("calls:design_call_clone", args=[source.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Call.objects.count() == 2


def test_clone_refused_to_non_staff():
    with pytest.raises(services.NotAllowed):
        services.clone_call(call=DesignCallFactory(), by=user_with_role("applicant"), slug="x")


def test_clone_shifts_29_february():
    source = DesignCallFactory(opens_at=paris(2008, 2, 29, 12), closes_at=paris(2008, 4, 1, 12))
    clone = services.clone_call(call=source, by=None, slug="leap")
    assert clone.opens_at == paris(2009, 2, 28, 12)


def test_service_rejects_closing_before_opening_even_without_the_form():
    source = DesignCallFactory()
    with pytest.raises(DesignError) as caught:
        services.clone_call(
            call=source,
            by=None,
            slug="x",
            opens_at=paris(2010, 1, 2),
            closes_at=paris(2010, 1, 1),
        )
    assert caught.value.code == "call.closes_before_opening"
