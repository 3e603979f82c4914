"""Where the demo's organisations and people are: the cluster's territories and its anchors."""

#: The cluster's own territories (the 2009 call's lead applicants are seated there).
CLUSTER_TERRITORIES = ("mel", "valenciennes", "porte-du-hainaut")
# Share of French organisations and people per EPCI (the rest: rest of France).
TERRITORY_WEIGHTS = {"mel": 0.72, "valenciennes": 0.14, "porte-du-hainaut": 0.08, "france": 0.06}
# Within an EPCI, these communes draw most of the activity; others weigh by population.
ANCHORS = {
    "59599": 30,  # Tourcoing — Plaine Images
    "59512": 16,  # Roubaix
    "59350": 26,  # Lille
    "59009": 6,  # Villeneuve-d'Ascq — university campus
    "59606": 30,  # Valenciennes — Serre numérique
    "59632": 20,  # Wallers — Arenberg Creative Mine
    "59172": 5,  # Denain
}
# Short names for the anchor communes that labs, schools and bodies are seated in.
ANCHOR_BY_NAME = {
    "tourcoing": "59599",
    "roubaix": "59512",
    "lille": "59350",
    "villeneuve": "59009",
    "valenciennes": "59606",
    "wallers": "59632",
}
