"""Code -> words, the one way: a stored code (a status, a channel, a kind) is never shown raw.

A module declares its table once, with msgids marked by `i18n.lazy`, and pages, exports and
the API's display fields read it through the same `Labels`. A pack's entries (grounds,
channels, customer kinds) come as `{code: {"zh_CN": ..., "en": ...}}` or as msgids; both
are handled here so no module writes its own lookup.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from kefu import i18n

# Shown for a code the table does not know (data from an older pack, say): a dash, never
# the internal code, which means nothing to the people reading the page.
UNKNOWN = "—"


class Labels(Mapping[str, str]):
    """A table of codes and their msgids (or per-locale words); `labels(code)` translates."""

    def __init__(self, table: Mapping[str, str | Mapping[str, str]], *, unknown: str = UNKNOWN) -> None:
        self._table = dict(table)
        self._unknown = unknown

    def __call__(self, code: str | None) -> str:
        if code is None or code == "":
            return ""
        entry = self._table.get(code)
        if entry is None:
            return self._unknown
        if isinstance(entry, Mapping):
            locale = i18n.current_locale()
            return entry.get(locale) or entry.get("zh_CN") or next(iter(entry.values()), self._unknown)
        return i18n.gettext(entry)

    def __getitem__(self, code: str) -> str:
        if code not in self._table:
            raise KeyError(code)
        return self(code)

    def __iter__(self) -> Iterator[str]:
        return iter(self._table)

    def __len__(self) -> int:
        return len(self._table)

    def options(self) -> list[tuple[str, str]]:
        """(code, words) pairs in the table's order, for a select or a filter."""
        return [(code, self(code)) for code in self._table]


# What the audit trail's codes mean, declared by the module that writes them (at import, like
# its actors): an action ("complaint.accept") and an object type ("complaint"). The audit pages
# read these; a code nobody declared shows as its object's words and "changed", or "Other
# change", never raw.
AUDIT_ACTIONS: list[Labels] = []
AUDIT_OBJECTS: dict[str, str] = {}
OTHER_CHANGE = i18n.lazy("Other change")
CHANGED = i18n.lazy("%(object)s changed")


def declare_audit(actions: Labels | None = None, objects: Mapping[str, str] | None = None) -> None:
    """A module's audit words: its action labels, and object type -> msgid."""
    if actions is not None and actions not in AUDIT_ACTIONS:
        AUDIT_ACTIONS.append(actions)
    AUDIT_OBJECTS.update(objects or {})


def _object_of(code: str) -> str | None:
    head = code.split(".", 1)[0]
    return AUDIT_OBJECTS.get(head) or AUDIT_OBJECTS.get(head.rstrip("s"))


def audit_action(code: str | None) -> str:
    """An audit event's action in words."""
    if not code:
        return ""
    for table in AUDIT_ACTIONS:
        if code in table:
            return table(code)
    found = _object_of(code)
    return i18n.gettext(CHANGED, object=i18n.gettext(found)) if found else i18n.gettext(OTHER_CHANGE)


def audit_object(object_type: str | None, reference: str = "") -> str:
    """An audit event's object in words, with the reference people use ("投诉 TS2026-000004");
    never the internal id."""
    if not object_type:
        return ""
    found = AUDIT_OBJECTS.get(object_type)
    words = i18n.gettext(found) if found else UNKNOWN
    return f"{words} {reference}".strip()
