"""What the showcase services did, for the work that follows once their transaction commits
(published through ``calls.events``; ``tasks.py`` registers the handler)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ImageUploaded:
    """An image was stored as ``pending``: the antivirus checks it."""

    image_id: int
