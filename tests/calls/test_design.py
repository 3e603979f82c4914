"""Designing a call (staff): access, creation with defaults, every validation error (shown,
translated, input kept), the form builder, eligibility rules through the form, publication."""

import json
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from filiere.audit.models import AuditEntry
from filiere.calls.models import Call, Criterion, Genre, Question, Stage
from filiere.calls.services.design import DEFAULT_CRITERIA, default_rules_json
from filiere.engine.eligibility import (
    experiences_interactives_2009_rules,
    rules_from_json,
    rules_to_json,
)
from tests.calls.design_factories import PDF_BYTES, DesignCallFactory, paris
from tests.factories import FundFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


@pytest.fixture
def staff_client(client):
    client.force_login(user_with_role("staff"))
    return client


def _call_form(fund, **overrides):
    data = {
        "fund": fund.pk,
        "slug": "ei-2009",
        "reference_prefix": "EI2009",
        "title_fr": "Expériences interactives 2009",
        "title_en": "Interactive experiences 2009",
        "summary_fr": "Un appel de 1,4 M€.",
        "genres": [g.pk for g in Genre.objects.filter(code__in=["serious-game", "video-game"])],
        "stages": [s.pk for s in Stage.objects.all()],
        "envelope": "1 400 000",
        "ceiling_amount": "150 000 €",
        "ceiling_percent": "50",
        "opens_at_0": "2009-09-01",
        "opens_at_1": "12:00:00",
        "closes_at_0": "2009-10-15",
        "closes_at_1": "12:00:00",
    }
    data.update(overrides)
    return data


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# --- access ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["design_funds", "design_calls", "design_call_create"])
def test_design_pages_are_for_staff_only(client, name):
    url = reverse(f"calls:{name}")
    assert client.get(url).status_code == 302  # anonymous: sign in
    client.force_login(user_with_role("applicant"))
    assert client.get(url).status_code == 403
    client.force_login(user_with_role("staff"))
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "name",
    [
        "design_call",
        "design_call_edit",
        "design_call_cofunders",
        "design_call_criteria",
        "design_call_documents",
        "design_call_questions",
        "design_call_rules",
        "design_call_clone",
    ],
)
def test_each_step_of_a_call_is_for_staff_only(client, name):
    call = DesignCallFactory()
    url = reverse(f"calls:{name}", args=[call.pk])
    client.force_login(user_with_role("member"))
    assert client.get(url).status_code == 403
    client.force_login(user_with_role("admin"))
    assert client.get(url).status_code == 200


def test_publishing_refused_to_a_member_changes_nothing(client):
    call = DesignCallFactory(published=False)
    client.force_login(user_with_role("expert"))
    response = client.post(reverse("calls:design_call_publish", args=[call.pk]), {"published": "1"})
    assert response.status_code == 403
    call.refresh_from_db()
    assert call.published is False


# --- creating a call ------------------------------------------------------------------------------


def test_create_call_with_defaults_and_audit(staff_client):
    fund = FundFactory()
    response = staff_client.post(reverse("calls:design_call_create"), _call_form(fund))
    call = Call.objects.get(slug="ei-2009")
    assert response.status_code == 302
    assert response["Location"] == reverse("calls:design_call", args=[call.pk])
    assert call.published is False
    assert call.envelope == Decimal("1400000.00")
    assert call.ceiling_amount == Decimal("150000.00")
    assert call.ceiling_percent == Decimal("50.00")
    assert call.opens_at == paris(2009, 9, 1, 12)
    assert call.closes_at == paris(2009, 10, 15, 12)
    assert sorted(call.genres.values_list("code", flat=True)) == ["serious-game", "video-game"]
    assert list(call.criteria.values_list("code", "weight")) == [
        (code, weight) for code, _fr, _en, _nl, weight in DEFAULT_CRITERIA
    ]
    assert sum(weight for *_rest, weight in DEFAULT_CRITERIA) == 100
    assert call.eligibility_rules == rules_to_json(experiences_interactives_2009_rules())
    entry = AuditEntry.objects.get(action="calls.call_created")
    assert entry.object_id == str(call.pk)


