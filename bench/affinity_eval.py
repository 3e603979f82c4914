# ruff: noqa: E501 - the phrase tables read best one language per line
"""An evaluation set for affinity, generated from known topics of the cluster, and its loss.

Twelve topics of the creative industries (fiction film, documentary, animation, video games,
serious games, interactive web documentary, VR/immersive, sound, VFX, TV series, comics,
podcasts) each have phrases in French, English and Dutch written for this set, with deliberate
overlaps between neighbouring topics (animation/VFX, games/serious games, documentary/web
documentary) and production boilerplate shared by all. Experts get a main topic (expertise 3),
often a second one (2 or 1), and profile items written mostly about them in one or two languages,
plus an off-topic bio; proposals are about one topic, sometimes with a second. The true affinity
of a pair is the expert's expertise on the proposal's topics.

The *pairwise ordering loss* (as in the reviewer-assignment literature) counts, for pairs of
experts with different true affinity for the same proposal, the share ordered the wrong way
(ties count half), weighted by the difference in true affinity; 0 is perfect, 0.5 is chance.
It is reported per proposal (who should review this?) and per expert (which proposals suit this
expert?), the two views an assignment needs, with NDCG@5 per proposal; both overall and per
language pair (proposal language → the language most of the expert's profile is in). The
measures themselves are in ``filiere.engine.affinity.evaluation``.

This set (mixed languages and English only) and set 2 (``affinity_portfolio.py``, experts known
by several past works) make three families; the former defaults ("before") and the learned
ones ("after") are compared on the test seeds 7, 8, 9; the fusion weights are learned on the
training seeds 1, 2, 3 (``affinity_learn.py``).

    python -m bench.affinity_eval             # before/after: JSON, then the doc's tables;
                                              # bench/results/affinity_eval.json
    python -m bench.affinity_eval --learn     # re-derive the fusion weights (affinity_fusion.json)
    python -m bench.affinity_eval --variants  # the former variant tables (affinity_variants.json)

Embeddings are cached by text in var/affinity_eval_embeddings.npz (the texts are seeded).
"""

import json
import random
import sys
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from bench import affinity_portfolio as portfolio
from filiere.engine.affinity import (
    AffinityModel,
    AffinityOptions,
    EmbeddingCache,
    Expert,
    ExpertItem,
    Proposal,
    embeddings_available,
    load_encoder,
    ndcg_at_k,
    ordering_loss,
)

