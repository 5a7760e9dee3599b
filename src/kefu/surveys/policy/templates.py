"""What may be done to a survey template: the list's and the editor's buttons come from
`template_actions`. An archived template is kept (rounds made from it keep their own copy) but
is not offered for a new round; archiving and restoring set a flag, so doing either twice is
the same as once.
"""

from __future__ import annotations

from typing import Final

EDIT: Final = "edit"
DUPLICATE: Final = "duplicate"
ARCHIVE: Final = "archive"
RESTORE: Final = "restore"


def template_actions(is_archived: bool, *, can_manage: bool) -> frozenset[str]:
    if not can_manage:
        return frozenset()
    if is_archived:
        return frozenset({EDIT, DUPLICATE, RESTORE})
    return frozenset({EDIT, DUPLICATE, ARCHIVE})
