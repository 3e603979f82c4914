"""An expert's bid on a proposal moves the pair's affinity before the assignment.

    from filiere.engine.affinity.bids import Bid, adjusted_affinity

    score = adjusted_affinity(0.42, Bid.EAGER)  # 0.57; None for Bid.CONFLICT (never assign)

The text affinity says who *knows* a project; a bid says who *wants* it. The shift is additive
and small next to the spread of text affinities, so a bid settles close calls (an eager expert
gets the pair over an unwilling one of about the same affinity) without handing a file to an
expert who does not know the field. "Not willing" weighs more than "eager": an expert who reads
a file they asked not to read does it worse than an eager one does it better. The result stays
in [0, 1], the scale the assignment engine expects. A conflict is not a preference: the pair is
left out, like every other conflict of interest.
"""

from __future__ import annotations

from enum import StrEnum


class Bid(StrEnum):
    EAGER = "eager"
    WILLING = "willing"
    NOT_WILLING = "not_willing"
    CONFLICT = "conflict"


#: Affinity points added to a pair's text affinity for each bid (conflict: left out).
BID_SHIFT: dict[Bid, float] = {
    Bid.EAGER: 0.15,
    Bid.WILLING: 0.0,
    Bid.NOT_WILLING: -0.25,
}


def adjusted_affinity(score: float, bid: Bid | str | None) -> float | None:
    """``score`` moved by ``bid`` and clamped to [0, 1]; ``None`` when the pair must not meet
    (a conflict). No bid (``None`` or ``""``) leaves the score as it is."""
    if not bid:
        return score
    bid = Bid(bid)
    if bid is Bid.CONFLICT:
        return None
    return min(1.0, max(0.0, score + BID_SHIFT[bid]))
