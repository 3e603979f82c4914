"""One review's scores against a call's criteria: what is missing before it can be submitted,
and its weighted total.

A score is an integer between 0 and the call's ``scale_max``, or :data:`NOT_APPLICABLE`
(``"na"``, when the call allows it); ``None`` (or no entry) means not scored
yet. The weighted total is the mean of the scored criteria weighted by
their weights, on a 0–100 scale; criteria marked n/a leave both sides of the mean, so an n/a
never counts as a zero. Codes, never labels: the web layer translates.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

__all__ = ["NOT_APPLICABLE", "Scale", "missing_scores", "weighted_total"]

#: How a form and the stored scores say "not applicable".
NOT_APPLICABLE: Final[str] = "na"

Score = int | str | None


@dataclass(frozen=True)
class Scale:
    """The scale of a call's reviews: integers from 0 to ``maximum``, n/a when ``allow_na``."""

    maximum: int
    allow_na: bool = True

    def accepts(self, score: Score) -> bool:
        if score == NOT_APPLICABLE:
            return self.allow_na
        return isinstance(score, int) and not isinstance(score, bool) and 0 <= score <= self.maximum


def missing_scores(
    scores: Mapping[str, Score], criteria: Mapping[str, int], scale: Scale
) -> tuple[str, ...]:
    """The codes of ``criteria`` (code → weight) without an accepted score, in their order."""
    return tuple(code for code in criteria if not scale.accepts(scores.get(code)))


def weighted_total(
    scores: Mapping[str, Score], criteria: Mapping[str, int], scale: Scale
) -> float | None:
    """The weighted mean of the scored criteria on 0–100, rounded to one decimal; ``None`` when
    no criterion is scored (all n/a, or none yet). Scores outside the scale are ignored."""
    if scale.maximum <= 0:
        return None
    points = 0.0
    weights = 0
    for code, weight in criteria.items():
        score = scores.get(code)
        if score == NOT_APPLICABLE or not scale.accepts(score) or weight <= 0:
            continue
        assert isinstance(score, int)
        points += weight * score / scale.maximum
        weights += weight
    if weights == 0:
        return None
    return round(100 * points / weights, 1)
