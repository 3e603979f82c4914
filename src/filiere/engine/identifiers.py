"""Organisation identifiers: French SIREN/SIRET/RNA, Belgian BCE/KBO, NAF/APE and NACE-BEL codes.

Pure functions, no Django. Each ``check_*`` returns an :class:`IdentifierCheck` with the compact
(normalised) value when valid, or an error code such as ``siret.invalid_checksum`` that the
caller translates. ``make_*`` build valid numbers from a prefix (demo data, tests).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stdnum import luhn
from stdnum.be import vat as be_vat
from stdnum.exceptions import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
    ValidationError,
)
from stdnum.fr import siren as fr_siren
from stdnum.fr import siret as fr_siret

# Longest raw input worth looking at: anything longer is rejected before any parsing.
MAX_RAW_LENGTH = 40

NAF_PATTERN = re.compile(r"^\d{2}\.\d{2}[A-Z]$")
NACE_BEL_PATTERN = re.compile(r"^\d{2}\.\d{3}$")
# The divisions (first two digits) of NACE Rev. 2, which NAF rév. 2 and NACE-BEL 2008 both refine:
# a code outside them cannot exist (00, 04, 34, 40, 44, 48, 54, 57, 67, 76, 83, 89 are unused).
NACE_DIVISIONS = frozenset(
    f"{n:02d}"
    for n in (
        *range(1, 4),
        *range(5, 34),
        *range(35, 40),
        *range(41, 44),
        *range(45, 48),
        *range(49, 54),
        *range(55, 57),
        *range(58, 67),
        68,
        *range(69, 76),
        *range(77, 83),
        84,
        85,
        *range(86, 89),
        *range(90, 100),
    )
)
RNA_PATTERN = re.compile(r"^W\d{9}$")


@dataclass(frozen=True)
class IdentifierCheck:
    """The outcome of checking one identifier: ``value`` when valid, else ``code``."""

    kind: str
    value: str = ""
    code: str = ""

    @property
    def ok(self) -> bool:
        return not self.code


def _fail(kind: str, problem: str) -> IdentifierCheck:
    return IdentifierCheck(kind=kind, code=f"{kind}.{problem}")


def _stdnum_problem(error: ValidationError) -> str:
    if isinstance(error, InvalidChecksum):
        return "invalid_checksum"
    if isinstance(error, InvalidLength):
        return "invalid_length"
    if isinstance(error, InvalidComponent):
        return "invalid_component"
    if isinstance(error, InvalidFormat):
        return "invalid_format"
    return "invalid"


def _too_long(raw: str) -> bool:
    return len(raw) > MAX_RAW_LENGTH


def check_siren(raw: str) -> IdentifierCheck:
    """A French SIREN: 9 digits, Luhn check digit."""
    if _too_long(raw):
        return _fail("siren", "invalid_length")
    try:
        return IdentifierCheck(kind="siren", value=fr_siren.validate(raw))
    except ValidationError as error:
        return _fail("siren", _stdnum_problem(error))


def check_siret(raw: str) -> IdentifierCheck:
    """A French SIRET: SIREN + 5-digit establishment number, Luhn (La Poste rule included)."""
    if _too_long(raw):
        return _fail("siret", "invalid_length")
    try:
        return IdentifierCheck(kind="siret", value=fr_siret.validate(raw))
    except ValidationError as error:
        return _fail("siret", _stdnum_problem(error))


def check_bce(raw: str) -> IdentifierCheck:
    """A Belgian enterprise number (BCE/KBO): 10 digits starting 0 or 1, mod-97 check.

    Accepts the VAT form (``BE 0403.019.261``) and the old 9-digit form.
    """
    if _too_long(raw):
        return _fail("bce", "invalid_length")
    try:
        return IdentifierCheck(kind="bce", value=be_vat.validate(raw))
    except ValidationError as error:
        return _fail("bce", _stdnum_problem(error))


def check_rna(raw: str) -> IdentifierCheck:
    """A French association number (RNA): ``W`` followed by 9 digits."""
    if _too_long(raw):
        return _fail("rna", "invalid_length")
    value = re.sub(r"[\s.\-]", "", raw).upper()
    if not RNA_PATTERN.match(value):
        return _fail("rna", "invalid_format")
    return IdentifierCheck(kind="rna", value=value)


def check_naf(raw: str) -> IdentifierCheck:
    """A NAF/APE activity code, stored as ``59.11C`` (``5911C`` and ``59.11c`` accepted)."""
    if _too_long(raw):
        return _fail("naf", "invalid_length")
    value = re.sub(r"\s", "", raw).upper()
    if re.match(r"^\d{4}[A-Z]$", value):
        value = f"{value[:2]}.{value[2:]}"
    if not NAF_PATTERN.match(value):
        return _fail("naf", "invalid_format")
    return IdentifierCheck(kind="naf", value=value)


def check_nace_bel(raw: str) -> IdentifierCheck:
    """A Belgian NACE-BEL activity code (5 digits), stored as ``59.111`` (``59111`` accepted).

    Checks the form and that the division (first two digits) exists in NACE Rev. 2; whether
    the sub-class itself exists is not looked up.
    """
    if _too_long(raw):
        return _fail("nace", "invalid_length")
    value = re.sub(r"\s", "", raw)
    if re.match(r"^\d{5}$", value):
        value = f"{value[:2]}.{value[2:]}"
    if not NACE_BEL_PATTERN.match(value):
        return _fail("nace", "invalid_format")
    if value[:2] not in NACE_DIVISIONS:
        return _fail("nace", "unknown_division")
    return IdentifierCheck(kind="nace", value=value)


def nace_class(code: str) -> str:
    """The NACE Rev. 2 class (4 digits, ``5911``) of a NAF (``59.11C``) or NACE-BEL (``59.111``)
    code or prefix: both refine it, the first with a letter, the second with a fifth digit."""
    return "".join(ch for ch in code if ch.isdigit())[:4]


CHECKS = {
    "siren": check_siren,
    "siret": check_siret,
    "bce": check_bce,
    "rna": check_rna,
    "naf": check_naf,
    "nace": check_nace_bel,
}


# --- Display ---


def format_siren(value: str) -> str:
    """``732829320`` → ``732 829 320``."""
    return fr_siren.format(value)


def format_siret(value: str) -> str:
    """``73282932000074`` → ``732 829 320 00074``."""
    return fr_siret.format(value)


def format_bce(value: str) -> str:
    """``0403019261`` → ``0403.019.261``."""
    return f"{value[:4]}.{value[4:7]}.{value[7:]}" if len(value) == 10 else value


# --- Construction of valid numbers (demo data, tests) ---


def make_siren(first_eight: str) -> str:
    """A valid SIREN from 8 digits (appends the Luhn check digit)."""
    if len(first_eight) != 8 or not first_eight.isdigit():
        raise ValueError("need 8 digits")
    return first_eight + luhn.calc_check_digit(first_eight)


def make_siret(siren: str, first_four_nic: str) -> str:
    """A valid SIRET from a SIREN and the first 4 digits of the establishment number."""
    if len(siren) != 9 or len(first_four_nic) != 4 or not (siren + first_four_nic).isdigit():
        raise ValueError("need a 9-digit SIREN and 4 digits")
    stem = siren + first_four_nic
    return stem + luhn.calc_check_digit(stem)


def make_bce(first_eight: str) -> str:
    """A valid BCE/KBO number from 8 digits starting with 0 or 1 (appends 97 − n mod 97)."""
    if len(first_eight) != 8 or not first_eight.isdigit() or first_eight[0] not in "01":
        raise ValueError("need 8 digits starting with 0 or 1")
    return f"{first_eight}{97 - int(first_eight) % 97:02d}"