# topic -> language -> phrases (noun phrases; several per sentence).
TOPICS: dict[str, dict[str, list[str]]] = {
    "fiction": {
        "fr": ["un long métrage de fiction", "le scénario et la direction d'acteurs",
               "un drame intimiste", "le casting des comédiens", "le tournage en décors naturels",
               "une comédie sociale", "la réalisation d'un premier film", "le montage image",
               "un thriller psychologique", "la sortie en salles"],
        "en": ["a fiction feature film", "screenwriting and directing actors", "an intimate drama",
               "casting the lead actors", "location shooting", "a social comedy",
               "directing a debut feature", "picture editing", "a psychological thriller",
               "the theatrical release"],
        "nl": ["een lange speelfilm", "het scenario en de acteursregie", "een intiem drama",
               "de casting van de acteurs", "draaien op locatie", "een sociale komedie",
               "de regie van een debuutfilm", "de beeldmontage", "een psychologische thriller",
               "de release in de bioscoop"],
    },
    "documentary": {
        "fr": ["un documentaire de création", "le cinéma du réel", "des archives filmées",
               "des entretiens avec des témoins", "une enquête au long cours",
               "le portrait d'un quartier", "un film d'observation", "la mémoire ouvrière",
               "la diffusion en festival documentaire", "le repérage et la recherche"],
        "en": ["a creative documentary", "observational filmmaking", "archive footage",
               "interviews with witnesses", "a long-form investigation",
               "the portrait of a neighbourhood", "a cinéma vérité film",
               "working-class memory", "documentary festivals", "research and scouting"],
        "nl": ["een creatieve documentaire", "de observerende documentaire", "archiefbeelden",
               "interviews met getuigen", "een lang onderzoek", "het portret van een wijk",
               "een observatiefilm", "het arbeidersgeheugen", "documentairefestivals",
               "research en locatieonderzoek"],
    },
    "animation": {
        "fr": ["une série d'animation", "l'animation en stop motion", "des marionnettes animées",
               "le storyboard et l'animatique", "l'animation 2D traditionnelle",
               "un court métrage d'animation", "le character design", "des décors dessinés",
               "un programme pour la jeunesse", "les séries animées pour enfants"],
        "en": ["an animated series", "stop-motion animation", "animated puppets",
               "storyboard and animatic", "traditional 2D animation", "an animated short film",
               "character design", "hand-drawn backgrounds", "children's programming",
               "animation for kids"],
        "nl": ["een animatieserie", "stop-motion animatie", "geanimeerde poppen",
               "storyboard en animatic", "traditionele 2D-animatie", "een korte animatiefilm",
               "personageontwerp", "getekende decors", "een jeugdprogramma",
               "animatieseries voor kinderen"],
    },
    "video_games": {
        "fr": ["un jeu vidéo indépendant", "le game design et les mécaniques",
               "un jeu d'action sur console", "le level design", "un moteur de jeu Unity",
               "le développement sur PC et Switch", "un jeu de plateforme", "le multijoueur en ligne",
               "la narration interactive dans le jeu", "un studio de jeux vidéo"],
        "en": ["an indie video game", "game design and mechanics", "a console action game",
               "level design", "the Unity game engine", "development for PC and Switch",
               "a platform game", "online multiplayer", "interactive storytelling in games",
               "a video game studio"],
        "nl": ["een onafhankelijke videogame", "gamedesign en spelmechanismen",
               "een actiespel voor consoles", "leveldesign", "de Unity game-engine",
               "ontwikkeling voor pc en Switch", "een platformspel", "online multiplayer",
               "interactieve verhaalvertelling in games", "een gamestudio"],
    },
    "serious_games": {
        "fr": ["un jeu sérieux", "la formation des soignants par le jeu", "la ludification",
               "un jeu éducatif pour l'école", "la simulation de formation professionnelle",
               "l'apprentissage par le jeu", "un jeu de sensibilisation à la santé",
               "l'évaluation pédagogique", "un outil de médiation pour les musées",
               "un jeu pour la prévention"],
        "en": ["a serious game", "training nurses through play", "gamification",
               "an educational game for schools", "professional training simulation",
               "game-based learning", "a health awareness game", "learning assessment",
               "a museum mediation tool", "a prevention game"],
        "nl": ["een serious game", "zorgpersoneel opleiden met een spel", "gamificatie",
               "een educatief spel voor scholen", "een simulatie voor beroepsopleiding",
               "spelenderwijs leren", "een spel over gezondheid", "de evaluatie van het leren",
               "een bemiddelingsinstrument voor musea", "een preventiespel"],
    },
    "webdoc": {
        "fr": ["un webdocumentaire interactif", "une narration non linéaire en ligne",
               "un récit transmédia", "une plateforme web pour le documentaire",
               "la navigation de l'internaute", "un documentaire pour mobile",
               "des parcours interactifs", "la data visualisation", "un format court pour les réseaux",
               "l'écriture interactive"],
        "en": ["an interactive web documentary", "non-linear online storytelling",
               "a transmedia narrative", "a web platform for documentary", "user navigation",
               "a mobile documentary", "interactive paths", "data visualisation",
               "short formats for social media", "interactive writing"],
        "nl": ["een interactieve webdocumentaire", "niet-lineaire online verhalen",
               "een transmediaal verhaal", "een webplatform voor documentaires",
               "de navigatie van de gebruiker", "een mobiele documentaire", "interactieve routes",
               "datavisualisatie", "korte formats voor sociale media", "interactief schrijven"],
    },
    "vr": {
        "fr": ["une expérience en réalité virtuelle", "un film immersif à 360 degrés",
               "la réalité augmentée", "un casque de réalité virtuelle", "une installation immersive",
               "la narration spatiale", "le son binaural en immersion", "la captation volumétrique",
               "une œuvre XR", "l'interaction en temps réel"],
        "en": ["a virtual reality experience", "an immersive 360-degree film", "augmented reality",
               "a VR headset", "an immersive installation", "spatial storytelling",
               "binaural immersive sound", "volumetric capture", "an XR artwork",
               "real-time interaction"],
        "nl": ["een virtual reality-ervaring", "een immersieve 360-gradenfilm",
               "augmented reality", "een VR-bril", "een immersieve installatie",
               "ruimtelijke verhaalvertelling", "binaurale immersieve klank", "volumetrische opname",
               "een XR-kunstwerk", "realtime interactie"],
    },
    "sound": {
        "fr": ["le design sonore", "la musique originale de film", "le mixage son",
               "la prise de son sur le tournage", "la composition musicale", "le bruitage",
               "la post-production audio", "un studio d'enregistrement", "le doublage et la voix",
               "une bande originale orchestrale"],
        "en": ["sound design", "original film music", "sound mixing", "production sound recording",
               "music composition", "foley", "audio post-production", "a recording studio",
               "dubbing and voice-over", "an orchestral soundtrack"],
        "nl": ["sounddesign", "originele filmmuziek", "de geluidsmix", "geluidsopname op de set",
               "muziekcompositie", "foley en geluidseffecten", "audiopostproductie",
               "een opnamestudio", "nasynchronisatie en stemmen", "een orkestrale soundtrack"],
    },
    "vfx": {
        "fr": ["les effets visuels numériques", "le compositing", "l'incrustation sur fond vert",
               "la modélisation 3D", "le rendu et l'éclairage 3D", "les décors virtuels",
               "la capture de mouvement", "la simulation de particules", "l'étalonnage numérique",
               "un pipeline de post-production"],
        "en": ["digital visual effects", "compositing", "green screen keying", "3D modelling",
               "3D rendering and lighting", "virtual sets", "motion capture",
               "particle simulation", "digital colour grading", "a post-production pipeline"],
        "nl": ["digitale visuele effecten", "compositing", "green key op een groen scherm",
               "3D-modellering", "3D-rendering en belichting", "virtuele decors", "motion capture",
               "deeltjessimulatie", "digitale kleurcorrectie", "een postproductiepipeline"],
    },
    "series": {
        "fr": ["une série télévisée de fiction", "l'écriture de série en atelier",
               "un pilote de série", "une saison de huit épisodes", "un feuilleton policier",
               "la coproduction avec une chaîne", "le showrunner", "une mini-série historique",
               "la diffusion sur une plateforme de streaming", "la bible de la série"],
        "en": ["a scripted television series", "writers' room", "a series pilot",
               "an eight-episode season", "a crime drama series", "co-production with a broadcaster",
               "the showrunner", "a historical miniseries", "a streaming platform release",
               "the series bible"],
        "nl": ["een fictiereeks voor televisie", "schrijven in een writers' room",
               "een pilotaflevering", "een seizoen van acht afleveringen", "een misdaadreeks",
               "coproductie met een omroep", "de showrunner", "een historische miniserie",
               "uitzending op een streamingplatform", "de reeksbijbel"],
    },
    "comics": {
        "fr": ["une bande dessinée", "un roman graphique", "l'illustration jeunesse",
               "le dessin à l'encre", "la mise en couleur des planches", "un album de BD",
               "l'édition indépendante", "le festival de la bande dessinée", "un webtoon",
               "le scénario de BD"],
        "en": ["a comic book", "a graphic novel", "children's book illustration", "ink drawing",
               "colouring the pages", "a comics album", "independent publishing",
               "a comics festival", "a webtoon", "comics scriptwriting"],
        "nl": ["een stripverhaal", "een graphic novel", "illustraties voor kinderboeken",
               "tekenen met inkt", "het inkleuren van de platen", "een stripalbum",
               "onafhankelijke uitgeverij", "een stripfestival", "een webtoon",
               "het scenario van een strip"],
    },
    "podcast": {
        "fr": ["un podcast de fiction sonore", "la création radiophonique", "un documentaire audio",
               "la narration en voix off", "une série audio en épisodes", "le reportage radio",
               "l'écoute au casque", "une émission de radio", "l'hébergement de podcasts",
               "la fiction audio"],
        "en": ["an audio drama podcast", "radio art", "an audio documentary", "voice-over narration",
               "an episodic audio series", "radio reporting", "headphone listening",
               "a radio programme", "podcast hosting", "audio fiction"],
        "nl": ["een hoorspelpodcast", "radiokunst", "een audiodocumentaire",
               "vertelling met voice-over", "een audioreeks in afleveringen", "radioreportage",
               "luisteren met een koptelefoon", "een radioprogramma", "podcasthosting",
               "audiofictie"],
    },
}  # fmt: skip