def test_time_defaults_to_noon_in_paris(staff_client):
    fund = FundFactory()
    staff_client.post(
        reverse("calls:design_call_create"),
        _call_form(fund, opens_at_1="", closes_at_1="", closes_at_0="2009-12-15"),
    )
    call = Call.objects.get(slug="ei-2009")
    assert call.opens_at == paris(2009, 9, 1, 12, 0, 0)  # CEST, 10:00 UTC
    assert call.closes_at == paris(2009, 12, 15, 12, 0, 0)  # CET, 11:00 UTC
    assert call.closes_at.astimezone(paris(2009, 1, 1).tzinfo).hour == 12


def test_closing_to_the_second(staff_client):
    fund = FundFactory()
    staff_client.post(reverse("calls:design_call_create"), _call_form(fund, closes_at_1="11:59:59"))
    assert Call.objects.get(slug="ei-2009").closes_at == paris(2009, 10, 15, 11, 59, 59)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"closes_at_0": "2009-08-31"},
            "The call must close after it opens.",
        ),
        (
            {"closes_at_0": "2009-09-01", "closes_at_1": "12:00:00"},
            "The call must close after it opens.",
        ),
        (
            {"ceiling_percent": "120"},
            "The ceiling as a share of the budget must be more than 0 % and at most 100 %.",
        ),
        ({"ceiling_percent": "0"}, "must be more than 0 % and at most 100 %"),
        ({"envelope": "abc"}, "is not an amount"),
        ({"envelope": "0"}, "The envelope must be more than zero."),
        ({"envelope": "-5"}, "The amount cannot be negative."),
        ({"ceiling_amount": "12,345"}, None),  # valid: 12 345 €
        ({"envelope": "1.5.5"}, "is not an amount"),
        ({"opens_at_0": "2009-02-30"}, "Enter a valid date."),
    ],
)
def test_call_form_errors_are_clear_and_keep_the_input(staff_client, overrides, message):
    fund = FundFactory()
    response = staff_client.post(reverse("calls:design_call_create"), _call_form(fund, **overrides))
    if message is None:
        assert response.status_code == 302
        return
    assert response.status_code == 200
    text = _text(response)
    assert message in text.replace("&#x27;", "'")
    assert 'value="Expériences interactives 2009"' in text  # what was typed is kept
    assert not Call.objects.exists()


def test_duplicate_slug_refused(staff_client):
    fund = FundFactory()
    DesignCallFactory(slug="ei-2009")
    response = staff_client.post(reverse("calls:design_call_create"), _call_form(fund))
    assert response.status_code == 200
    assert "This short name is already used by another call." in _text(response)


def test_rules_pdf_must_be_a_pdf(staff_client):
    fund = FundFactory()
    fake = SimpleUploadedFile("rules.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = staff_client.post(
        reverse("calls:design_call_create"), {**_call_form(fund), "rules_pdf": fake}
    )
    assert response.status_code == 200
    assert "The rules must be a PDF file." in _text(response)
    real = SimpleUploadedFile("x.pdf", PDF_BYTES, content_type="application/pdf")
    response = staff_client.post(
        reverse("calls:design_call_create"), {**_call_form(fund), "rules_pdf": real}
    )
    assert response.status_code == 302
    call = Call.objects.get(slug="ei-2009")
    assert call.rules_pdf.read() == PDF_BYTES


def test_edit_general_step(staff_client):
    call = DesignCallFactory()
    data = _call_form(call.fund, slug=call.slug, title_en="Renamed", envelope="1 200 000")
    response = staff_client.post(reverse("calls:design_call_edit", args=[call.pk]), data)
    assert response.status_code == 302
    call.refresh_from_db()
    assert (call.title_en, call.envelope) == ("Renamed", Decimal("1200000.00"))
    entry = AuditEntry.objects.filter(action="calls.call_updated").get()
    assert entry.data["changed"]["title_en"] == "Renamed"


# --- lists of rows --------------------------------------------------------------------------------


def _formset(prefix: str, rows: list[dict], initial: int = 0) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{index}-{key}"] = value
    return data


