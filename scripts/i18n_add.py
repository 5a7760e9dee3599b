"""Append translations to one module catalog in both languages.

    .venv/bin/python scripts/i18n_add.py surveys_core < pairs.tsv

Each input line is `English msgid<TAB>Chinese text`. The msgid goes to
src/kefu/locale/en/LC_MESSAGES/<name>.po (msgstr = msgid) and the Chinese to the zh_CN file;
a msgid already in that file is left as it is. `pytest tests/core/test_i18n.py` lists what is missing.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import escape, read_po

LOCALE_DIR = Path(__file__).resolve().parents[1] / "src" / "kefu" / "locale"


def _existing(path: Path, locale: str) -> set[str]:
    with path.open("rb") as fh:
        return {m.id for m in read_po(fh, locale=locale) if isinstance(m.id, str) and m.id}


def main() -> None:
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    name = sys.argv[1]
    pairs = []
    for number, line in enumerate(sys.stdin.read().splitlines(), 1):
        if not line.strip():
            continue
        if line.count("\t") != 1:
            raise SystemExit(f"line {number}: expected `msgid<TAB>translation`: {line!r}")
        pairs.append(tuple(part.strip() for part in line.split("\t")))
    for locale in ("zh_CN", "en"):
        path = LOCALE_DIR / locale / "LC_MESSAGES" / f"{name}.po"
        if not path.exists():
            raise SystemExit(f"{path} does not exist; copy the header of another module catalog")
        have = _existing(path, locale)
        with path.open("a", encoding="utf-8") as fh:
            for msgid, zh in pairs:
                if msgid in have:
                    continue
                have.add(msgid)
                fh.write(f"\nmsgid {escape(msgid)}\nmsgstr {escape(zh if locale == 'zh_CN' else msgid)}\n")


if __name__ == "__main__":
    main()
