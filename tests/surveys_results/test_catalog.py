"""The catalogs are merged into one, so the results catalog must neither change another
module's words nor be changed by one: a msgid both use is translated the same in both."""

from __future__ import annotations

from babel.messages.pofile import read_po

from kefu import i18n


def _catalog(path) -> dict[str, str]:
    with path.open("rb") as fh:
        return {m.id: m.string for m in read_po(fh, locale="zh_CN") if m.id and m.string}


def test_results_words_agree_with_every_other_catalog():
    folder = i18n.LOCALE_DIR / "zh_CN" / "LC_MESSAGES"
    ours = _catalog(folder / "surveys_results.po")
    differ = {}
    for path in sorted(folder.glob("*.po")):
        if path.name != "surveys_results.po":
            theirs = _catalog(path)
            differ |= {(path.name, k): (v, theirs[k]) for k, v in ours.items() if k in theirs and theirs[k] != v}
    assert not differ, f"translated differently (ours, theirs): {differ}"