def test_criteria_weights_must_be_positive(staff_client):
    call = DesignCallFactory()
    url = reverse("calls:design_call_criteria", args=[call.pk])
    rows = [{"code": "quality", "label_fr": "Qualité", "weight": "0"}]
    response = staff_client.post(url, _formset("rows", rows))
    assert response.status_code == 200
    assert "A weight must be a whole number above zero." in _text(response)
    assert 'value="Qualité"' in _text(response)
    assert not Criterion.objects.filter(call=call).exists()


def test_criteria_codes_must_be_unique(staff_client):
    call = DesignCallFactory()
    url = reverse("calls:design_call_criteria", args=[call.pk])
    rows = [
        {"code": "quality", "label_fr": "Qualité", "weight": "60"},
        {"code": "quality", "label_fr": "Qualité bis", "weight": "40"},
    ]
    response = staff_client.post(url, _formset("rows", rows))
    assert response.status_code == 200
    assert "The code “quality” is used twice." in _text(response)


def test_criteria_saved_updated_and_deleted(staff_client):
    call = DesignCallFactory()
    url = reverse("calls:design_call_criteria", args=[call.pk])
    rows = [
        {"code": "quality", "label_fr": "Qualité", "weight": "60"},
        {"code": "team", "label_fr": "Équipe", "weight": "40"},
        {"code": "", "label_fr": "", "weight": ""},  # a blank extra row is ignored
    ]
    assert staff_client.post(url, _formset("rows", rows)).status_code == 302
    quality, team = Criterion.objects.filter(call=call)
    rows = [
        {"id": str(team.pk), "code": "quality", "label_fr": "Équipe", "weight": "50"},
        {"id": str(quality.pk), "code": "x", "label_fr": "Q", "weight": "1", "DELETE": "on"},
    ]
    assert staff_client.post(url, _formset("rows", rows, initial=2)).status_code == 302
    assert list(Criterion.objects.filter(call=call).values_list("pk", "code", "weight")) == [
        (team.pk, "quality", 50)
    ]


def test_cofunders_with_territory_condition(staff_client):
    call = DesignCallFactory()
    url = reverse("calls:design_call_cofunders", args=[call.pk])
    rows = [
        {"name": "Conseil régional", "amount": "800 000"},
        {"name": "Wallimage", "amount": "150.000", "eligible_partner_territories": ["wallonia"]},
    ]
    assert staff_client.post(url, _formset("rows", rows)).status_code == 302
    assert [
        (c.name, c.amount, c.eligible_partner_territories) for c in call.cofunders.order_by("pk")
    ] == [
        ("Conseil régional", Decimal("800000.00"), []),
        ("Wallimage", Decimal("150000.00"), ["wallonia"]),
    ]


def test_each_list_step_shows_its_saved_rows_with_their_legend_and_blank_rows_to_add(staff_client):
    call = DesignCallFactory()
    url = reverse("calls:design_call_cofunders", args=[call.pk])
    rows = [
        {"name": "Wallimage", "amount": "150.000", "eligible_partner_territories": ["wallonia"]}
    ]
    assert staff_client.post(url, _formset("rows", rows)).status_code == 302
    page = _text(staff_client.get(url))
    assert "<legend>Row 1</legend>" in page
    assert page.count("<legend>New row (leave empty to ignore)</legend>") == 2
    assert 'name="rows-0-name" value="Wallimage"' in page
    assert re.search(
        r'name="rows-0-eligible_partner_territories" value="wallonia"[^>]*checked', page
    )
    Criterion.objects.create(call=call, code="quality", label_fr="Qualité", weight=50)
    criteria = _text(staff_client.get(reverse("calls:design_call_criteria", args=[call.pk])))
    assert 'name="rows-0-weight" value="50"' in criteria
    rules = _text(staff_client.get(reverse("calls:design_call_rules", args=[call.pk])))
    assert "<legend>Rule 1</legend>" in rules


def test_cofunders_cannot_exceed_the_envelope(staff_client):
    call = DesignCallFactory()
    url = reverse("calls:design_call_cofunders", args=[call.pk])
    rows = [{"name": "Région", "amount": "1 500 000"}]
    response = staff_client.post(url, _formset("rows", rows))
    assert response.status_code == 200
    assert "are more than the envelope" in _text(response)


