"""The demo's offers and needs: the members who post them and what they write (French mostly,
Dutch and English from the Flemish, Brussels and British partners). Fictional people and
projects; skills are typed as members type them (labels of the vocabulary in any of its three
languages, and a few tags it lacks, which become proposals for the curators)."""

from __future__ import annotations

from dataclasses import dataclass

#: The board's members: accounts without a password (they never sign in) and without a
#: directory profile, found again by address on every run.
MEMBER_DOMAIN = "demo-members.example.org"


@dataclass(frozen=True)
class BoardMember:
    key: str
    first_name: str
    last_name: str
    language: str


MEMBERS = (
    BoardMember("claire.vasseur", "Claire", "Vasseur", "fr"),
    BoardMember("julien.dhenin", "Julien", "Dhénin", "fr"),
    BoardMember("nadia.benali", "Nadia", "Benali", "fr"),
    BoardMember("thomas.delattre", "Thomas", "Delattre", "fr"),
    BoardMember("sophie.lemaire", "Sophie", "Lemaire", "fr"),
    BoardMember("karim.haddad", "Karim", "Haddad", "fr"),
    BoardMember("elodie.caron", "Élodie", "Caron", "fr"),
    BoardMember("marc.deldalle", "Marc", "Deldalle", "fr"),
    BoardMember("aurelie.boulanger", "Aurélie", "Boulanger", "fr"),
    BoardMember("hugo.lefebvre", "Hugo", "Lefebvre", "fr"),
    BoardMember("isabelle.martel", "Isabelle", "Martel", "fr"),
    BoardMember("pierre-yves.dubrulle", "Pierre-Yves", "Dubrulle", "fr"),
    BoardMember("lea.fontaine", "Léa", "Fontaine", "fr"),
    BoardMember("antoine.mercier", "Antoine", "Mercier", "fr"),
    BoardMember("fanny.duhamel", "Fanny", "Duhamel", "fr"),
    BoardMember("romain.cordier", "Romain", "Cordier", "fr"),
    BoardMember("pieter.declercq", "Pieter", "Declercq", "nl"),
    BoardMember("lotte.vermeulen", "Lotte", "Vermeulen", "nl"),
    BoardMember("jeroen.maes", "Jeroen", "Maes", "nl"),
    BoardMember("amandine.lejeune", "Amandine", "Lejeune", "fr"),
    BoardMember("olivier.collard", "Olivier", "Collard", "fr"),
    BoardMember("sarah.janssens", "Sarah", "Janssens", "en"),
    BoardMember("emily.carter", "Emily", "Carter", "en"),
    BoardMember("james.whitfield", "James", "Whitfield", "en"),
    BoardMember("bruno.carlier", "Bruno", "Carlier", "fr"),
)

#: What becomes of a post: published by the staff, still in the moderation queue, refused with
#: a reason, or published and past its listing date.
PUBLISHED, PENDING, REFUSED, EXPIRED = "published", "pending", "refused", "expired"
REFUSAL_REASON = (
    "Annonce commerciale sans besoin ni offre de la filière : le tableau n'accueille pas la "
    "publicité pour des services d'audience payants."
)


@dataclass(frozen=True)
class BoardPost:
    author: str  # a ``BoardMember.key``, or "applicant" for the demo applicant account
    kind: str  # "need" or "offer"
    title: str
    description: str
    skills: tuple[str, ...]
    territory: str  # a territory code
    language: str = "fr"
    duration: str = ""
    starts_in: int | None = None  # days from today
    lasts: int | None = None  # days from the start
    fate: str = PUBLISHED
    posted_days_ago: int = 10


