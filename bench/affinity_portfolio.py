# ruff: noqa: E501 - the phrase tables read best one language per line
"""A second affinity evaluation set: experts known by several past works, as real experts are.

Six fields of the cluster (animation, documentary, games, immersive media, music and sound,
comics and illustration) each have three specialities, with phrases written for this set in
French, English and Dutch (different words from ``affinity_eval.py``'s set). An expert's profile
is 3 to 8 items: past works, each about one speciality (often not all in the same field: people
change jobs), in one or two languages, and a few off-topic items (a board seat, a teaching job,
a hobby). A proposal is about one speciality, in French, English or Dutch.

The graded truth (0 to 3) is the expert's best past work for the proposal:

* 3: a past work in the proposal's speciality;
* 2: a past work in the same field (another speciality);
* 1: a past work in a neighbouring field (animation–comics, games–immersive, documentary–sound,
  documentary–immersive);
* 0: nothing related.

So one strongly matching work among unrelated ones makes an expert the right reviewer, which the
"whole profile as one document" scoring dilutes. Deterministic for a given seed.
"""

import random
from dataclasses import dataclass

import numpy as np

from filiere.engine.affinity import Expert, ExpertItem, Proposal

LANGS = ("fr", "en", "nl")

# field -> speciality -> language -> phrases.
SPECIALITIES: dict[str, dict[str, dict[str, list[str]]]] = {
    "animation": {
        "puppets": {
            "fr": ["des marionnettes en pâte à modeler", "un plateau de tournage image par image", "la fabrication des armatures", "des figurines articulées"],
            "en": ["clay puppets", "a frame-by-frame shooting stage", "building armatures", "articulated figurines"],
            "nl": ["kleipoppen", "een opnameset beeld per beeld", "het bouwen van armaturen", "gelede figuurtjes"],
        },
        "cartoon": {
            "fr": ["un dessin animé pour les tout-petits", "l'animation traditionnelle sur papier", "des personnages dessinés à la main", "une série de cinquante-deux épisodes"],
            "en": ["a cartoon for toddlers", "traditional animation on paper", "hand-drawn characters", "a fifty-two episode series"],
            "nl": ["een tekenfilm voor peuters", "traditionele animatie op papier", "met de hand getekende personages", "een reeks van tweeënvijftig afleveringen"],
        },
        "cgi": {
            "fr": ["un long métrage en images de synthèse", "le rigging des personnages 3D", "le rendu photoréaliste", "l'animation de créatures numériques"],
            "en": ["a computer-generated feature", "rigging 3D characters", "photorealistic rendering", "animating digital creatures"],
            "nl": ["een computergeanimeerde langspeelfilm", "het riggen van 3D-personages", "fotorealistische rendering", "het animeren van digitale wezens"],
        },
    },
    "documentary": {
        "investigation": {
            "fr": ["une enquête sur la corruption", "des lanceurs d'alerte", "le journalisme d'investigation", "des documents confidentiels"],
            "en": ["an inquiry into corruption", "whistleblowers", "investigative journalism", "confidential documents"],
            "nl": ["een onderzoek naar corruptie", "klokkenluiders", "onderzoeksjournalistiek", "vertrouwelijke documenten"],
        },
        "wildlife": {
            "fr": ["la vie sauvage des forêts ardennaises", "le tournage animalier à l'affût", "la migration des oiseaux", "la protection des zones humides"],
            "en": ["wildlife in the Ardennes forests", "filming animals from a hide", "bird migration", "protecting wetlands"],
            "nl": ["het wilde leven in de Ardeense bossen", "dieren filmen vanuit een schuilhut", "de trek van vogels", "de bescherming van moerasgebieden"],
        },
        "history": {
            "fr": ["les images d'archives de l'entre-deux-guerres", "le portrait d'une résistante", "l'histoire des mines de charbon", "des films amateurs retrouvés"],
            "en": ["archive images from the interwar years", "the portrait of a resistance fighter", "the history of coal mines", "rediscovered home movies"],
            "nl": ["archiefbeelden uit het interbellum", "het portret van een verzetsstrijdster", "de geschiedenis van de steenkoolmijnen", "teruggevonden amateurfilms"],
        },
    },
    "games": {
        "adventure": {
            "fr": ["un jeu d'aventure narratif", "des énigmes et des dialogues à embranchements", "un monde ouvert à explorer", "un récit à choix multiples"],
            "en": ["a narrative adventure game", "puzzles and branching dialogue", "an open world to explore", "a choose-your-path story"],
            "nl": ["een verhalend avonturenspel", "puzzels en vertakte dialogen", "een open wereld om te verkennen", "een verhaal met meerdere keuzes"],
        },
        "learning": {
            "fr": ["un jeu pour apprendre les mathématiques", "la rééducation des patients par le jeu", "un jeu de plateau pédagogique", "la formation des pompiers par simulation"],
            "en": ["a game for learning mathematics", "rehabilitating patients through play", "an educational board game", "training firefighters by simulation"],
            "nl": ["een spel om wiskunde te leren", "revalidatie van patiënten met een spel", "een educatief bordspel", "brandweerlieden opleiden met simulaties"],
        },
        "esports": {
            "fr": ["un jeu de combat en ligne", "les compétitions d'esport", "l'équilibrage des classes de personnages", "les serveurs et le matchmaking"],
            "en": ["an online fighting game", "esports tournaments", "balancing character classes", "servers and matchmaking"],
            "nl": ["een online vechtspel", "esporttoernooien", "het balanceren van personageklassen", "servers en matchmaking"],
        },
    },
    "immersive": {
        "vr_fiction": {
            "fr": ["une fiction en réalité virtuelle", "la mise en scène autour du spectateur", "un casque autonome", "le regard du visiteur dans la scène"],
            "en": ["a virtual reality fiction", "staging around the viewer", "a standalone headset", "the visitor's gaze inside the scene"],
            "nl": ["een fictie in virtuele realiteit", "regie rond de toeschouwer", "een autonome headset", "de blik van de bezoeker in de scène"],
        },
        "heritage_ar": {
            "fr": ["une visite de musée en réalité augmentée", "la reconstitution d'un château disparu", "une application sur tablette pour le patrimoine", "la numérisation des monuments"],
            "en": ["an augmented reality museum tour", "reconstructing a vanished castle", "a tablet app for heritage sites", "scanning monuments"],
            "nl": ["een museumbezoek in augmented reality", "de reconstructie van een verdwenen kasteel", "een tablet-app voor erfgoed", "het digitaliseren van monumenten"],
        },
        "projection": {
            "fr": ["un mapping vidéo sur une façade", "une projection sous un dôme", "un spectacle de lumière nocturne", "des projecteurs synchronisés"],
            "en": ["video mapping on a facade", "a projection under a dome", "a night-time light show", "synchronised projectors"],
            "nl": ["videomapping op een gevel", "een projectie onder een koepel", "een nachtelijke lichtshow", "gesynchroniseerde projectoren"],
        },
    },
    "sound": {
        "score": {
            "fr": ["la partition d'un film", "un orchestre à cordes", "le thème musical du générique", "l'enregistrement avec des musiciens"],
            "en": ["a film score", "a string orchestra", "the main title theme", "recording with session musicians"],
            "nl": ["de partituur van een film", "een strijkorkest", "het muzikale thema van de generiek", "opnemen met sessiemuzikanten"],
        },
        "radio_drama": {
            "fr": ["une fiction radiophonique", "des comédiens au micro", "une série audio en six épisodes", "l'écoute au casque dans le train"],
            "en": ["a radio play", "actors at the microphone", "a six-episode audio series", "listening on headphones on the train"],
            "nl": ["een hoorspel", "acteurs aan de microfoon", "een audioreeks van zes afleveringen", "luisteren met hoofdtelefoon op de trein"],
        },
        "game_audio": {
            "fr": ["le son interactif d'un jeu", "les bruitages des pas et des armes", "la musique adaptative", "l'intégration audio dans le moteur"],
            "en": ["interactive game sound", "footstep and weapon effects", "adaptive music", "audio integration in the engine"],
            "nl": ["interactief geluid voor een game", "geluidseffecten van voetstappen en wapens", "adaptieve muziek", "audio-integratie in de engine"],
        },
    },
    "comics": {
        "graphic_novel": {
            "fr": ["un roman graphique autobiographique", "un récit dessiné de deux cents pages", "le noir et blanc au pinceau", "un éditeur de bande dessinée d'auteur"],
            "en": ["an autobiographical graphic novel", "a two-hundred-page drawn story", "black and white brushwork", "an art comics publisher"],
            "nl": ["een autobiografische graphic novel", "een getekend verhaal van tweehonderd bladzijden", "zwart-wit met het penseel", "een uitgever van auteursstrips"],
        },
        "picture_book": {
            "fr": ["un album illustré pour enfants", "l'aquarelle et les crayons de couleur", "la lecture à voix haute en classe", "les livres pour les premiers lecteurs"],
            "en": ["an illustrated picture book", "watercolour and coloured pencils", "reading aloud in class", "books for early readers"],
            "nl": ["een geïllustreerd prentenboek", "aquarel en kleurpotloden", "voorlezen in de klas", "boeken voor beginnende lezers"],
        },
        "webcomic": {
            "fr": ["une bande dessinée publiée en ligne", "le défilement vertical sur téléphone", "un chapitre chaque semaine", "la communauté des lecteurs sur les réseaux"],
            "en": ["a comic published online", "vertical scrolling on phones", "a new chapter every week", "the readers' community on social networks"],
            "nl": ["een strip die online verschijnt", "verticaal scrollen op de telefoon", "elke week een nieuw hoofdstuk", "de lezersgemeenschap op sociale netwerken"],
        },
    },
}  # fmt: skip

