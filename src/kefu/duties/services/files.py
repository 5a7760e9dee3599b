"""Evidence files of duty tasks, stored through kefu.core.files under var/duties."""

from __future__ import annotations

from pathlib import Path

from kefu.core import files
from kefu.core.files import Upload

AREA = "duties"
__all__ = ["Upload", "open_file", "store"]


async def store(tenant_id: int, kind: str, object_id: int, upload: Upload) -> str:
    """Check and write the file; its reference "<relative path>|<type>|<name>" for the row."""
    name = files.check(upload)
    relative = files.write(AREA, tenant_id, object_id, upload.data)
    return f"{relative}|{upload.content_type}|{name}"


def open_file(ref: str) -> tuple[bytes, str, str] | None:
    """The bytes, name and type of a stored reference; None if it is not a stored file."""
    parts = ref.split("|", 2)
    if len(parts) != 3:
        return None
    path = files.root(AREA) / Path(parts[0])
    if not path.is_file():
        return None
    return path.read_bytes(), parts[2], parts[1]