BOILERPLATE = {
    "fr": ["Le budget de production est bouclé à soixante pour cent.",
           "L'équipe réunit des artistes et des techniciens de la région.",
           "Le projet a reçu une aide au développement.",
           "Nous cherchons des partenaires pour la distribution.",
           "La société de production est installée à Liège depuis dix ans."],
    "en": ["The production budget is sixty percent financed.",
           "The team brings together artists and technicians from the region.",
           "The project received development funding.",
           "We are looking for distribution partners.",
           "The production company has been based in Liège for ten years."],
    "nl": ["Het productiebudget is voor zestig procent gefinancierd.",
           "Het team brengt kunstenaars en technici uit de regio samen.",
           "Het project kreeg ontwikkelingssteun.",
           "We zoeken partners voor de distributie.",
           "Het productiehuis is al tien jaar in Luik gevestigd."],
}  # fmt: skip

TEMPLATES = {
    "fr": ["Ce projet porte sur {a} et {b}.", "Nous travaillons sur {a}, avec {b}.",
           "{A}, mais aussi {b}.", "Il s'agit de {a}.", "L'accent est mis sur {a} et sur {b}."],
    "en": ["This project is about {a} and {b}.", "We work on {a}, with {b}.",
           "{A}, and also {b}.", "It is {a}.", "The focus is on {a} and on {b}."],
    "nl": ["Dit project gaat over {a} en {b}.", "We werken aan {a}, met {b}.",
           "{A}, en ook {b}.", "Het gaat om {a}.", "De nadruk ligt op {a} en op {b}."],
}  # fmt: skip

