"""The small-count rule on plain data: below 5 never shown, and never recoverable from a total."""

from hypothesis import given, settings
from hypothesis import strategies as st

from filiere.observatory.suppression import THRESHOLD, suppress


def test_counts_from_one_to_four_are_hidden_five_and_zero_are_shown():
    small, complements = suppress({"a": 4, "b": 5, "c": 0, "d": 1}, [])
    assert small == {"a", "d"}
    assert complements == set()


def test_the_complement_is_not_a_zero_while_another_part_is_left():
    values = {"a": 3, "zero": 0, "b": 40, "total": 43}
    _small, complements = suppress(values, [["a", "zero", "b", "total"]])
    assert complements == {"b"}


def test_a_lone_small_part_hides_the_smallest_other_part_of_its_line():
    values = {"a": 3, "b": 10, "c": 20, "total": 33}
    small, complements = suppress(values, [["a", "b", "c", "total"]])
    assert small == {"a"}
    assert complements == {"b"}  # 33 - 20 = a + b: neither can be told


def test_two_small_parts_need_no_complement():
    values = {"a": 3, "b": 2, "c": 20, "total": 25}
    small, complements = suppress(values, [["a", "b", "c", "total"]])
    assert small == {"a", "b"}
    assert complements == set()


def test_a_small_part_alone_with_its_total_hides_the_total():
    # The other parts were hidden by nothing: the only one left to hide is the total.
    small, complements = suppress({"a": 3, "total": 9, "b": 6}, [["a", "total"]])
    assert small == {"a"}
    assert complements == {"total"}


def test_a_complement_that_leaves_another_line_with_one_hidden_cell_is_followed():
    # Rows r1 = [3, 10 | 13], r2 = [8, 9 | 17]; columns c1 = [3, 8 | 11], c2 = [10, 9 | 19].
    values = {"11": 3, "12": 10, "r1": 13, "21": 8, "22": 9, "r2": 17, "c1": 11, "c2": 19, "t": 30}
    lines = [
        ["11", "12", "r1"],
        ["21", "22", "r2"],
        ["11", "21", "c1"],
        ["12", "22", "c2"],
        ["r1", "r2", "t"],
        ["c1", "c2", "t"],
    ]
    small, complements = suppress(values, lines)
    hidden = small | complements
    assert small == {"11"}
    for line in lines:
        assert sum(key in hidden for key in line) != 1, line
    assert {"11", "12", "21", "22"} <= hidden  # the four cells, as a statistician would


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.lists(st.integers(min_value=0, max_value=40), min_size=2, max_size=5),
        min_size=2,
        max_size=5,
    ).filter(lambda rows: len({len(row) for row in rows}) == 1)
)
def test_no_line_of_a_table_with_totals_ever_has_a_lone_hidden_cell(rows):
    width = len(rows[0])
    values = {}
    lines = []
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            values[(i, j)] = value
        values[(i, "t")] = sum(row)
        lines.append([*((i, j) for j in range(width)), (i, "t")])
    for j in range(width):
        values[("t", j)] = sum(row[j] for row in rows)
        lines.append([*((i, j) for i in range(len(rows))), ("t", j)])
    values[("t", "t")] = sum(map(sum, rows))
    lines.append([*((i, "t") for i in range(len(rows))), ("t", "t")])
    lines.append([*(("t", j) for j in range(width)), ("t", "t")])
    small, complements = suppress(values, lines)
    hidden = small | complements
    assert small == {key for key, value in values.items() if 0 < value < THRESHOLD}
    for line in lines:
        assert sum(key in hidden for key in line) != 1
