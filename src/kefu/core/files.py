"""Stored files (evidence, materials): checked by name, size, type and leading bytes, kept under
var/<area>/<tenant>/<object>/<random name>, outside the web root, served only by the module
that owns them after its own permission check. Complaint materials and duty evidence both use it.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

from kefu.core.errors import FieldError
from kefu.settings import get_settings

MAX_BYTES = 20 * 1024 * 1024
# type -> the bytes such a file starts with (checked, so a renamed executable is refused)
TYPES: dict[str, tuple[bytes, ...]] = {
    "application/pdf": (b"%PDF-",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/webp": (b"RIFF",),
    "text/plain": (),
    "application/msword": (b"\xd0\xcf\x11\xe0",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (b"PK\x03\x04",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (b"PK\x03\x04",),
    "audio/mpeg": (b"ID3", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"),  # a recorded call
}


@dataclass(frozen=True)
class Upload:
    filename: str
    content_type: str
    data: bytes


def check(upload: Upload, field: str = "file") -> str:
    """The file's clean name; FieldError(`field`) for a bad name, type, size or content."""
    name = Path((upload.filename or "").replace("\\", "/")).name.strip()
    if not name or len(name) > 255:
        raise FieldError(field, "Give the file a name of at most 255 characters.")
    if upload.content_type not in TYPES:
        raise FieldError(field, "This type of file is not accepted.")
    if not upload.data or len(upload.data) > MAX_BYTES:
        raise FieldError(field, "Files must be between 1 byte and %(mb)s MB.", mb=MAX_BYTES >> 20)
    magic = TYPES[upload.content_type]
    if magic and not any(upload.data.startswith(m) for m in magic):
        raise FieldError(field, "The file's content does not match its type.")
    return name


def root(area: str) -> Path:
    return get_settings().var_dir / area


def write(area: str, tenant_id: int, object_id: int, data: bytes) -> Path:
    """Write the bytes under a fresh random name; the path relative to the area's root."""
    relative = Path(str(tenant_id), str(object_id), secrets.token_hex(16))
    path = root(area) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return relative


def store(area: str, tenant_id: int, object_id: int, upload: Upload, field: str = "file") -> tuple[str, str]:
    """Check and write the file: its reference "<relative path>|<type>|<name>" for the owning
    row, and its clean name. FieldError(`field`) as `check`."""
    name = check(upload, field)
    relative = write(area, tenant_id, object_id, upload.data)
    return f"{relative}|{upload.content_type}|{name}", name


def open_stored(area: str, ref: str) -> tuple[bytes, str, str] | None:
    """The bytes, name and type of a reference `store` gave; None if it names no stored file."""
    parts = ref.split("|", 2)
    if len(parts) != 3:
        return None
    path = root(area) / Path(parts[0])
    if not path.is_file():
        return None
    return path.read_bytes(), parts[2], parts[1]
