"""What the demo applications say: titles and summaries by genre, budget shares by chapter,
financing partners, and the staff's messages, notes and labels (in French, as the 2009 call)."""

TITLES = {
    "serious-game": [
        "Mineurs de fond",
        "Le Chantier des possibles",
        "Urgences 59",
        "Code Canal",
        "La Ferme connectée",
        "Terrils en jeu",
        "Gare aux ondes",
        "Les Gardiens du beffroi",
    ],
    "web-documentary": [
        "Roubaix, mémoires de laine",
        "La Deûle au fil de l'eau",
        "Frontières ouvertes",
        "Les Voix du bassin minier",
        "Carnaval de Dunkerque, vu d'en dedans",
        "Wallers, la mine et les images",
    ],
    "animation-series": [
        "Les P'tits Géants",
        "Lapin Lumière",
        "Capitaine Estaminet",
        "Les Chicons de l'espace",
        "Mimi et la Braderie",
        "Robotine",
    ],
    "local-documentary": [
        "Les Derniers Estaminets",
        "Vivre à Denain",
        "La Tour de Tourcoing",
        "Marché de Wazemmes",
        "Jardins ouvriers",
        "La Scarpe en hiver",
    ],
    "web-fiction-series": [
        "Colocs à Lille",
        "Ch'ti Startup",
        "Nuit blanche à Valenciennes",
        "Le Bureau des frontières",
        "Gare Lille-Flandres, quai 4",
        "Métro ligne 2",
    ],
}
SUMMARIES = {
    "serious-game": "Un serious game pour {audience}, jouable sur le web et en classe, "
    "co-conçu avec {lab}.",
    "web-documentary": "Un webdocumentaire interactif qui donne la parole aux habitants, "
    "avec cartes, archives et parcours libres pour {audience}.",
    "animation-series": "Une série d'animation de 26 × 7 min pour {audience}, "
    "produite entre Tourcoing et {partner_place}.",
    "local-documentary": "Un documentaire de proximité tourné sur le territoire, pour "
    "{audience}, diffusé en salle et sur le web.",
    "web-fiction-series": "Une série de fiction courte pour Internet (10 × 6 min) pour "
    "{audience}, tournée dans la métropole lilloise.",
}
AUDIENCES = (
    "les collégiens",
    "les 8-12 ans",
    "le grand public",
    "les jeunes adultes",
    "les seniors",
)
STAGE_BUDGETS = {  # euros: (low, high) of the total budget
    "writing": (25_000, 80_000),
    "development": (60_000, 220_000),
    "production": (160_000, 650_000),
}
AV_WEIGHTS = {
    "rights": 8,
    "crew": 30,
    "cast": 6,
    "social_charges": 14,
    "sets_costumes": 3,
    "transport_expenses": 4,
    "technical_means": 14,
    "media_post_production": 12,
    "insurance_misc": 3,
}
GAME_WEIGHTS = {
    "preproduction_prototype": 12,
    "staff_design": 16,
    "staff_programming": 30,
    "staff_art": 22,
    "staff_audio": 6,
    "staff_qa": 6,
    "marketing": 5,
    "porting_localisation": 3,
}
CHAPTER_LABELS = {
    "rights": "Droits artistiques (auteurs, musique)",
    "crew": "Personnel (réalisation, production, technique)",
    "cast": "Interprétation et voix",
    "social_charges": "Charges sociales",
    "sets_costumes": "Décors et costumes",
    "transport_expenses": "Transports, défraiements, régie",
    "technical_means": "Moyens techniques (caméra, motion capture, serveurs)",
    "media_post_production": "Post-production, montage, étalonnage, mixage",
    "insurance_misc": "Assurances et divers",
    "overheads": "Frais généraux",
    "contingency": "Imprévus",
    "preproduction_prototype": "Pré-production et prototype",
    "staff_design": "Game design et écriture",
    "staff_programming": "Programmation",
    "staff_art": "Graphisme et animation",
    "staff_audio": "Son et musique",
    "staff_qa": "Tests et assurance qualité",
    "marketing": "Communication et lancement",
    "porting_localisation": "Portage et localisation (FR/NL/EN)",
}
BROADCASTERS = ("France 3 Nord-Pas de Calais", "RTBF", "Arte", "Wéo", "VRT", "TV5Monde")
STAFF_MESSAGES = (
    "Bonjour, pourriez-vous préciser la part des dépenses réalisées en région ?",
    "Merci pour votre dossier. Le comité se réunira le 12 juin ; nous revenons vers vous ensuite.",
    "Le devis joint n'est pas signé : merci d'en déposer une version signée.",
)
TEAM_ANSWERS = (
    "Bonjour, vous trouverez la précision demandée dans le plan de financement mis à jour.",
    "Merci, nous restons disponibles pour une audition.",
)
NOTES = (
    "Projet solide, équipe expérimentée ; vérifier la lettre d'engagement du diffuseur.",
    "Budget de post-production élevé au regard du format.",
    "Partenariat transfrontalier réel (coproducteur wallon actif).",
    "À rapprocher du dossier déposé en 2008 par la même société.",
)
LABELS = ("coup de cœur", "à revoir", "transfrontalier", "recherche", "premier projet")
FIRST_NAMES = ("Camille", "Julien", "Sarah", "Thomas", "Léa", "Nicolas", "Inès", "Hugo", "Emma")
LAST_NAMES = ("Lefebvre", "Dubois", "Vandamme", "Peeters", "Martin", "Janssens", "Leroy", "Dupont")
