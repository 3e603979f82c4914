"""Small-count suppression, on plain data (no Django).

A count from 1 to :data:`THRESHOLD` - 1 is never published: it is shown as "< 5". Zero is
shown: it describes nobody, and hiding it would hide its neighbours too. A hidden count must
not be recoverable from the totals either: wherever figures add up to a published total (a
*line*: the parts, then their total), a line never has exactly one hidden figure. When it has
one, the smallest other part of the line is hidden too (its *complement*), or the total when
there is no other part; this is repeated until no line has a lone hidden figure, since a new
complement may leave another line with one.

Keys are any hashable values; a key may sit on several lines (a year's total is the total of
its calls and a part of the grand total), and one run over every line of the publication
keeps the choice consistent across tables.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence

THRESHOLD = 5


def small(value: int) -> bool:
    return 0 < value < THRESHOLD


def suppress(
    values: Mapping[Hashable, int], lines: Iterable[Sequence[Hashable]]
) -> tuple[set[Hashable], set[Hashable]]:
    """The keys to hide: ``(small ones, complements)``. Each line lists its parts, then the
    key of their total (every key must be in ``values``)."""
    lines = [tuple(line) for line in lines if len(line) >= 2]
    small_keys = {key for key, value in values.items() if small(value)}
    hidden = set(small_keys)
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(1 for key in line if key in hidden) != 1:
                continue
            parts = [key for key in line[:-1] if key not in hidden]
            # The smallest part gives away the least; the first in order on a tie.
            pick = (
                min(parts, key=lambda key: (values[key] == 0, values[key])) if parts else line[-1]
            )
            hidden.add(pick)
            changed = True
    return small_keys, hidden - small_keys