NEIGHBOURS = {
    "animation": {"comics"},
    "comics": {"animation"},
    "games": {"immersive"},
    "immersive": {"games", "documentary"},
    "documentary": {"sound", "immersive"},
    "sound": {"documentary"},
}

WORK_TEMPLATES = {
    "fr": ["J'ai réalisé {a}, avec {b}.", "Ce travail portait sur {a}.", "{A} : j'en ai assuré la direction, ainsi que {b}.", "Projet consacré à {a} et à {b}."],
    "en": ["I directed {a}, with {b}.", "This work was about {a}.", "{A}: I led it, as well as {b}.", "A project devoted to {a} and to {b}."],
    "nl": ["Ik regisseerde {a}, met {b}.", "Dit werk ging over {a}.", "{A}: ik leidde het, net als {b}.", "Een project over {a} en over {b}."],
}  # fmt: skip

PROPOSAL_TEMPLATES = {
    "fr": ["Notre projet propose {a}.", "Nous voulons développer {a} et {b}.", "Au cœur du projet : {a}.", "Le projet associe {a} à {b}."],
    "en": ["Our project offers {a}.", "We want to develop {a} and {b}.", "At the heart of the project: {a}.", "The project combines {a} with {b}."],
    "nl": ["Ons project biedt {a}.", "We willen {a} en {b} ontwikkelen.", "De kern van het project: {a}.", "Het project verbindt {a} met {b}."],
}  # fmt: skip

