"""The demo's pool of experts for the fund of the 2009 call: who they are, what they know, what
they made (templates only: no real person is described), and the texts of the conflicts the
demo declares, requests, adds and lifts. Written by ``pool.py``."""

from __future__ import annotations

from dataclasses import dataclass

#: The address domain of the demo experts' accounts (the demo expert account excepted).
EXPERT_DOMAIN = "demo-experts.example.org"


@dataclass(frozen=True)
class ExpertText:
    """One expert of the demo pool. ``max_load=None``: not available for the 2009 call."""

    key: str  # the address is ``key@EXPERT_DOMAIN``
    first_name: str
    last_name: str
    territory: str
    headline: str
    languages: tuple[str, ...]
    professions: tuple[str, ...]
    skills: tuple[str, ...]
    keywords: tuple[str, ...]
    about: str
    works: tuple[tuple[str, int, str], ...]  # (title, year, description)
    max_load: int | None


#: The demo expert account's expertise (``expert@example.org``, Dominique Experte).
DEMO_EXPERT = ExpertText(
    key="",
    first_name="Dominique",
    last_name="Experte",
    territory="mel",
    headline="Consultante en serious games et webdocumentaires",
    languages=("fr", "en"),
    professions=("game-designer", "interactive-author"),
    skills=("Game design", "Web documentary", "Unity"),
    keywords=("serious game", "webdocumentaire", "médiation culturelle", "patrimoine industriel"),
    about=(
        "Quinze ans de conception d'expériences interactives pour les musées et l'éducation : "
        "je lis les dossiers de serious games et de webdocumentaires, en particulier leur "
        "scénarisation, leur public et leur modèle de diffusion."
    ),
    works=(
        (
            "Mineurs de fond, le jeu",
            2007,
            "Serious game pour le Centre historique minier de Lewarde : les collégiens vivent une "
            "journée de travail au fond en 1930.",
        ),
        (
            "Les Filatures, un webdocumentaire",
            2005,
            "Webdocumentaire sur la mémoire textile de Roubaix et Tourcoing, témoignages "
            "d'anciennes ouvrières et archives de la Condition publique.",
        ),
    ),
    max_load=12,
)