def test_documents_per_stage_and_genre(staff_client):
    from filiere.calls.models import DocumentType

    call = DesignCallFactory()
    url = reverse("calls:design_call_documents", args=[call.pk])
    rows = [
        {"document_type": DocumentType.objects.get(code="synopsis").pk, "required": "on"},
        {
            "document_type": DocumentType.objects.get(code="game-design-document").pk,
            "genre": Genre.objects.get(code="serious-game").pk,
            "required": "on",
        },
        {
            "document_type": DocumentType.objects.get(code="schedule").pk,
            "stage": Stage.objects.get(code="production").pk,
        },
    ]
    assert staff_client.post(url, _formset("rows", rows)).status_code == 302
    assert sorted(
        (d.document_type.code, d.stage and d.stage.code, d.genre and d.genre.code, d.required)
        for d in call.document_requirements.all()
    ) == [
        ("game-design-document", None, "serious-game", True),
        ("schedule", "production", None, False),
        ("synopsis", None, None, True),
    ]


# --- the form builder -----------------------------------------------------------------------------


def _question(code, kind, **extra):
    return {"code": code, "kind": kind, "label_fr": f"Question {code}", **extra}


def test_form_builder_group_children_condition_and_choices(staff_client):
    call = DesignCallFactory()
    url = reverse("calls:design_call_questions", args=[call.pk])
    rows = [
        _question("summary", "text", min_length="10", max_length="500", section="Project"),
        _question("has-lab", "yes_no", required="on"),
        _question("lab-role", "text", condition_question="has-lab", condition_equals="yes"),
        _question("platforms", "multiple_choice", choices="web | Web\nvr | Réalité virtuelle | VR"),
        _question("partners", "group"),
        _question("partner-name", "text", group="partners"),
        _question("partner-amount", "money", group="partners"),
    ]
    response = staff_client.post(url, _formset("rows", rows))
    assert response.status_code == 302
    questions = {q.code: q for q in Question.objects.filter(call=call)}
    assert list(Question.objects.filter(call=call).values_list("code", flat=True)) == [
        "summary",
        "has-lab",
        "lab-role",
        "platforms",
        "partners",
        "partner-name",
        "partner-amount",
    ]
    assert (questions["summary"].min_length, questions["summary"].max_length) == (10, 500)
    assert questions["lab-role"].condition == {"question": "has-lab", "equals": "yes"}
    assert questions["partner-name"].group == questions["partners"]
    assert questions["partner-amount"].group == questions["partners"]
    assert questions["platforms"].choices == [
        {"value": "web", "label_fr": "Web", "label_en": "", "label_nl": ""},
        {"value": "vr", "label_fr": "Réalité virtuelle", "label_en": "VR", "label_nl": ""},
    ]
    # The page shows them back, group and condition by code.
    page = _text(staff_client.get(url))
    assert 'value="partners"' in page and 'value="has-lab"' in page


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            [_question("a", "text"), _question("a", "number")],
            "The code “a” is used twice.",
        ),
        (
            [_question("b", "text", condition_question="nope", condition_equals="x")],
            "The condition refers to “nope”, which is not a question of this call.",
        ),
        (
            [_question("c", "text", condition_question="c", condition_equals="x")],
            "A question cannot depend on itself.",
        ),
        (
            [_question("d", "text"), _question("e", "text", group="d")],
            "“d” is not a repeatable group.",
        ),
        (
            [_question("f", "text", min_length="50", max_length="10")],
            "The minimum length must not be more than the maximum length.",
        ),
        (
            [_question("g", "choice", choices="only")],
            "A choice question needs at least two choices.",
        ),
        (
            [_question("h", "choice", choices="x | X\nx | Y")],
            "Line 2: each choice needs its own code.",
        ),
        ([_question("Not a slug!", "text")], "Enter a valid “slug”"),
    ],
)
def test_form_builder_errors(staff_client, rows, message):
    call = DesignCallFactory()
    url = reverse("calls:design_call_questions", args=[call.pk])
    response = staff_client.post(url, _formset("rows", rows))
    assert response.status_code == 200
    assert message in _text(response)
    assert 'value="Question ' in _text(response)  # input kept
    assert not Question.objects.filter(call=call).exists()