# Things people list on a profile that say nothing about the proposal's subject.
OFF_TOPIC = {
    "fr": ["Trésorière d'un club de football amateur depuis six ans.", "Professeur de comptabilité dans une haute école.", "Membre du conseil d'administration d'une coopérative agricole.", "Passionné de randonnée et de cuisine italienne.", "Ancien employé d'une banque, service des crédits hypothécaires.", "Bénévole dans une maison de repos le week-end."],
    "en": ["Treasurer of an amateur football club for six years.", "Accounting lecturer at a university college.", "Board member of a farming cooperative.", "Keen on hiking and Italian cooking.", "Former bank employee in the mortgage department.", "Volunteer at a care home at weekends."],
    "nl": ["Al zes jaar penningmeester van een amateurvoetbalclub.", "Docent boekhouden aan een hogeschool.", "Bestuurslid van een landbouwcoöperatie.", "Houdt van wandelen en de Italiaanse keuken.", "Voormalig bankbediende op de dienst hypothecaire kredieten.", "Vrijwilliger in een woonzorgcentrum in het weekend."],
}  # fmt: skip

BOILERPLATE = {
    "fr": ["La demande couvre l'écriture et le développement.", "Le calendrier prévoit dix-huit mois de travail.", "Une coproduction avec la Flandre est à l'étude."],
    "en": ["The application covers writing and development.", "The schedule plans eighteen months of work.", "A co-production with Flanders is being discussed."],
    "nl": ["De aanvraag dekt het schrijven en de ontwikkeling.", "De planning voorziet achttien maanden werk.", "Een coproductie met Wallonië wordt besproken."],
}  # fmt: skip

FIELDS = list(SPECIALITIES)
CODES = [(field, name) for field in FIELDS for name in SPECIALITIES[field]]