LANGS = ("fr", "en", "nl")
NAMES = list(TOPICS)


@dataclass(frozen=True)
class EvalSet:
    proposals: list[Proposal]
    experts: list[Expert]
    relevance: np.ndarray  # proposals × experts, true affinity
    proposal_languages: list[str] = field(default_factory=list)
    expert_languages: list[str] = field(default_factory=list)  # most of the profile's items


def _text(rng: random.Random, topics: list[str], weights: list[float], lang: str, n: int) -> str:
    sentences = []
    for _ in range(n):
        # One sentence in four strays to another topic: people write around their subject.
        topic = rng.choice(NAMES) if rng.random() < 0.25 else rng.choices(topics, weights)[0]
        a, b = rng.sample(TOPICS[topic][lang], 2)
        template = rng.choice(TEMPLATES[lang])
        sentences.append(template.format(a=a, b=b, A=a[:1].upper() + a[1:]))
    for _ in range(rng.randint(1, 2)):
        sentences.insert(rng.randrange(len(sentences) + 1), rng.choice(BOILERPLATE[lang]))
    return " ".join(sentences)


def _keywords(rng: random.Random, topic: str, lang: str, k: int) -> tuple[str, ...]:
    # A keyword is the head of a phrase: its last two or three words.
    phrases = rng.sample(TOPICS[topic][lang], k)
    return tuple(" ".join(p.split()[-rng.randint(1, 2) :]) for p in phrases)