def test_form_builder_keeps_answers_when_questions_are_reordered(staff_client):
    call = DesignCallFactory()
    url = reverse("calls:design_call_questions", args=[call.pk])
    rows = [_question("one", "text"), _question("two", "text")]
    staff_client.post(url, _formset("rows", rows))
    one, two = Question.objects.filter(call=call)
    swapped = [
        {**_question("one", "text"), "id": str(two.pk)},
        {**_question("two", "text"), "id": str(one.pk)},
    ]
    assert staff_client.post(url, _formset("rows", swapped, initial=2)).status_code == 302
    assert dict(Question.objects.filter(call=call).values_list("pk", "code")) == {
        two.pk: "one",
        one.pk: "two",
    }


# --- eligibility rules ----------------------------------------------------------------------------


def _rules_post_from_page(response) -> dict:
    """The data a browser would send back, unchanged, from the rules formset on the page."""
    formset = response.context["formset"]
    data = {
        "rules-TOTAL_FORMS": str(formset.total_form_count()),
        "rules-INITIAL_FORMS": str(formset.initial_form_count()),
        "rules-MIN_NUM_FORMS": "0",
        "rules-MAX_NUM_FORMS": "1000",
        "save_rules": "1",
    }
    for index, form in enumerate(formset.forms):
        for name, field in form.fields.items():
            value = form[name].value()
            if name == "ORDER":
                value = index + 1 if index < formset.initial_form_count() else ""
            if value is None or value is False:
                continue
            data[f"rules-{index}-{name}"] = field.widget.format_value(value) or value
    return data


def test_rules_json_round_trip_through_the_form(staff_client):
    call = DesignCallFactory()
    extra_rules = [
        {
            "kind": "required_partner",
            "min_count": 2,
            "territories": ["wallonia", "flanders"],
            "countries": ["BE"],
        },
        {
            "kind": "financing_plan",
            "min_secured_percent": "40",
            "overheads_cap_percent": "10",
            "balance_tolerance": "1.00",
            "regional_ratio_percent": "150",
            "regional_floor": "250000.00",
            "budget_template": "audiovisual",
        },
        {"kind": "deadline", "closes_at": "2009-10-15T12:00:00+02:00"},
    ]
    stored = default_rules_json() + extra_rules
    call.eligibility_rules = rules_to_json(rules_from_json(stored))
    call.save()
    original = call.eligibility_rules
    url = reverse("calls:design_call_rules", args=[call.pk])
    page = staff_client.get(url)
    response = staff_client.post(url, _rules_post_from_page(page))
    assert response.status_code == 302, _text(response)[:2000]
    call.refresh_from_db()
    assert call.eligibility_rules == original


def test_rule_form_edit_and_delete(staff_client):
    call = DesignCallFactory(eligibility_rules=[])
    url = reverse("calls:design_call_rules", args=[call.pk])
    data = {
        "rules-TOTAL_FORMS": "3",
        "rules-INITIAL_FORMS": "0",
        "rules-MIN_NUM_FORMS": "0",
        "rules-MAX_NUM_FORMS": "1000",
        "rules-0-kind": "amount_ceiling",
        "rules-0-absolute": "150 000 €",
        "rules-0-percent_of_budget": "50",
        "rules-1-kind": "genre",
        "rules-1-codes": "serious-game, web-documentary",
        "rules-1-DELETE": "on",
        "rules-2-kind": "required_documents",
        "rules-2-codes": "rights-contract",
        "rules-2-when_stages": "writing, development",
        "save_rules": "1",
    }
    assert staff_client.post(url, data).status_code == 302
    call.refresh_from_db()
    assert call.eligibility_rules == [
        {"kind": "amount_ceiling", "absolute": "150000.00", "percent_of_budget": "50"},
        {
            "kind": "required_documents",
            "documents": ["rights-contract"],
            "when": {"stages": ["writing", "development"]},
        },
    ]