@dataclass(frozen=True)
class PortfolioSet:
    proposals: list[Proposal]
    experts: list[Expert]
    relevance: np.ndarray  # proposals × experts, 0..3
    proposal_languages: list[str]
    expert_languages: list[str]  # the language most of the profile is written in


def _sentence(rng: random.Random, templates: list[str], phrases: list[str]) -> str:
    a, b = rng.sample(phrases, 2)
    return rng.choice(templates).format(a=a, b=b, A=a[:1].upper() + a[1:])


def _past_work(rng: random.Random, code: tuple[str, str], lang: str) -> ExpertItem:
    phrases = SPECIALITIES[code[0]][code[1]][lang]
    title = rng.choice(phrases)
    sentences = [_sentence(rng, WORK_TEMPLATES[lang], phrases) for _ in range(rng.randint(1, 2))]
    return ExpertItem(title=title[:1].upper() + title[1:], text=" ".join(sentences))


def _grade(code: tuple[str, str], works: set[tuple[str, str]]) -> int:
    if code in works:
        return 3
    fields = {field for field, _ in works}
    if code[0] in fields:
        return 2
    if NEIGHBOURS[code[0]] & fields:
        return 1
    return 0


def generate(*, n_proposals: int = 120, n_experts: int = 150, seed: int = 7) -> PortfolioSet:
    rng = random.Random(seed)
    experts: list[Expert] = []
    expert_works: list[set[tuple[str, str]]] = []
    expert_languages: list[str] = []
    for e in range(n_experts):
        langs = rng.sample(LANGS, rng.choice([1, 1, 2]))
        # 1 to 3 specialities; the second and third often in another field.
        codes = [rng.choice(CODES)]
        for _ in range(rng.choice([0, 1, 1, 2])):
            same_field = [c for c in CODES if c[0] == codes[0][0] and c not in codes]
            pool = same_field if rng.random() < 0.4 else [c for c in CODES if c not in codes]
            codes.append(rng.choice(pool))
        n_works = rng.randint(max(2, len(codes)), 6)
        work_codes = codes + [rng.choice(codes) for _ in range(n_works - len(codes))]
        items: list[tuple[str, ExpertItem]] = []
        for code in work_codes:
            lang = rng.choice(langs)
            items.append((lang, _past_work(rng, code, lang)))
        for _ in range(rng.choice([0, 1, 1, 2])):
            lang = rng.choice(langs)
            items.append((lang, ExpertItem("", rng.choice(OFF_TOPIC[lang]))))
        items = items[:8]
        while len(items) < 3:
            lang = rng.choice(langs)
            items.append((lang, ExpertItem("", rng.choice(OFF_TOPIC[lang]))))
        rng.shuffle(items)
        counts = {lang: sum(1 for item_lang, _ in items if item_lang == lang) for lang in langs}
        expert_languages.append(max(langs, key=lambda lang: (counts[lang], -langs.index(lang))))
        main_field, main_name = codes[0]
        keywords = tuple(rng.sample(SPECIALITIES[main_field][main_name][langs[0]], 2))
        experts.append(
            Expert(
                id=f"x{e}",
                items=tuple(item for _, item in items),
                keywords=keywords if rng.random() < 0.4 else (),
            )
        )
        expert_works.append(set(codes))
    proposals: list[Proposal] = []
    proposal_languages: list[str] = []
    relevance = np.zeros((n_proposals, n_experts))
    for p in range(n_proposals):
        code = rng.choice(CODES)
        lang = rng.choice(LANGS)
        phrases = SPECIALITIES[code[0]][code[1]][lang]
        sentences = [
            _sentence(rng, PROPOSAL_TEMPLATES[lang], phrases) for _ in range(rng.randint(2, 4))
        ]
        sentences.insert(rng.randrange(len(sentences) + 1), rng.choice(BOILERPLATE[lang]))
        proposals.append(
            Proposal(
                id=f"q{p}",
                title=rng.choice(phrases).capitalize(),
                text=" ".join(sentences),
                keywords=tuple(rng.sample(phrases, 2)) if rng.random() < 0.4 else (),
                language=lang if rng.random() < 0.5 else None,
            )
        )
        proposal_languages.append(lang)
        relevance[p] = [_grade(code, works) for works in expert_works]
    return PortfolioSet(proposals, experts, relevance, proposal_languages, expert_languages)
