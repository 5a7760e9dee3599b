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
