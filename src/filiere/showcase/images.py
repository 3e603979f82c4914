"""An image a team uploads for its showcase page: checked like calls' documents (name, size,
content sniffed), then decoded and re-encoded by Pillow — what is stored is only the pixels, no
metadata (EXIF and its GPS position, comments, trailing bytes of a polyglot), at most
``STORED_SIDE`` pixels on a side. The stored file is then scanned (``services.scan_image``)."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import File
from PIL import Image as Pillow
from PIL import ImageOps

from filiere import errors
from filiere.calls.services.documents import CheckedUpload, check_upload

#: What an image may be (by its content).
IMAGE_KINDS = ("png", "jpeg")
#: Refused above this many pixels on a side (decoding it would cost too much memory).
ACCEPTED_SIDE = 8000
#: Stored at most this many pixels on a side.
STORED_SIDE = 2000


def image_max_bytes() -> int:
    return int(getattr(settings, "FILIERE_SHOWCASE_IMAGE_MAX_BYTES", 5 * 1024 * 1024))


@dataclass(frozen=True)
class Reencoded:
    checked: CheckedUpload
    content: bytes
    content_type: str
    width: int
    height: int


def reencode(uploaded_file: File) -> Reencoded:
    """The upload's checks, then its pixels in a fresh file; raises ``Invalid``."""
    checked = check_upload(
        uploaded_file, document_type=None, kinds=IMAGE_KINDS, limit=image_max_bytes()
    )
    uploaded_file.seek(0)
    try:
        with Pillow.open(uploaded_file) as source:
            if source.format not in ("PNG", "JPEG"):
                raise errors.Invalid("showcase.image.unreadable", field="image")
            if max(source.size) > ACCEPTED_SIDE:
                raise errors.Invalid(
                    "showcase.image.too_many_pixels", {"limit": ACCEPTED_SIDE}, field="image"
                )
            source.load()
            fmt = source.format
            picture = ImageOps.exif_transpose(source)
    except errors.Invalid:
        raise
    except Exception as error:  # hostile input: Pillow raises many kinds for a broken file
        raise errors.Invalid("showcase.image.unreadable", field="image") from error
    picture.thumbnail((STORED_SIDE, STORED_SIDE))
    out = io.BytesIO()
    if fmt == "JPEG":
        picture.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
        content_type = "image/jpeg"
    else:
        if picture.mode not in ("RGB", "RGBA", "L", "LA"):
            picture = picture.convert("RGBA")
        picture.save(out, "PNG", optimize=True)
        content_type = "image/png"
    return Reencoded(
        checked=checked,
        content=out.getvalue(),
        content_type=content_type,
        width=picture.width,
        height=picture.height,
    )