def generate(
    *, n_proposals: int = 160, n_experts: int = 200, seed: int = 7, mixed: bool = True
) -> EvalSet:
    """A seeded evaluation set; ``mixed=False`` writes everything in one language per pair set."""
    rng = random.Random(seed)
    names = list(TOPICS)
    experts: list[Expert] = []
    levels = np.zeros((n_experts, len(names)))
    expert_languages: list[str] = []
    for e in range(n_experts):
        main = rng.randrange(len(names))
        levels[e, main] = 3
        topics, weights = [names[main]], [0.7]
        if rng.random() < 0.7:
            second = rng.choice([i for i in range(len(names)) if i != main])
            levels[e, second] = rng.choice([1, 2])
            topics.append(names[second])
            weights.append(0.15 * levels[e, second])
        langs = rng.sample(LANGS, rng.choice([1, 1, 2])) if mixed else ["en"]
        items = []
        item_languages: list[str] = []
        for i in range(rng.randint(3, 10)):
            # Each past work is about one of the expert's topics (strays aside).
            lang = rng.choice(langs)
            item_languages.append(lang)
            topic = rng.choices(topics, weights)[0]
            title = rng.choice(TOPICS[topic][lang])
            items.append(
                ExpertItem(
                    title=f"{title[:1].upper()}{title[1:]}",
                    text=_text(rng, [topic], [1.0], lang, rng.randint(2, 5)),
                )
            )
            if i == 0 and rng.random() < 0.5:  # an off-topic bio item
                off = rng.choice(names)
                items.append(ExpertItem("Bio", _text(rng, [off], [1.0], lang, 1)))
        expert_languages.append(
            max(langs, key=lambda lang: (item_languages.count(lang), -langs.index(lang)))
        )
        keywords = _keywords(rng, names[main], langs[0], rng.randint(2, 4))
        experts.append(
            Expert(
                id=f"e{e}",
                items=tuple(items),
                keywords=keywords if rng.random() < 0.6 else (),
                languages=tuple(langs) if mixed and rng.random() < 0.3 else (),
            )
        )
    proposals: list[Proposal] = []
    proposal_languages: list[str] = []
    relevance = np.zeros((n_proposals, n_experts))
    for p in range(n_proposals):
        main = rng.randrange(len(names))
        topics, weights = [names[main]], [1.0]
        relevance[p] = levels[:, main]
        if rng.random() < 0.4:
            second = rng.choice([i for i in range(len(names)) if i != main])
            topics.append(names[second])
            weights.append(0.4)
            relevance[p] += 0.5 * levels[:, second]
        lang = rng.choice(LANGS) if mixed else "en"
        proposal_languages.append(lang)
        proposals.append(
            Proposal(
                id=f"p{p}",
                title=rng.choice(TOPICS[names[main]][lang]),
                text=_text(rng, topics, weights, lang, rng.randint(3, 6)),
                keywords=_keywords(rng, names[main], lang, 3) if rng.random() < 0.5 else (),
                language=lang if rng.random() < 0.5 else None,
            )
        )
    return EvalSet(proposals, experts, relevance, proposal_languages, expert_languages)


def pairwise_loss(scores: np.ndarray, relevance: np.ndarray) -> float:
    """Weighted pairwise ordering loss, averaged over rows (0 perfect, 0.5 chance)."""
    value = ordering_loss(scores, relevance)
    return 0.0 if value is None else value


def losses(scores: np.ndarray, relevance: np.ndarray) -> dict[str, float]:
    per_proposal = pairwise_loss(scores, relevance)
    per_expert = pairwise_loss(scores.T, relevance.T)
    return {
        "per_proposal": round(per_proposal, 4),
        "per_expert": round(per_expert, 4),
        "mean": round((per_proposal + per_expert) / 2, 4),
    }