POSTS = (
    BoardPost(
        "julien.dhenin",
        "need",
        "Recherche sound designer pour un serious game, Valenciennes, 3 mois",
        "Notre studio développe un serious game sur la prévention des risques industriels pour "
        "un groupement d'entreprises du Valenciennois. Nous cherchons un·e sound designer pour "
        "les ambiances, les bruitages et l'intégration dans Wwise sous Unity. Mission de trois "
        "mois, sur place deux jours par semaine.",
        ("Sound design", "Serious games", "Wwise", "Son pour le jeu vidéo"),
        "valenciennes",
        duration="3 mois",
        starts_in=30,
        lasts=90,
        posted_days_ago=3,
    ),
    BoardPost(
        "nadia.benali",
        "offer",
        "Notre labo propose des journées de capture de mouvement",
        "Le laboratoire ouvre son plateau de capture de mouvement (24 caméras optiques, capture "
        "faciale) aux studios et indépendants de l'Eurorégion : journées d'essai, "
        "accompagnement par un ingénieur, nettoyage des données dans MotionBuilder. Conditions "
        "de partenariat de recherche.",
        ("Capture de mouvement", "MotionBuilder", "Humains numériques", "Transfert de technologie"),
        "mel",
        duration="à la journée",
        posted_days_ago=12,
    ),
    BoardPost(
        "pieter.declercq",
        "need",
        "Vlaamse coproducent zoekt Franse animatiestudio",
        "Wij ontwikkelen een animatiereeks voor kinderen (26 × 7 min) en zoeken een "
        "animatiestudio in Hauts-de-France voor de coproductie: layout, 2D-animatie in Toon "
        "Boom Harmony en compositing. Start na de financiering, voorzien in het najaar.",
        ("Coproductie", "2D-animatie", "Toon Boom Harmony", "Layout"),
        "flanders",
        language="nl",
        duration="18 maanden",
        starts_in=150,
        lasts=540,
        posted_days_ago=6,
    ),
    BoardPost(
        "thomas.delattre",
        "offer",
        "Sound designer disponible pour jeux et expériences immersives",
        "Sound designer indépendant à Lille depuis dix ans : ambiances, bruitages, son "
        "spatialisé et intégration FMOD. Disponible au printemps pour un jeu ou une expérience "
        "en réalité virtuelle.",
        ("Sound design", "Son spatialisé", "FMOD", "Bruitage"),
        "mel",
        starts_in=20,
        posted_days_ago=15,
    ),
    BoardPost(
        "sophie.lemaire",
        "need",
        "Cherche monteur·se pour un documentaire de création (52')",
        "Documentaire sur les dernières filatures de Roubaix, tourné l'hiver dernier : 60 heures "
        "de rushes à monter sur Avid, huit semaines de montage puis l'étalonnage.",
        ("Montage documentaire", "Avid Media Composer", "Étalonnage"),
        "mel",
        duration="8 semaines",
        starts_in=45,
        lasts=56,
        posted_days_ago=8,
    ),
    BoardPost(
        "karim.haddad",
        "offer",
        "Développeur XR indépendant : prototypes Unity pour casques autonomes",
        "Je conçois et développe des prototypes en réalité virtuelle et augmentée (Unity, C#), "
        "de la maquette d'interaction au test utilisateur, pour des studios, musées et "
        "industriels.",
        ("Réalité virtuelle", "Unity", "Conception d'interactions XR", "C#"),
        "valenciennes",
        posted_days_ago=20,
    ),
    BoardPost(
        "elodie.caron",
        "need",
        "Recherche animateur·rice 3D de personnages pour une série jeunesse",
        "Série de 52 épisodes de 11 minutes en production à Roubaix. Nous renforçons l'équipe "
        "d'animation : animation de personnages sous Maya, rigs fournis, six mois renouvelables.",
        ("Animation de personnages", "Animation 3D", "Maya", "Rigging"),
        "mel",
        duration="6 mois",
        starts_in=25,
        lasts=180,
        posted_days_ago=5,
    ),
    BoardPost(
        "marc.deldalle",
        "offer",
        "Auditorium de mixage 5.1 disponible en semaine",
        "Auditorium de mixage 5.1 et cabine de bruitage à Lille, avec ingénieur : mixage, "
        "montage son et livraison des masters (DCP, diffusion). Tarifs adaptés aux courts "
        "métrages.",
        ("Mixage", "Pro Tools", "Montage son", "Masters et livrables (DCP)"),
        "mel",
        posted_days_ago=30,
    ),
    BoardPost(
        "aurelie.boulanger",
        "need",
        "École cherche intervenant·es en game design pour des masterclasses",
        "L'Institut du Jeu vidéo de Valenciennes cherche des professionnel·les pour des "
        "masterclasses de game design et de level design auprès des étudiants de deuxième "
        "année, une journée par mois.",
        ("Game design", "Ateliers et masterclasses", "Level design", "Enseignement"),
        "valenciennes",
        duration="une journée par mois",
        starts_in=40,
        lasts=150,
        posted_days_ago=9,
    ),
    BoardPost(
        "hugo.lefebvre",
        "offer",
        "Modeleur 3D junior disponible : environnements, Blender, Substance",
        "Fraîchement diplômé de l'Académie de l'Animation de Roubaix, je modélise et texture des "
        "environnements 3D (Blender, Substance 3D). Disponible tout de suite, en studio ou à "
        "distance.",
        ("Modélisation 3D", "Blender", "Substance 3D", "Environnements 3D"),
        "mel",
        posted_days_ago=4,
    ),
    BoardPost(
        "isabelle.martel",
        "need",
        "Festival cherche traducteur·rices pour sous-titrer des courts métrages",
        "Le Festival des Images courtes du Hainaut sous-titre sa sélection en français, anglais "
        "et néerlandais : nous cherchons des traducteur·rices pour 30 films.",
        ("Sous-titrage", "Traduction", "Court métrage"),
        "valenciennes",
        duration="2 semaines",
        fate=EXPIRED,
        posted_days_ago=80,
    ),
    BoardPost(
        "pierre-yves.dubrulle",
        "offer",
        "Salle immersive à Wallers : créneaux de test pour vos expériences VR",
        "Notre salle de 200 m² équipée pour la réalité virtuelle en déambulation accueille les "
        "studios qui veulent tester leurs expériences avec du public, playtests compris.",
        ("Expériences immersives en salle", "Réalité virtuelle", "Playtests"),
        "porte-du-hainaut",
        posted_days_ago=18,
    ),
    BoardPost(
        "lea.fontaine",
        "need",
        "Scénariste cherche producteur·rice pour une série web fantastique",
        "Série web de 10 × 8 minutes, bible et deux épisodes écrits, lauréate d'une aide à "
        "l'écriture. Je cherche une société de production pour le développement et le "
        "financement.",
        ("Série web", "Écriture de séries", "Développement de projets", "Production déléguée"),
        "mel",
        posted_days_ago=11,
    ),
    BoardPost(
        "antoine.mercier",
        "offer",
        "Compositeur : musiques originales pour films d'animation et jeux",
        "Compositeur et orchestrateur, je signe des musiques originales pour l'animation et le "
        "jeu vidéo, y compris la musique adaptative (Wwise).",
        ("Composition musicale", "Orchestration et arrangement", "Son pour le jeu vidéo"),
        "mel",
        posted_days_ago=25,
    ),
    BoardPost(
        "fanny.duhamel",
        "need",
        "Recherche community manager pour le lancement d'un jeu indépendant",
        "Petit studio lillois, sortie de notre premier jeu sur PC et Switch dans quatre mois : "
        "nous cherchons quelqu'un pour animer la communauté (Discord, réseaux, salons).",
        ("Community management", "Marketing numérique", "Édition de jeux vidéo"),
        "mel",
        duration="4 mois",
        starts_in=15,
        lasts=120,
        posted_days_ago=7,
    ),
    BoardPost(
        "romain.cordier",
        "offer",
        "Superviseur VFX : accompagnement de tournages et devis d'effets visuels",
        "Superviseur VFX, j'accompagne les tournages (fonds verts, références, matchmoving) et "
        "chiffre les effets visuels de vos projets dès le scénario.",
        ("Supervision VFX sur le plateau", "Compositing", "Nuke", "Production virtuelle"),
        "mel",
        posted_days_ago=22,
    ),
    BoardPost(
        "lotte.vermeulen",
        "need",
        "Gamestudio uit Kortrijk zoekt Unreal-ontwikkelaar",
        "Voor een coöperatief avonturenspel zoeken we een gameplayprogrammeur met ervaring in "
        "Unreal Engine en C++. Hybride werken, twee dagen per week in Kortrijk; Franstalige "
        "collega's zijn welkom.",
        ("Unreal Engine", "Gameplayprogrammering", "C++"),
        "flanders",
        language="nl",
        duration="12 maanden",
        starts_in=30,
        lasts=365,
        posted_days_ago=2,
    ),
    BoardPost(
        "jeroen.maes",
        "offer",
        "Volumetrische opnamestudio in Gent: testdagen voor Franse partners",
        "Onze studio voor volumetrische opnames (48 camera's) biedt testdagen aan studio's en "
        "labo's uit Noord-Frankrijk, met begeleiding en export naar Unity en Unreal.",
        ("Volumetrische opname", "Mixed reality", "Fotogrammetrie"),
        "flanders",
        language="nl",
        posted_days_ago=14,
    ),
    BoardPost(
        "amandine.lejeune",
        "need",
        "Productrice liégeoise cherche coproducteur français pour un long métrage d'animation",
        "Long métrage d'animation en développement (Wallimage, Fédération Wallonie-Bruxelles), "
        "nous cherchons un coproducteur dans les Hauts-de-France pour une part de la fabrication "
        "et du financement.",
        (
            "Coproduction",
            "Plans de financement",
            "Fonds européens",
            "Crédits d'impôt et tax shelter",
        ),
        "wallonia",
        posted_days_ago=16,
    ),
    BoardPost(
        "olivier.collard",
        "offer",
        "Studio montois : rigging et animation faciale à façon",
        "Notre studio de Mons prend en charge le rigging de vos personnages, rigs faciaux "
        "compris, pour la série comme pour le jeu.",
        ("Rigging", "Rigging facial", "Animation 3D"),
        "wallonia",
        posted_days_ago=19,
    ),
    BoardPost(
        "sarah.janssens",
        "need",
        "Brussels sales agent looking for French animated shorts",
        "We represent short films at international markets and festivals. We are looking for "
        "animated shorts from the Hauts-de-France, finished or in post-production, for our "
        "2010 catalogue.",
        ("International sales", "Festival strategy", "Short film"),
        "brussels",
        language="en",
        posted_days_ago=13,
    ),
    BoardPost(
        "emily.carter",
        "offer",
        "VR producer offers co-development of location-based experiences",
        "Producer of location-based virtual reality experiences for museums and theme parks, "
        "based in Lille: I co-develop and co-produce with studios of the Euroregion.",
        ("Location-based VR", "Producing", "Virtual reality", "Co-production", "Theme park design"),
        "mel",
        language="en",
        posted_days_ago=24,
    ),
    BoardPost(
        "james.whitfield",
        "need",
        "Looking for French and Dutch voices for an audio drama",
        "Six-episode audio drama set on the Franco-Belgian border: we are casting voice actors "
        "who perform in French and in Dutch, recording in Lille in the spring.",
        ("Podcasts and audio drama", "Voice acting", "Dubbing"),
        "mel",
        language="en",
        duration="5 recording days",
        starts_in=60,
        lasts=5,
        posted_days_ago=6,
    ),
    BoardPost(
        "claire.vasseur",
        "need",
        "Cherche directeur·rice de la photographie pour un court métrage à Tourcoing",
        "Court métrage de fiction de 20 minutes, dix jours de tournage à Tourcoing, intérieurs "
        "de maisons de maître et une nuit en extérieur.",
        ("Direction de la photographie", "Éclairage de plateau", "Court métrage"),
        "mel",
        duration="10 jours",
        starts_in=50,
        lasts=10,
        posted_days_ago=4,
    ),
    BoardPost(
        "claire.vasseur",
        "offer",
        "Production : aide au montage de dossiers d'aides régionales et du CNC",
        "Notre société accompagne les auteurs et jeunes sociétés dans leurs dossiers d'aide à "
        "l'écriture, au développement et à la production.",
        ("Montage de dossiers de subvention", "Financements publics", "Plans de financement"),
        "mel",
        posted_days_ago=35,
    ),
    BoardPost(
        "nadia.benali",
        "need",
        "Le labo cherche des studios pour tester un gant haptique",
        "Nous avons développé un gant à retour haptique et cherchons deux ou trois studios de "
        "réalité virtuelle pour l'intégrer à un prototype et mener des études d'usages.",
        ("Haptique", "Réalité virtuelle", "Prototypage", "Études d'usages"),
        "mel",
        duration="6 mois",
        starts_in=30,
        lasts=180,
        posted_days_ago=10,
    ),
    BoardPost(
        "julien.dhenin",
        "need",
        "Cherche level designer pour un jeu mobile éducatif",
        "Jeu mobile de calcul mental pour les 8-11 ans, sous Unity : nous cherchons un·e level "
        "designer pour concevoir 60 niveaux et leur progression.",
        ("Level design", "Jeux mobiles", "Unity", "Serious games"),
        "valenciennes",
        duration="4 mois",
        starts_in=20,
        lasts=120,
        posted_days_ago=12,
    ),
    BoardPost(
        "karim.haddad",
        "offer",
        "Atelier découverte WebXR pour les équipes de production",
        "Une journée pour comprendre la réalité augmentée dans le navigateur et réaliser un "
        "premier prototype WebXR, pour des équipes de 6 à 10 personnes.",
        ("WebXR", "Réalité augmentée", "Ateliers et masterclasses"),
        "valenciennes",
        posted_days_ago=17,
    ),
    BoardPost(
        "sophie.lemaire",
        "need",
        "Recherche preneur·se de son pour un tournage en Flandre",
        "Cinq jours de tournage documentaire à Ypres et Poperinge en avril : prise de son "
        "tournage et perche, néerlandais apprécié.",
        ("Prise de son tournage", "Perche"),
        "flanders",
        duration="5 jours",
        starts_in=70,
        lasts=5,
        posted_days_ago=3,
    ),
    BoardPost(
        "elodie.caron",
        "offer",
        "Studio d'animation : stages de storyboard et d'animatique",
        "Nous accueillons deux stagiaires par an en storyboard et animatique sur nos séries, "
        "encadrés par la réalisatrice.",
        ("Storyboard", "Animatique", "Formation professionnelle"),
        "mel",
        posted_days_ago=28,
    ),
    BoardPost(
        "aurelie.boulanger",
        "need",
        "Recherche entreprises pour accueillir des alternants en animation 3D",
        "Notre école cherche des studios d'animation et de jeux vidéo pour accueillir des "
        "alternants en animation 3D, un an, trois semaines en entreprise sur quatre.",
        ("Animation 3D", "Formation professionnelle", "Mentorat"),
        "mel",
        duration="12 mois",
        starts_in=90,
        lasts=365,
        posted_days_ago=21,
    ),
    BoardPost(
        "isabelle.martel",
        "offer",
        "Festival : une vitrine pour les œuvres interactives",
        "Le festival ouvre une section aux œuvres interactives et immersives des auteurs de "
        "l'Eurorégion : projection, installation et rencontre avec le public.",
        ("Stratégie de festivals", "Écriture interactive", "Développement des publics"),
        "valenciennes",
        posted_days_ago=26,
    ),
    BoardPost(
        "pierre-yves.dubrulle",
        "need",
        "Recherche développeur·se pour une installation de mapping vidéo",
        "Installation immersive sur le site minier de Wallers-Arenberg : mapping vidéo sur le "
        "chevalement piloté par TouchDesigner et Unity. Trois mois.",
        ("Mapping vidéo", "Unity", "Installations immersives", "TouchDesigner"),
        "porte-du-hainaut",
        duration="3 mois",
        starts_in=35,
        lasts=90,
        posted_days_ago=9,
    ),
    BoardPost(
        "pieter.declercq",
        "offer",
        "Coproductieadvies: tax shelter en Vlaamse fondsen",
        "Wij begeleiden Franse producenten bij een Belgische coproductie: tax shelter, VAF en "
        "Screen Flanders, en de samenwerking met Vlaamse studio's.",
        ("Tax shelter", "Coproductie", "Overheidsfinanciering"),
        "flanders",
        language="nl",
        posted_days_ago=23,
    ),
    BoardPost(
        "hugo.lefebvre",
        "need",
        "Jeune diplômé cherche un mentor en direction artistique",
        "Je cherche un·e directeur·rice artistique expérimenté·e pour m'accompagner une heure "
        "par mois sur mon portfolio de concept art.",
        ("Direction artistique", "Mentorat", "Concept art"),
        "mel",
        fate=PENDING,
        posted_days_ago=1,
    ),
    BoardPost(
        "antoine.mercier",
        "offer",
        "Home studio : enregistrement de voix et bruitages",
        "Cabine d'enregistrement et home studio à Lille pour vos voix off, doublages et "
        "bruitages, à l'heure ou à la journée.",
        ("Enregistrement en studio", "Bruitage", "Voix off et jeu vocal"),
        "mel",
        posted_days_ago=29,
    ),
    BoardPost(
        "romain.cordier",
        "need",
        "Recherche compositeur·rice d'images Nuke pour 6 semaines (long métrage)",
        "Long métrage en post-production : 140 plans de compositing, incrustations et "
        "rotoscopie sous Nuke. Six semaines à Lille.",
        ("Compositing", "Nuke", "Rotoscopie", "Incrustation sur fond vert"),
        "mel",
        duration="6 semaines",
        starts_in=21,
        lasts=42,
        posted_days_ago=5,
    ),
    BoardPost(
        "fanny.duhamel",
        "offer",
        "Relations presse et lancement pour jeux indépendants",
        "Attachée de presse spécialisée jeu vidéo : plan de lancement, relations presse et "
        "salons pour les studios indépendants.",
        ("Relations presse", "Communication", "Édition de jeux vidéo"),
        "mel",
        posted_days_ago=31,
    ),
    BoardPost(
        "lea.fontaine",
        "need",
        "Cherche narrative designer pour coécrire une fiction interactive",
        "Fiction interactive transmédia (web et application) autour des géants du Nord : je "
        "cherche un·e narrative designer pour coécrire l'arborescence.",
        ("Narrative design", "Écriture interactive", "Transmédia"),
        "mel",
        posted_days_ago=2,
    ),
    BoardPost(
        "olivier.collard",
        "offer",
        "Formation Blender pour studios d'animation (Mons ou sur site)",
        "Formation de cinq jours à Blender pour les équipes d'animation qui quittent d'autres "
        "logiciels : modélisation, rigging, animation et rendu.",
        ("Blender", "Formation professionnelle", "Animation 3D"),
        "wallonia",
        fate=PENDING,
        posted_days_ago=1,
    ),
    BoardPost(
        "jeroen.maes",
        "need",
        "Looking for a French lab to co-write an Interreg project on virtual heritage",
        "We are preparing an Interreg France-Wallonie-Vlaanderen project on the virtual "
        "reconstruction of industrial heritage and look for a research lab of the Hauts-de-"
        "France as partner.",
        (
            "Digital heritage",
            "European funds",
            "Research and development (R&D)",
            "Gaussian splatting",
        ),
        "flanders",
        language="en",
        posted_days_ago=8,
    ),
    BoardPost(
        "applicant",
        "need",
        "Recherche narrative designer pour une expérience interactive",
        "Nous préparons un dossier pour l'appel « Expériences interactives » : il nous manque un·e "
        "narrative designer pour écrire les embranchements du récit avec l'équipe.",
        ("Narrative design", "Écriture interactive", "Game design"),
        "mel",
        duration="2 mois",
        starts_in=30,
        lasts=60,
        posted_days_ago=6,
    ),
    BoardPost(
        "thomas.delattre",
        "offer",
        "Prise de son ambisonique pour vidéo 360°",
        "Prise de son ambisonique au tournage et mixage binaural pour vos vidéos 360° et "
        "expériences VR.",
        ("Son spatialisé", "Vidéo 360°", "Prise de son tournage", "Ambisonie"),
        "mel",
        fate=PENDING,
        posted_days_ago=0,
    ),
    BoardPost(
        "marc.deldalle",
        "need",
        "Recherche assistant·e monteur·se son pour deux mois",
        "Pour deux longs métrages en fin de post-production : synchronisation, montage des "
        "directs et préparation des sessions de mixage sous Pro Tools.",
        ("Montage son", "Pro Tools"),
        "mel",
        duration="2 mois",
        starts_in=14,
        lasts=60,
        fate=PENDING,
        posted_days_ago=0,
    ),
    BoardPost(
        "bruno.carlier",
        "offer",
        "Boostez la visibilité de votre studio : 5 000 abonnés garantis",
        "Abonnés, vues et avis garantis sur tous les réseaux pour votre studio, paiement en "
        "ligne, résultats en 48 heures.",
        ("Marketing numérique",),
        "france",
        fate=REFUSED,
        posted_days_ago=2,
    ),
    BoardPost(
        "bruno.carlier",
        "offer",
        "Prises de vue par drone, toutes autorisations, tarifs imbattables",
        "Pilote de drone pour vos tournages, toutes autorisations de vol obtenues en 24 heures, "
        "partout en France et en Belgique.",
        ("Prise de vue par drone",),
        "france",
        posted_days_ago=7,
    ),
)

#: The open report: a member finds the drone offer misleading.
REPORT_DETAILS = (
    "Aucune autorisation de vol ne s'obtient en 24 heures, en France comme en Belgique ; "
    "l'annonce renvoie vers un site de paiement."
)
CLOSED_REPORT = (
    "Message d'un membre qui proposait des abonnés payants à tous les studios du tableau.",
    "Rappel des règles du tableau envoyé ; son annonce publicitaire a été refusée.",
)