@pytest.mark.parametrize(
    ("rules_json", "message"),
    [
        ("[{", "This is not valid JSON"),
        ('{"kind": "genre"}', "The rules must be a list of objects."),
        ('[{"kind": "lottery"}]', "Rule 1: “lottery” is not a known kind of rule."),
        (
            '[{"kind": "deadline"}, {"kind": "genre"}]',
            "Rule 2: the field “allowed values” is missing.",
        ),
        ('[{"kind": "genre", "allowed": "serious-game"}]', "must be a list of strings"),
        ('[{"kind": "stage", "allowed": ["writing"], "colour": 1}]', "“colour” is not a field"),
        (
            '[{"kind": "amount_ceiling", "absolute": "lots"}]',
            "Rule 1: the value of “absolute ceiling” is not valid.",
        ),
        (
            '[{"kind": "deadline", "closes_at": "2009-10-15T12:00:00"}]',
            "Rule 1: the value of “deadline” is not valid.",
        ),
    ],
)
def test_invalid_rules_json_is_explained_and_kept(staff_client, rules_json, message):
    call = DesignCallFactory()
    before = call.eligibility_rules
    url = reverse("calls:design_call_rules", args=[call.pk])
    response = staff_client.post(url, {"rules_json": rules_json, "save_json": "1"})
    assert response.status_code == 200
    text = _text(response).replace("&quot;", '"')
    assert message in text
    assert rules_json in text  # what was typed is kept
    call.refresh_from_db()
    assert call.eligibility_rules == before


def test_rule_form_invalid_value_is_explained(staff_client):
    call = DesignCallFactory()
    url = reverse("calls:design_call_rules", args=[call.pk])
    data = {
        "rules-TOTAL_FORMS": "1",
        "rules-INITIAL_FORMS": "0",
        "rules-MIN_NUM_FORMS": "0",
        "rules-MAX_NUM_FORMS": "1000",
        "rules-0-kind": "required_partner",
        "rules-0-min_count": "0",
        "rules-0-territories": "wallonia",
        "save_rules": "1",
    }
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "Rule 1: the value of “minimum number” is not valid." in _text(response)
    assert 'value="wallonia"' in _text(response)


def test_rules_json_saved_canonically(staff_client):
    call = DesignCallFactory()
    url = reverse("calls:design_call_rules", args=[call.pk])
    text = json.dumps([{"kind": "amount_ceiling", "absolute": "150 000 €"}])
    assert staff_client.post(url, {"rules_json": text, "save_json": "1"}).status_code == 302
    call.refresh_from_db()
    assert call.eligibility_rules == [
        {"kind": "amount_ceiling", "absolute": "150000.00", "percent_of_budget": None}
    ]
    assert AuditEntry.objects.filter(action="calls.rules_set", object_id=str(call.pk)).exists()


def test_rules_page_shows_the_rules_as_sentences(staff_client):
    call = DesignCallFactory()
    page = _text(staff_client.get(reverse("calls:design_call_rules", args=[call.pk])))
    assert "The amount requested may not exceed €150,000 nor 50% of the project" in page
    assert "The applicant must be Company, Association or Research lab." in page


# --- publication ----------------------------------------------------------------------------------


def test_publish_and_unpublish(staff_client):
    call = DesignCallFactory(published=False)
    url = reverse("calls:design_call_publish", args=[call.pk])
    assert staff_client.post(url, {"published": "1"}).status_code == 302
    call.refresh_from_db()
    assert call.published is True
    assert staff_client.post(url, {"published": "0"}).status_code == 302
    call.refresh_from_db()
    assert call.published is False
    assert list(
        AuditEntry.objects.filter(object_type="calls.call", object_id=str(call.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["calls.call_published", "calls.call_unpublished"]


def test_funds_create_and_duplicate(staff_client):
    url = reverse("calls:design_funds")
    data = {"slug": "animation", "name_fr": "Fonds Animation"}
    assert staff_client.post(url, data).status_code == 302
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "This short name is already used by another fund." in _text(response)
