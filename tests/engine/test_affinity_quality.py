"""Affinity quality: best-match aggregation, learned fusion defaults, evaluation measures."""

import json
import math
from dataclasses import replace

import numpy as np
import pytest

from filiere.engine.affinity import (
    AGGREGATIONS,
    LEARNED_LEXICAL,
    LEARNED_WITH_EMBEDDINGS,
    AffinityModel,
    AffinityOptions,
    Expert,
    ExpertItem,
    FusionWeights,
    Proposal,
    ndcg_at_k,
    ordering_loss,
)
from filiere.engine.affinity.evaluation import row_ndcg, row_ordering_loss
from filiere.engine.cli.main import main as engine_main

LEXICAL = AffinityOptions(embeddings="off")

PROPOSAL = Proposal(
    "p",
    "Puppet animation",
    "A stop-motion animated series with clay puppets for young children.",
    language="en",
)
# One past work on the subject among four unrelated ones...
ONE_STRONG_MATCH = Expert(
    "strong",
    (
        ExpertItem(
            "Clay Friends",
            "Director of a stop-motion animated series with clay puppets for young children.",
        ),
        ExpertItem(
            "Treasurer",
            "Treasurer of an amateur football club, in charge of the accounts, the budget and "
            "the annual general meeting of members.",
        ),
        ExpertItem(
            "Lecturer",
            "Lecturer in accounting and taxation at a university college, teaching bookkeeping "
            "and corporate finance to business students.",
        ),
        ExpertItem(
            "Board",
            "Board member of a farming cooperative that sells dairy products, cheese and "
            "vegetables to local shops and markets.",
        ),
        ExpertItem(
            "Bank",
            "Former employee of a bank in the mortgage department, handling loans, interest "
            "rates and insurance contracts.",
        ),
    ),
)
# ... against works that each share a word or two with the proposal, none about its subject.
UNIFORMLY_WEAK = Expert(
    "weak",
    (
        ExpertItem("Festival", "Programming plays for children at a summer theatre festival."),
        ExpertItem("Street theatre", "Puppets and masks in a street theatre company on tour."),
        ExpertItem("Farm life", "Line producer of a television series about a family of farmers."),
        ExpertItem("Ceramics", "A ceramics workshop: clay sculpture for adults."),
        ExpertItem("Web", "Animated banners for a newspaper website."),
    ),
)
OTHERS = [
    Expert(f"o{i}", (ExpertItem("", text),))
    for i, text in enumerate(
        [
            "Sound design and mixing for feature films.",
            "Video game level design and console development.",
            "A documentary about coal mines and their workers.",
        ]
    )
]


def _scores(options: AffinityOptions) -> np.ndarray:
    experts = [ONE_STRONG_MATCH, UNIFORMLY_WEAK, *OTHERS]
    return AffinityModel([PROPOSAL], experts, options).matrix()[0]


def test_best_matches_rank_one_strong_work_above_uniformly_weak_ones() -> None:
    best = _scores(replace(LEXICAL, aggregation="best"))
    assert best[0] > best[1]
    assert best[0] == best.max()


def test_best_matches_are_not_diluted_by_unrelated_works_as_the_whole_profile_is() -> None:
    best = _scores(replace(LEXICAL, aggregation="best"))
    profile = _scores(replace(LEXICAL, aggregation="profile"))
    assert best[0] > profile[0]  # the unrelated works no longer pull the strong expert down
    assert best[0] / best[1] > profile[0] / profile[1]


def test_best_with_no_share_for_the_best_items_is_the_profile_aggregation() -> None:
    as_profile = replace(LEXICAL, aggregation="best", best_share=0.0)
    assert np.allclose(_scores(as_profile), _scores(replace(LEXICAL, aggregation="profile")))


def test_best_items_are_weighted_four_two_one() -> None:
    proposal = Proposal("p", "", "animation", language="en")
    items = tuple(ExpertItem("", "animation") for _ in range(3))
    one = Expert("one", items[:1])
    three = Expert("three", items)
    options = replace(LEXICAL, aggregation="best", best_share=1.0, keyword_weight=0.0)
    scores = AffinityModel([proposal], [one, three], options).matrix()[0]
    # The same perfect item: counted once it is 4/7 of three such items.
    assert scores[0] == pytest.approx(scores[1] * 4 / 7, rel=1e-5)


def test_learned_fusion_weights_are_the_defaults() -> None:
    options = AffinityOptions()
    assert options.aggregation == "best"
    assert AGGREGATIONS[0] == "best"
    assert options.fusion_weights(with_embeddings=False) == LEARNED_LEXICAL
    assert options.fusion_weights(with_embeddings=True) == LEARNED_WITH_EMBEDDINGS
    model = AffinityModel([PROPOSAL], [ONE_STRONG_MATCH], LEXICAL)
    assert model.weights == LEARNED_LEXICAL
    explicit = replace(
        LEXICAL,
        aggregation="best",
        best_share=LEARNED_LEXICAL.lexical_best,
        keyword_weight=LEARNED_LEXICAL.keywords,
    )
    assert np.array_equal(_scores(LEXICAL), _scores(explicit))