EXPERTS = (
    ExpertText(
        key="helene.vasseur",
        first_name="Hélène",
        last_name="Vasseur",
        territory="mel",
        headline="Réalisatrice de séries d'animation",
        languages=("fr",),
        professions=("director", "storyboard-artist"),
        skills=("Toon Boom", "Storyboard", "Animation 2D"),
        keywords=("série d'animation", "jeunesse", "animation 2D", "écriture visuelle"),
        about=(
            "Réalisatrice de séries d'animation pour la jeunesse (52 × 13 min), passée par le "
            "storyboard : j'évalue surtout la bible graphique, le pilote et le plan de "
            "fabrication."
        ),
        works=(
            (
                "Les Petits Géants du Nord",
                2008,
                "Série d'animation 2D de 26 épisodes sur les géants des carnavals, diffusée sur "
                "France 3.",
            ),
            (
                "Pilote « Bertille et le beffroi »",
                2006,
                "Pilote de 7 minutes produit avec l'aide de la Région Nord-Pas de Calais.",
            ),
        ),
        max_load=13,
    ),
    ExpertText(
        key="karim.benali",
        first_name="Karim",
        last_name="Benali",
        territory="mel",
        headline="Superviseur des effets visuels",
        languages=("fr", "en"),
        professions=("vfx-supervisor", "compositor"),
        skills=("Nuke", "Houdini", "Compositing"),
        keywords=("effets visuels", "VFX", "compositing", "prévisualisation", "fond vert"),
        about=(
            "Superviseur VFX sur des longs métrages et des séries ; je lis les devis techniques, "
            "les pipelines de fabrication et la faisabilité des plans truqués."
        ),
        works=(
            (
                "Les Corons, long métrage",
                2008,
                "Supervision de 240 plans truqués : extensions de décors et reconstitution des "
                "carreaux de fosse.",
            ),
            (
                "Prévisualisation pour « Lille 1914 »",
                2007,
                "Prévisualisation 3D d'un docu-fiction sur l'occupation de Lille.",
            ),
            (
                "Atelier de compositing à l'Imaginarium",
                2006,
                "Formation des étudiants de Tourcoing au compositing sous Nuke.",
            ),
        ),
        max_load=10,
    ),
    ExpertText(
        key="sophie.lemaire",
        first_name="Sophie",
        last_name="Lemaire",
        territory="porte-du-hainaut",
        headline="Productrice de documentaires de proximité",
        languages=("fr",),
        professions=("producer", "director"),
        skills=("Documentary", "Financing plans", "Co-production"),
        keywords=("documentaire de proximité", "bassin minier", "télévisions locales", "mémoire"),
        about=(
            "Je produis des documentaires pour les télévisions locales du bassin minier depuis "
            "2001 : écriture, accès aux témoins, diffusion locale et plans de financement "
            "modestes."
        ),
        works=(
            (
                "Wallers-Arenberg, la dernière fosse",
                2008,
                "Documentaire de 52 minutes sur la fermeture de la fosse d'Arenberg et son "
                "avenir de lieu de tournage.",
            ),
            (
                "Paroles de mineurs polonais",
                2004,
                "Série de portraits documentaires pour Wéo et les médiathèques du Valenciennois.",
            ),
        ),
        max_load=15,
    ),
    ExpertText(
        key="luc.dethier",
        first_name="Luc",
        last_name="Dethier",
        territory="wallonia",
        headline="Producteur d'animation à Liège",
        languages=("fr", "en"),
        professions=("producer", "executive-producer"),
        skills=("Co-production", "European funds", "Animation"),
        keywords=("coproduction franco-belge", "Wallimage", "animation", "tax shelter"),
        about=(
            "Producteur wallon d'animation ; je lis les coproductions avec la Belgique, les "
            "plans de financement mêlant Wallimage, tax shelter et aides régionales françaises."
        ),
        works=(
            (
                "Le Petit Peuple de la Meuse",
                2007,
                "Long métrage d'animation coproduit entre Liège et Angoulême.",
            ),
            (
                "Contes de Wallonie",
                2003,
                "Collection de courts métrages en papier découpé pour la RTBF.",
            ),
        ),
        max_load=9,
    ),
    ExpertText(
        key="els.vermeulen",
        first_name="Els",
        last_name="Vermeulen",
        territory="flanders",
        headline="Game designer, jeux sérieux pour la santé",
        languages=("nl", "en", "fr"),
        professions=("game-designer", "ux-designer"),
        skills=("Game design", "Unity", "User testing"),
        keywords=("serious game", "santé", "gamification", "tests utilisateurs", "Flandre"),
        about=(
            "Game designer à Gand : jeux sérieux pour les hôpitaux et la rééducation. Je lis en "
            "néerlandais, en anglais et en français ; j'évalue la boucle de jeu et le protocole "
            "de test avec le public visé."
        ),
        works=(
            (
                "Revalidatie Quest",
                2008,
                "Jeu de rééducation motrice pour l'UZ Gent, testé avec 120 patients.",
            ),
            (
                "Diabetes Dash",
                2006,
                "Jeu mobile d'éducation thérapeutique pour les adolescents diabétiques.",
            ),
        ),
        max_load=11,
    ),
    ExpertText(
        key="pieter.claes",
        first_name="Pieter",
        last_name="Claes",
        territory="flanders",
        headline="Développeur de mondes virtuels",
        languages=("nl", "en"),
        professions=("xr-developer", "technical-artist"),
        skills=("Second Life", "OpenSim", "3D real-time"),
        keywords=("mondes virtuels", "3D temps réel", "avatars", "réalité virtuelle"),
        about=(
            "Je construis des mondes virtuels pour la formation et le patrimoine depuis 2005 ; "
            "j'évalue l'architecture technique et la tenue en charge des serveurs."
        ),
        works=(
            (
                "Virtueel Brugge",
                2008,
                "Reconstitution de Bruges au XVe siècle dans OpenSim pour les écoles.",
            ),
        ),
        max_load=None,  # busy with a production this year: not available for the 2009 call
    ),
    ExpertText(
        key="nathalie.carpentier",
        first_name="Nathalie",
        last_name="Carpentier",
        territory="mel",
        headline="Chercheuse en interaction humain-machine",
        languages=("fr", "en"),
        professions=("researcher", "higher-education-teacher"),
        skills=("User research", "Virtual reality", "Interaction design"),
        keywords=("interaction humain-machine", "réalité virtuelle", "mondes virtuels", "usages"),
        about=(
            "Maîtresse de conférences à Lille ; mes travaux portent sur l'interaction en réalité "
            "virtuelle et les usages des mondes virtuels. J'évalue l'innovation et la méthode "
            "d'évaluation des prototypes."
        ),
        works=(
            (
                "Naviguer dans un musée virtuel",
                2008,
                "Étude de 60 visiteurs d'un musée reconstitué en 3D : orientation et fatigue.",
            ),
            (
                "Interfaces gestuelles pour la télévision",
                2006,
                "Prototype et tests d'une télécommande gestuelle avec un diffuseur régional.",
            ),
        ),
        max_load=14,
    ),
    ExpertText(
        key="julien.masson",
        first_name="Julien",
        last_name="Masson",
        territory="mel",
        headline="Scénariste de fictions pour Internet",
        languages=("fr",),
        professions=("screenwriter", "narrative-designer"),
        skills=("Fiction writing", "Web series", "Transmedia"),
        keywords=("websérie", "fiction courte", "écriture", "transmédia", "narration"),
        about=(
            "Scénariste de formats courts pour le web et la télévision ; je lis les bibles, les "
            "arches narratives et les premiers épisodes des séries de fiction pour Internet."
        ),
        works=(
            (
                "Colocs à Wazemmes",
                2008,
                "Websérie de 20 épisodes de 4 minutes, 300 000 vues en un an.",
            ),
            (
                "Le Journal de Lou",
                2007,
                "Fiction transmédia avec un blog tenu par l'héroïne et des épisodes vidéo.",
            ),
        ),
        max_load=12,
    ),
    ExpertText(
        key="claire.dubois",
        first_name="Claire",
        last_name="Dubois",
        territory="valenciennes",
        headline="Designer d'expériences interactives",
        languages=("fr", "en"),
        professions=("ux-designer", "interactive-author"),
        skills=("Interaction design", "Flash", "Web documentary"),
        keywords=("design d'interaction", "webdocumentaire", "accessibilité", "navigation"),
        about=(
            "Designer d'interfaces pour des webdocumentaires et des dispositifs muséaux ; "
            "j'évalue l'ergonomie, l'accessibilité et la qualité de l'expérience proposée."
        ),
        works=(
            (
                "Escaut, fleuve frontière",
                2008,
                "Conception de l'interface d'un webdocumentaire franco-belge sur l'Escaut.",
            ),
            (
                "Borne interactive du musée des Beaux-Arts de Valenciennes",
                2005,
                "Parcours tactile autour des œuvres de Carpeaux.",
            ),
        ),
        max_load=13,
    ),
    ExpertText(
        key="marc.lefebvre",
        first_name="Marc",
        last_name="Lefebvre",
        territory="mel",
        headline="Compositeur et sound designer",
        languages=("fr",),
        professions=("sound-designer", "composer"),
        skills=("Pro Tools", "Sound design", "Music composition"),
        keywords=("son interactif", "musique de jeu", "design sonore", "animation"),
        about=(
            "Compositeur pour l'animation et le jeu vidéo ; je lis la place du son dans les "
            "dossiers, son budget et la faisabilité d'une musique interactive."
        ),
        works=(
            (
                "Musique de « Les Petits Géants du Nord »",
                2008,
                "Musique originale et génériques d'une série d'animation de 26 épisodes.",
            ),
            (
                "Ambiances sonores de « Mineurs de fond »",
                2007,
                "Design sonore d'un serious game patrimonial.",
            ),
        ),
        max_load=10,
    ),
)

