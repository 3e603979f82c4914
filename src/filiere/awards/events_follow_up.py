"""What the follow-up's services did, for the work after their commit (``tasks_follow_up``
registers the handlers): a stored file the antivirus must check."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ProofUploaded:
    """A payment request's proof was stored as ``pending``."""

    proof_id: int


@dataclass(frozen=True)
class ReportUploaded:
    """A report's file was stored as ``pending``."""

    report_id: int
