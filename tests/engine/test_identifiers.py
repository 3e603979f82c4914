"""Organisation identifiers, checked without Django (python-stdnum underneath)."""

import pytest

from filiere.engine import identifiers


@pytest.mark.parametrize(
    ("kind", "raw", "value"),
    [
        ("siret", "73282932000074", "73282932000074"),
        ("siret", "732 829 320 00074", "73282932000074"),
        ("siret", "35600000000048", "35600000000048"),  # La Poste: its own checksum rule
        ("siren", "200093201", "200093201"),  # Métropole Européenne de Lille
        ("bce", "0403019261", "0403019261"),
        ("bce", "BE 0403.019.261", "0403019261"),
        ("bce", "BE 428759497", "0428759497"),  # old 9-digit form
        ("rna", "W595012345", "W595012345"),
        ("rna", "w 595 012 345", "W595012345"),
        ("naf", "59.11C", "59.11C"),
        ("naf", "5911c", "59.11C"),
        ("nace", "59.111", "59.111"),  # NACE-BEL: motion picture production
        ("nace", "58210", "58.210"),
        ("nace", " 62.010 ", "62.010"),
    ],
)
def test_check_accepts_and_compacts_valid_identifiers(kind, raw, value):
    result = identifiers.CHECKS[kind](raw)
    assert result.ok
    assert result.value == value


@pytest.mark.parametrize(
    ("kind", "raw", "code"),
    [
        ("siret", "73282932000079", "siret.invalid_checksum"),
        ("siret", "7328293200007", "siret.invalid_length"),
        ("siret", "7328293200007X", "siret.invalid_format"),
        ("siren", "200093202", "siren.invalid_checksum"),
        ("bce", "BE431150351", "bce.invalid_checksum"),
        ("bce", "2403019261", "bce.invalid_component"),
        ("bce", "04030192", "bce.invalid_length"),
        ("rna", "595012345", "rna.invalid_format"),
        ("naf", "59.11", "naf.invalid_format"),
        ("siret", "1" * 500, "siret.invalid_length"),
        ("nace", "59.11C", "nace.invalid_format"),  # a French NAF code is not a NACE-BEL one
        ("nace", "59.11", "nace.invalid_format"),
        ("nace", "5911100", "nace.invalid_format"),
        ("nace", "00.000", "nace.unknown_division"),
        ("nace", "54.111", "nace.unknown_division"),
        ("nace", "9" * 50, "nace.invalid_length"),
    ],
)
def test_check_rejects_invalid_identifiers_with_a_code(kind, raw, code):
    result = identifiers.CHECKS[kind](raw)
    assert not result.ok
    assert result.code == code
    assert result.value == ""


def test_make_functions_build_valid_numbers():
    siren = identifiers.make_siren("73282932")
    assert siren == "732829320"
    assert identifiers.make_siret(siren, "0007") == "73282932000074"
    assert identifiers.make_bce("04030192") == "0403019261"
    for stem in ("00000097", "10000000", "01234567"):
        assert identifiers.check_bce(identifiers.make_bce(stem)).ok


def test_format_for_display():
    assert identifiers.format_siren("732829320") == "732 829 320"
    assert identifiers.format_siret("73282932000074") == "732 829 320 00074"
    assert identifiers.format_bce("0403019261") == "0403.019.261"


def test_nace_class_is_shared_by_naf_and_nace_bel_codes():
    assert identifiers.nace_class("59.11C") == "5911"
    assert identifiers.nace_class("59.111") == "5911"
    assert identifiers.nace_class("59") == "59"
