"""Open data: the platform's confirmed awards published as an SCDL *subventions* CSV and a
360Giving JSON package, with their dataset page (``/open-data/``) — see ``docs/opendata.md``."""