# The variant tables of docs/engine/affinity.md ("Variants measured before the fusion was learned")
# compare options around the former defaults: the profile as one document, fixed weights.
BASE = AffinityOptions(embeddings="off", aggregation="profile", keyword_weight=0.5)
VARIANTS: dict[str, AffinityOptions] = {
    "default (tfidf/profile, keywords, bigrams x0.5)": BASE,
    "tfidf/max": replace(BASE, aggregation="max"),
    "tfidf/top3-mean": replace(BASE, aggregation="topk_mean", top_items=3),
    "tfidf/top2-mean": replace(BASE, aggregation="topk_mean", top_items=2),
    "tfidf/mean": replace(BASE, aggregation="mean"),
    "bm25/max": replace(BASE, scheme="bm25", aggregation="max"),
    "bm25/top3-mean": replace(BASE, scheme="bm25", aggregation="topk_mean"),
    "bm25/mean": replace(BASE, scheme="bm25", aggregation="mean"),
    "bm25/profile": replace(BASE, scheme="bm25", aggregation="profile"),
    "default, no keyword term": replace(BASE, keyword_weight=0.0),
    "default, no bigrams": replace(BASE, bigram_weight=0.0),
    "default, full-weight bigrams": replace(BASE, bigram_weight=1.0),
    "default, keyword weight 1": replace(BASE, keyword_weight=1.0),
    "default, language penalty 0.5": replace(BASE, language_penalty=0.5),
}
EMBED = replace(BASE, embeddings="on", embedding_weight=1.0)
EMBEDDING_VARIANTS: dict[str, AffinityOptions] = {
    "default + embeddings (w=1, coverage, calibrated)": EMBED,
    "default + embeddings, w=0.5": replace(EMBED, embedding_weight=0.5),
    "default + embeddings, w=2": replace(EMBED, embedding_weight=2.0),
    "default + embeddings, no language coverage": replace(EMBED, language_coverage=False),
    "default + embeddings, not calibrated": replace(EMBED, calibrate_embeddings=False),
    "default + embeddings, neither": replace(
        EMBED, language_coverage=False, calibrate_embeddings=False
    ),
    "default + embeddings, floor 0.2": replace(EMBED, embedding_floor=0.2),
    "default + embeddings, floor 0.4": replace(EMBED, embedding_floor=0.4),
    "default + embeddings, top3-mean": replace(EMBED, aggregation="topk_mean"),
    "default + embeddings, max": replace(EMBED, aggregation="max"),
    "embeddings only": replace(EMBED, lexical_weight=0.0, keyword_weight=0.0),
}


_SHARED_CACHE: list[EmbeddingCache] = []


def _cache(with_embeddings: bool) -> EmbeddingCache | None:
    """One embedding cache per process, kept in var/ between runs (the texts are seeded)."""
    if not (with_embeddings and embeddings_available()):
        return None
    if not _SHARED_CACHE:
        _SHARED_CACHE.append(EmbeddingCache(load_encoder(), CACHE_FILE))
    return _SHARED_CACHE[0]


