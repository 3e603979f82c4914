"""Authorization matrix entries of the open data: the dataset page, the two files and
``GET /api/v1/open-data`` are public, the same for every role (the awards are published)."""

from .rules import OK, Route, expect

PUBLIC = expect(everyone=OK)

OPENDATA_PAGES = {
    "opendata:dataset": Route(PUBLIC),
    "opendata:scdl": Route(PUBLIC, note="the SCDL subventions CSV of all funds"),
    "opendata:360giving": Route(PUBLIC, note="the 360Giving package of all funds"),
}

OPENDATA_API = {
    "GET /api/v1/open-data": Route(PUBLIC),
}
