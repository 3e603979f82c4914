"""Applications: ``/api/v1/applications``.

Two sections, one per audience, sharing this router:

- **staff** (instruction): list of all applications with the staff list's filters, detail, and
  ``POST /applications/{id}/transitions``. Staff see everything except nothing is hidden from them.
- **applicant** (own applications): added by the applying work; an applicant only ever sees the
  applications they lead or are on the team of, and never staff notes or labels.

Errors are JSON ``{"code": ..., "message": ..., "params": {...}}`` with a translated message.
"""

from ninja import Router

router = Router(tags=["applications"])

# --- staff (instruction) ----------------------------------------------------------------------

# --- applicant (own applications) -------------------------------------------------------------