def evaluate_variants(
    variants: dict[str, AffinityOptions] | None = None,
    *,
    sizes: tuple[int, int] = (160, 200),
    seeds: tuple[int, ...] = (7, 8, 9),
    with_embeddings: bool = True,
) -> dict[str, Any]:
    """Losses of each variant on the mixed-language and the English-only sets, over seeds."""
    chosen = dict(variants or VARIANTS)
    cache = _cache(with_embeddings)
    if cache is not None and variants is None:
        chosen.update(EMBEDDING_VARIANTS)
    report: dict[str, Any] = {}
    for label, mixed in (("mixed_fr_en_nl", True), ("english_only", False)):
        sets = [
            generate(n_proposals=sizes[0], n_experts=sizes[1], seed=seed, mixed=mixed)
            for seed in seeds
        ]
        table: dict[str, dict[str, float]] = {}
        for name, options in chosen.items():
            runs = []
            started = time.perf_counter()
            for data in sets:
                model = AffinityModel(data.proposals, data.experts, options, encoder=cache)
                runs.append(losses(model.matrix(), data.relevance))
            table[name] = {
                key: round(float(np.mean([run[key] for run in runs])), 4) for key in runs[0]
            }
            table[name]["seconds"] = round(time.perf_counter() - started, 2)
        report[label] = table
    if cache is not None:
        cache.save()
    report["sizes"] = {"proposals": sizes[0], "experts": sizes[1], "seeds": list(seeds)}
    report["embeddings_available"] = cache is not None
    return report


# -- Before / after, on both evaluation sets ----------------------------------------------------

CACHE_FILE = Path(__file__).resolve().parents[1] / "var" / "affinity_eval_embeddings.npz"
TRAIN_SEEDS = (1, 2, 3)  # the fusion weights are learned on these
TEST_SEEDS = (7, 8, 9)  # and every figure of the comparison is measured on these
FAMILIES = ("mixed", "english", "portfolio")
# Today's defaults before this change: the profile as one document, w_kw 0.5, w_emb 1.
BEFORE = AffinityOptions(
    embeddings="off", aggregation="profile", keyword_weight=0.5, embedding_weight=1.0
)
AFTER = AffinityOptions(embeddings="off")  # the learned defaults
METHODS: dict[str, AffinityOptions] = {
    "before": BEFORE,
    "after": AFTER,
    "before + embeddings": replace(BEFORE, embeddings="on"),
    "after + embeddings": replace(AFTER, embeddings="on"),
}


def family_sets(family: str, seeds: tuple[int, ...], quick: bool = False) -> list[Any]:
    """The data sets of one family: set 1 mixed, set 1 English-only, or set 2 (portfolios)."""
    if family == "portfolio":
        sizes = (60, 75) if quick else (120, 150)
        return [portfolio.generate(n_proposals=sizes[0], n_experts=sizes[1], seed=s) for s in seeds]
    sizes = (80, 100) if quick else (160, 200)
    mixed = family == "mixed"
    return [generate(n_proposals=sizes[0], n_experts=sizes[1], seed=s, mixed=mixed) for s in seeds]


def quality(scores: np.ndarray, data: Any) -> dict[str, Any]:
    """Ordering loss and NDCG@5, overall and per language pair (proposal → expert language)."""
    rel = data.relevance
    per_proposal = ordering_loss(scores, rel) or 0.0
    per_expert = ordering_loss(scores.T, rel.T) or 0.0
    figures: dict[str, Any] = {
        "loss_per_proposal": per_proposal,
        "loss_per_expert": per_expert,
        "loss": (per_proposal + per_expert) / 2,
        "ndcg5": ndcg_at_k(scores, rel, 5) or 0.0,
    }
    p_lang = np.array(data.proposal_languages)
    e_lang = np.array(data.expert_languages)
    if len(set(p_lang)) > 1:
        pairs: dict[str, dict[str, float]] = {}
        for a in LANGS:
            for b in LANGS:
                rows, columns = p_lang == a, e_lang == b
                loss = ordering_loss(scores, rel, rows=rows, columns=columns)
                ndcg = ndcg_at_k(scores, rel, 5, rows=rows, columns=columns)
                if loss is not None and ndcg is not None:
                    pairs[f"{a}>{b}"] = {"loss": loss, "ndcg5": ndcg}
        figures["pairs"] = pairs
        for kind, same in (("same_language", True), ("across_languages", False)):
            chosen = [v for k, v in pairs.items() if (k[:2] == k[3:]) == same]
            figures[kind] = {m: float(np.mean([v[m] for v in chosen])) for m in ("loss", "ndcg5")}
    return figures


