"""Django validators around the pure checks of ``filiere.engine.identifiers``."""

from collections.abc import Callable

from django.core.exceptions import ValidationError

from filiere.engine import identifiers

from .phrases import identifier_error


def _validator(kind: str) -> Callable[[str], None]:
    check = identifiers.CHECKS[kind]

    def validate(value: str) -> None:
        if not value:
            return
        result = check(value)
        if not result.ok:
            raise ValidationError(identifier_error(result.code), code=result.code)

    validate.__name__ = f"validate_{kind}"
    validate.__qualname__ = f"validate_{kind}"
    return validate


validate_siren = _validator("siren")
validate_siret = _validator("siret")
validate_bce = _validator("bce")
validate_rna = _validator("rna")
validate_naf = _validator("naf")
validate_nace = _validator("nace")


def normalise(kind: str, value: str) -> str:
    """The compact form of a valid identifier; raises ValidationError when it is not valid."""
    if not value:
        return ""
    result = identifiers.CHECKS[kind](value)
    if not result.ok:
        raise ValidationError(identifier_error(result.code), code=result.code)
    return result.value
