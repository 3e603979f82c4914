"""What the agreement services did, for the work that follows once their transaction commits
(published through ``calls.events``; ``tasks.py`` registers the handlers)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SignedCopyUploaded:
    """A signed copy was stored as ``pending``: the antivirus checks it."""

    agreement_id: int


@dataclass(frozen=True)
class AgreementSent:
    """An agreement was sent: its team is e-mailed, the PDF attached."""

    agreement_id: int