class TopicEncoder:
    """A stand-in encoder: one dimension per topic word, whatever the language."""

    name = "topic-test"
    TOPICS = (("anim", "puppet", "pop"), ("game", "jeu", "spel"), ("sound", "son", "geluid"))

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.full((len(texts), len(self.TOPICS)), 0.01, dtype=np.float32)
        for row, text in enumerate(texts):
            for col, roots in enumerate(self.TOPICS):
                out[row, col] += sum(text.lower().count(root) for root in roots)
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def test_learned_weights_with_embeddings_are_the_defaults_when_embeddings_are_used() -> None:
    model = AffinityModel(
        [PROPOSAL],
        [ONE_STRONG_MATCH, UNIFORMLY_WEAK],
        AffinityOptions(embeddings="on"),
        encoder=TopicEncoder(),
    )
    assert model.uses_embeddings
    assert model.weights == LEARNED_WITH_EMBEDDINGS
    scores = model.matrix()[0]
    assert scores[0] > scores[1]


def test_explicit_weights_override_the_learned_ones() -> None:
    options = replace(LEXICAL, keyword_weight=0.0, best_share=1.0)
    assert options.fusion_weights(with_embeddings=False) == FusionWeights(
        lexical=1.0, lexical_best=1.0, keywords=0.0, embedding=0.0
    )
    with pytest.raises(ValueError, match="best_share"):
        AffinityOptions(best_share=1.5)


def test_cli_accepts_the_best_aggregation_and_says_which_it_used(tmp_path, capsys) -> None:
    proposals = tmp_path / "p.jsonl"
    experts = tmp_path / "e.jsonl"
    proposals.write_text(json.dumps({"id": "p", "title": PROPOSAL.title, "text": PROPOSAL.text}))
    experts.write_text(
        "\n".join(
            json.dumps({"id": e.id, "items": [{"title": i.title, "text": i.text} for i in e.items]})
            for e in (ONE_STRONG_MATCH, UNIFORMLY_WEAK)
        )
    )
    out = tmp_path / "a.csv"
    base = ["affinity", "--proposals", str(proposals), "--experts", str(experts)]
    assert engine_main([*base, "--out", str(out), "--embeddings", "off"]) == 0
    assert json.loads(capsys.readouterr().out)["aggregation"] == "best"
    assert out.read_text().splitlines()[1].split(",")[1] == "strong"
    for how in AGGREGATIONS:
        assert (
            engine_main([*base, "--out", str(out), "--embeddings", "off", "--aggregation", how])
            == 0
        )
        assert json.loads(capsys.readouterr().out)["aggregation"] == how


# -- evaluation measures, on cases computed by hand ------------------------------------------


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ([0.9, 0.5, 0.1], 0.0),  # perfect order
        ([0.1, 0.5, 0.9], 1.0),  # reversed
        ([0.5, 0.9, 0.1], 0.25),  # only the pair (2, 1) is wrong: weight 1 of 1 + 2 + 1
        ([0.5, 0.5, 0.1], 0.125),  # that pair tied: half of it
        ([0.3, 0.3, 0.3], 0.5),  # no information: chance
    ],
)
def test_ordering_loss_on_hand_computed_rows(scores: list[float], expected: float) -> None:
    assert row_ordering_loss(scores, [2, 1, 0]) == pytest.approx(expected)


def test_ordering_loss_ignores_rows_without_differences_and_averages_the_others() -> None:
    assert row_ordering_loss([0.1, 0.9], [1, 1]) is None
    scores = np.array([[0.9, 0.1], [0.1, 0.9], [0.5, 0.5]])
    relevance = np.array([[1, 0], [1, 0], [2, 2]])
    assert ordering_loss(scores, relevance) == pytest.approx(0.5)  # (0 + 1) / 2
    assert ordering_loss(scores, relevance, rows=np.array([True, False, True])) == 0.0


def test_ndcg_at_5_on_a_hand_computed_row() -> None:
    relevance = [3, 2, 0, 0, 0, 0, 1]
    scores = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3]  # the grade-1 expert is ranked 7th
    dcg = 3 / math.log2(2) + 2 / math.log2(3)
    ideal = dcg + 1 / math.log2(4)
    assert row_ndcg(scores, relevance, 5) == pytest.approx(dcg / ideal)
    assert dcg / ideal == pytest.approx(0.8950, abs=1e-4)
    assert row_ndcg(relevance, relevance, 5) == pytest.approx(1.0)  # scored by the truth


def test_ndcg_shares_discounts_between_tied_scores() -> None:
    # Two tied experts for one place: the relevant one is first half of the time.
    assert row_ndcg([0.5, 0.5], [1, 0], 1) == pytest.approx(0.5)
    assert row_ndcg([0.5, 0.5, 0.5], [0, 0, 0], 5) is None  # nothing to find


def test_ndcg_restricted_to_columns_is_the_ndcg_of_the_sub_ranking() -> None:
    scores = np.array([[0.9, 0.8, 0.1]])
    relevance = np.array([[0, 1, 2]])
    only_last_two = np.array([False, True, True])
    assert ndcg_at_k(scores, relevance, 5, columns=only_last_two) == pytest.approx(
        row_ndcg([0.8, 0.1], [1, 2], 5)
    )
    assert ndcg_at_k(scores, relevance, 5) < 1.0