def _mean(runs: list[Any]) -> Any:
    """Mean of nested dicts of floats, rounded."""
    if isinstance(runs[0], dict):
        return {k: _mean([r[k] for r in runs]) for k in runs[0] if all(k in r for r in runs)}
    return round(float(np.mean(runs)), 4)


def compare(
    methods: dict[str, AffinityOptions] | None = None,
    *,
    seeds: tuple[int, ...] = TEST_SEEDS,
    with_embeddings: bool = True,
    quick: bool = False,
) -> dict[str, Any]:
    """Each method's quality on the three families, mean over seeds."""
    cache = _cache(with_embeddings)
    chosen = {
        name: options
        for name, options in (methods or METHODS).items()
        if options.embeddings == "off" or cache is not None
    }
    report: dict[str, Any] = {}
    for family in FAMILIES:
        sets = family_sets(family, seeds, quick)
        report[family] = {}
        for name, options in chosen.items():
            runs = []
            for data in sets:
                model = AffinityModel(data.proposals, data.experts, options, encoder=cache)
                runs.append(quality(model.matrix(), data))
            report[family][name] = _mean(runs)
    if cache is not None:
        cache.save()
    report["seeds"] = list(seeds)
    report["embeddings_available"] = cache is not None
    return report


def markdown(report: dict[str, Any]) -> str:
    """The tables of docs/engine/affinity.md: overall, then per language pair."""
    methods = [m for m in METHODS if m in report["mixed"]]
    lines = [
        "| method | " + " | ".join(f"{f}: loss | NDCG@5" for f in FAMILIES) + " |",
        "|---|" + "---|---|" * len(FAMILIES),
    ]
    for m in methods:
        cells = [f"{report[f][m]['loss']:.3f} | {report[f][m]['ndcg5']:.3f}" for f in FAMILIES]
        lines.append(f"| {m} | " + " | ".join(cells) + " |")
    for family in ("mixed", "portfolio"):
        lines += ["", f"{family}: per language pair (proposal > expert), loss / NDCG@5", ""]
        lines.append("| pair | " + " | ".join(methods) + " |")
        lines.append("|---|" + "---|" * len(methods))
        keys = [*report[family][methods[0]]["pairs"], "same_language", "across_languages"]
        for key in keys:
            cells = []
            for m in methods:
                row = report[family][m]
                value = row["pairs"][key] if ">" in key else row[key]
                cells.append(f"{value['loss']:.3f} / {value['ndcg5']:.3f}")
            lines.append(f"| {key.replace('>', ' → ')} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    import argparse

    from bench.affinity_learn import learn

    parser = argparse.ArgumentParser(prog="python -m bench.affinity_eval")
    parser.add_argument("--learn", action="store_true", help="re-derive the fusion weights")
    parser.add_argument("--variants", action="store_true", help="the former variant tables")
    parser.add_argument("--no-embeddings", action="store_true")
    parser.add_argument("--quick", action="store_true", help="smaller sets, for a smoke run")
    args = parser.parse_args()
    results = Path(__file__).resolve().parent / "results"
    with_embeddings = not args.no_embeddings
    if args.learn:
        learned = learn(with_embeddings=with_embeddings, quick=args.quick, cache=_cache(True))
        text = json.dumps(learned, indent=2) + "\n"
        sys.stdout.write(text)
        if not args.quick:
            (results / "affinity_fusion.json").write_text(text)
    elif args.variants:
        text = json.dumps(evaluate_variants(with_embeddings=with_embeddings), indent=2) + "\n"
        sys.stdout.write(text)
        (results / "affinity_variants.json").write_text(text)
    else:
        report = compare(with_embeddings=with_embeddings, quick=args.quick)
        sys.stdout.write(json.dumps(report, indent=2) + "\n")
        sys.stdout.write(markdown(report))
        if not args.quick:
            (results / "affinity_eval.json").write_text(json.dumps(report, indent=2) + "\n")
