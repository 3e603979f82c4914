"""Identifiers on organisations: Django validators translate the engine's codes."""

import pytest
from django.core.exceptions import ValidationError

from filiere.community.validators import normalise, validate_bce, validate_siret
from tests.factories import OrganisationFactory


@pytest.mark.parametrize("valid", ["73282932000074", "35600000000048", "732 829 320 00074"])
def test_valid_siret_passes(valid):
    validate_siret(valid)


def test_invalid_siret_gets_a_clear_message_and_code():
    with pytest.raises(ValidationError) as error:
        validate_siret("73282932000079")
    assert error.value.code == "siret.invalid_checksum"
    assert error.value.messages == ["This SIRET number is not valid: check its digits."]


def test_bce_valid_and_invalid():
    validate_bce("0403019261")
    with pytest.raises(ValidationError) as error:
        validate_bce("BE431150351")
    assert error.value.code == "bce.invalid_checksum"


def test_normalise_returns_the_compact_form():
    assert normalise("bce", "BE 0403.019.261") == "0403019261"
    assert normalise("naf", "5911c") == "59.11C"
    assert normalise("siret", "") == ""


@pytest.mark.django_db
def test_model_validation_rejects_bad_and_oversized_identifiers():
    organisation = OrganisationFactory.build(
        siret="73282932000079", bce_number="BE431150351", naf_code="591", rna="W" + "1" * 40
    )
    with pytest.raises(ValidationError) as error:
        organisation.full_clean(exclude=["seat_commune", "territory"])
    assert set(error.value.message_dict) == {"siret", "bce_number", "naf_code", "rna"}
    assert error.value.message_dict["rna"][0].startswith("An RNA number is the letter W")


@pytest.mark.django_db
def test_organisation_shows_identifiers_formatted():
    organisation = OrganisationFactory.build(
        siren="732829320", siret="73282932000074", bce_number="0403019261", naf_code="59.11C"
    )
    assert organisation.siren_display == "732 829 320"
    assert organisation.siret_display == "732 829 320 00074"
    assert organisation.bce_display == "0403.019.261"
    assert organisation.naf_label == "Motion picture production"