#: Someone who was in the pool and left it (removed by the staff, with this reason).
LEFT_EXPERT = ExpertText(
    key="bernard.hennion",
    first_name="Bernard",
    last_name="Hennion",
    territory="valenciennes",
    headline="Ancien directeur de production",
    languages=("fr",),
    professions=("production-manager",),
    skills=("Budgeting",),
    keywords=("production", "budget", "documentaire"),
    about="Directeur de production à la retraite.",
    works=(("Le Canal du Nord", 2001, "Direction de production d'un documentaire de 90 minutes."),),
    max_load=10,
)
LEFT_REASON = "Parti à la retraite : il ne souhaite plus évaluer de dossiers."

#: Someone the staff invited by e-mail who has not answered yet (no account).
INVITED_EMAIL = "amelie.roussel@studio-nord.example.org"

#: What some experts declared about an applicant organisation of the call: (expert key, kind,
#: reason); each names one of the call's applicant organisations, in the order of the files.
DECLARED = (
    (
        "helene.vasseur",
        "competitor",
        "Mon studio prépare une série d'animation sur le même sujet et répond aux mêmes "
        "diffuseurs.",
    ),
    (
        "karim.benali",
        "collaborator",
        "J'ai supervisé les effets visuels de leurs deux derniers projets, comme prestataire.",
    ),
    (
        "sophie.lemaire",
        "family",
        "Mon frère est le gérant de cette société.",
    ),
)

#: The demo applicant's request to exclude the people of a competing studio, where this expert
#: of the pool works (the applicant names the studio, never learns who of it is an expert).
EXCLUSION = (
    "karim.benali",
    "competitor",
    "Ce studio concurrent prépare un projet très proche du nôtre : personne de chez eux ne "
    "devrait lire notre dossier.",
)

#: A conflict the staff add for one expert and one application.
STAFF_CONFLICT = (
    "julien.masson",
    "collaborator",
    "L'expert a coécrit la note d'intention du projet avant le dépôt (signalé par le porteur "
    "lors de l'instruction).",
)

#: The staff lift the conflict of the research lab's expert on one application, with a reason.
LIFT_REASON = (
    "Le laboratoire n'intervient sur ce projet que pour des tests utilisateurs, dans une autre "
    "équipe que celle de Mme Carpentier ; la direction du Pôle maintient sa lecture."
)
#: The expert who works for a research lab (a partner of some applications).
LAB_EXPERT = "nathalie.carpentier"
#: The expert who works for a Belgian partner.
BELGIAN_EXPERT = "luc.dethier"
#: The expert who left an applicant organisation two years ago.
FORMER_EMPLOYEE = "helene.vasseur"
