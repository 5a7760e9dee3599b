"""Evidence files of duty tasks, stored through kefu.core.files under var/duties."""

from __future__ import annotations

from kefu.core import files
from kefu.core.files import Upload

AREA = "duties"
__all__ = ["Upload", "open_file", "store"]


async def store(tenant_id: int, kind: str, object_id: int, upload: Upload) -> str:
    """Check and write the file; its reference for the row."""
    return files.store(AREA, tenant_id, object_id, upload)[0]


def open_file(ref: str) -> tuple[bytes, str, str] | None:
    """The bytes, name and type of a stored reference; None if it is not a stored file."""
    return files.open_stored(AREA, ref)
