"""The restore proof's checksum: the same rows give the same SHA-256 whatever order they were
inserted or read in; any change of a row, a key, a row more or less gives another."""

import hashlib
import random

import pytest

from .scripts import load

checksums = load("table_checksums")

ROWS = [
    ((1,), '(1,EI2009-0001,"Les mines",submitted,"2026-12-04 05:37:24.016603+00")'),
    ((2,), '(2,EI2009-0002,"Canal de Roubaix",eligible,"2026-12-04 05:37:25+00")'),
    ((10,), '(10,EI2009-0010,"Corons",submitted,"2026-12-04 05:37:26+00")'),
]


def test_the_order_rows_come_in_does_not_matter():
    reference = checksums.rows_digest(ROWS)
    for seed in range(5):
        shuffled = ROWS[:]
        random.Random(seed).shuffle(shuffled)
        assert checksums.rows_digest(shuffled) == reference
    assert reference[0] == 3


@pytest.mark.parametrize(
    "changed",
    [
        [ROWS[0], (ROWS[1][0], ROWS[1][1].replace("eligible", "ineligible")), ROWS[2]],
        [ROWS[0], (ROWS[1][0], ROWS[1][1].replace("05:37:25", "05:37:26")), ROWS[2]],
        [ROWS[0], ROWS[2]],
        [*ROWS, ((11,), "(11,EI2009-0011,x,draft,)")],
        [ROWS[0], ((3,), ROWS[1][1]), ROWS[2]],
        [ROWS[1], (ROWS[0][0], ROWS[2][1]), (ROWS[2][0], ROWS[0][1])],
    ],
    ids=["a state", "a time", "a row less", "a row more", "a key", "rows swapped"],
)
def test_any_change_gives_another_checksum(changed):
    assert checksums.rows_digest(changed) != checksums.rows_digest(ROWS)


def test_bytes_moved_from_one_row_to_the_next_give_another_checksum():
    one = [((1,), "ab"), ((2,), "c")]
    other = [((1,), "a"), ((2,), "bc")]
    assert checksums.rows_digest(one) != checksums.rows_digest(other)


def test_an_empty_table_has_a_checksum_too():
    assert checksums.rows_digest([]) == (0, hashlib.sha256().hexdigest())


def test_only_plain_table_names_reach_the_sql():
    assert checksums._identifier("calls_application") == '"calls_application"'
    with pytest.raises(ValueError):
        checksums._identifier('calls_application"; DROP TABLE x; --')
