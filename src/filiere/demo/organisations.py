"""The demo's organisations: name patterns, labs, schools, bodies and Belgian partners."""

from __future__ import annotations

from filiere.community.models import OrganisationKind

PLACES = [
    "Beffroi",
    "Terril",
    "Deûle",
    "Escaut",
    "Scarpe",
    "Lys",
    "Marque",
    "Carillon",
    "Géant",
    "Houblon",
    "Lin",
    "Brique",
    "Courée",
    "Estaminet",
    "Chevalement",
    "Canal",
    "Dune",
    "Luciole",
    "Phare",
    "Hibou",
    "Renard",
    "Moulin",
    "Beguinage",
    "Vauban",
    "Braderie",
    "Rihoult",
    "Arenberg",
    "Hainaut",
    "Pévèle",
    "Mélantois",
    "Ferrain",
    "Weppes",
    "Ostrevent",
    "Flandre",
    "Nuage",
    "Aurore",
    "Coron",
    "Filature",
    "Tisserand",
    "Navette",
]
COMPANY_PATTERNS = {
    "production": [
        "Les Films du {p}",
        "{p} Productions",
        "Production {p}",
        "{p} Films",
        "Atelier {p}",
        "{p} Docs",
    ],
    "animation": ["Studio {p}", "{p} Animation", "{p} Pictures", "Atelier {p} Anim"],
    "post": ["{p} Post", "Studio {p} Son", "{p} VFX", "{p} Lab Image"],
    "games": ["{p} Games", "{p} Interactive", "Studio {p} Jeux", "{p} Play"],
    "immersive": ["{p} XR", "{p} Immersive", "{p} Réalités", "Studio {p} VR"],
}
COMPANY_PROFILES = (
    # (kind, weight, sectors, NAF codes)
    ("production", 0.42, ("cinema", "audiovisual"), ("59.11A", "59.11C")),
    ("animation", 0.2, ("animation", "audiovisual"), ("59.11A", "59.11C")),
    ("post", 0.1, ("cinema", "audiovisual", "animation"), ("59.12Z",)),
    ("games", 0.18, ("video-games",), ("58.21Z", "62.01Z")),
    ("immersive", 0.1, ("immersive", "video-games"), ("62.01Z", "58.21Z")),
)
LABS = [
    ("Laboratoire Image, Interaction et Immersion", "tourcoing"),
    ("Équipe de recherche en informatique graphique du Hainaut", "valenciennes"),
    ("Laboratoire des Usages Numériques", "lille"),
    ("Centre de recherche Arts, Images et Médiations", "lille"),
    ("Équipe Réalité Virtuelle et Haptique", "villeneuve"),
    ("Laboratoire Jeux, Apprentissage et Simulation", "valenciennes"),
]
SCHOOLS = [
    ("École supérieure de l'Image de Tourcoing", "tourcoing"),
    ("Institut du Jeu vidéo de Valenciennes", "valenciennes"),
    ("Académie de l'Animation de Roubaix", "roubaix"),
    ("Campus des Mondes virtuels de Wallers", "wallers"),
]
BODIES = [
    ("Association des Producteurs audiovisuels du Nord", OrganisationKind.PROFESSIONAL_BODY),
    ("Collectif des Auteurs de l'Image", OrganisationKind.PROFESSIONAL_BODY),
    ("Réseau Jeu vidéo Nord", OrganisationKind.PROFESSIONAL_BODY),
    ("Ciné-club des Terrils", OrganisationKind.ASSOCIATION),
    ("Festival des Images courtes du Hainaut", OrganisationKind.ASSOCIATION),
    ("Agence de développement des Industries créatives", OrganisationKind.PUBLIC_BODY),
]
BELGIAN_PARTNERS = (
    # (territory, locale for names, patterns, sectors, count per scale 1)
    (
        "wallonia",
        ("{p} Productions SRL", "Studio {p} SRL", "{p} Animation SA"),
        ("Meuse", "Sambre", "Ourthe", "Semois", "Borinage", "Condroz", "Fagne", "Famenne"),
        ("animation", "cinema"),
        5,
    ),
    (
        "flanders",
        ("{p} Studios BV", "{p} Games NV", "{p} Film BV"),
        ("Leie", "Schelde", "Dijle", "Kempen", "Westhoek", "Polder", "Mandel", "Nete"),
        ("video-games", "animation", "cinema"),
        4,
    ),
    (
        "brussels",
        ("{p} Films", "Atelier {p} SRL"),
        ("Senne", "Sablon", "Marolles", "Flagey"),
        ("cinema", "audiovisual"),
        2,
    ),
)
ORG_DESCRIPTIONS = [
    "{name} travaille dans {sector} à {town} depuis {year}.",
    "Fondée en {year} à {town}, {name} développe des projets dans {sector} avec des "
    "partenaires de l'Eurorégion.",
    "{name} ({town}) accompagne des auteurs et des entreprises dans {sector} depuis {year}.",
]
