"""Numbers read from a request: only ASCII digits that can name a row."""

import pytest

from filiere.ui.params import as_id


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("42", 42),
        ("0", 0),
        ("9" * 18, int("9" * 18)),
        ("", None),
        (None, None),
        ("²", None),
        ("٣", None),
        ("9" * 19, None),
        ("-1", None),
        (" 1", None),
        ("1.0", None),
    ],
)
def test_only_ascii_digits_that_fit_an_id_are_read(given, expected):
    assert as_id(given) == expected
