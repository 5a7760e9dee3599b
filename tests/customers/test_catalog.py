"""The customer pages' words keep their meaning: the catalogs are merged into one, so a msgid
another module translates differently ("Owner" of an action, 负责人) would silently turn an
业主 into something else."""

from __future__ import annotations

from babel.messages.pofile import read_po

from kefu import i18n


def test_no_other_catalog_overrides_a_customer_translation():
    path = i18n.LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / "customers.po"
    with path.open("rb") as fh:
        ours = {m.id: m.string for m in read_po(fh, locale="zh_CN") if m.id}
    merged = i18n.catalog("zh_CN")
    changed = {k: (v, merged.get(k)) for k, v in ours.items() if merged.get(k) != v}
    assert not changed, f"translated differently elsewhere (ours, shown): {changed}"
