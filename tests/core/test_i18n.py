"""Translations: every msgid the app can show has a zh_CN translation, and formatting follows the locale.

The msgids are extracted the way `pybabel extract -F babel.cfg` would (see babel.cfg), plus the
nav labels of tenants/*/pack.toml and the notice-kind labels of src/kefu/notifications/defaults/. To add a string, add its msgid to both catalogs under
src/kefu/locale/ (messages.po, or a module's own file such as surveys.po: every .po there is read); test_every_msgid_has_a_chinese_translation lists the ones missing.
"""

from __future__ import annotations

import re
import tomllib
from datetime import date
from functools import cache
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_keywords, parse_mapping_cfg
from babel.messages.pofile import escape, read_po

from kefu import i18n

ROOT = Path(__file__).resolve().parents[2]
BABEL_CFG = ROOT / "babel.cfg"

# i18n.lazy marks a msgid where it is defined; FieldError(field, msgid, ...) carries one as its
# second argument, and so does a form reader's fail(field, msgid, ...) that builds a FieldError.
# babel.cfg names these too; they are repeated here so the test stands alone.
KEYWORDS = {**DEFAULT_KEYWORDS, **parse_keywords(["lazy", "FieldError:2", "fail:2"])}

# msgids that reach gettext through a variable, so the extractor cannot see them. Prefer marking
# them with i18n.lazy("...") where they are written; then they need not be listed here.
INDIRECT_MSGIDS = {
    # kefu.accounts.passwords.password_problem, raised as FieldError("password", problem, ...)
    "The password must be at least %(min)s characters long.",
    "The password must be at most %(max)s characters long.",
    # kefu.complaints.schemas.check_new_complaint: a date check's lambda, passed to _Reader.fail
    "The date cannot be in the future.",
}

PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[a-zA-Z]")


def _walk(dirpath: str) -> bool:
    name = Path(dirpath).name
    # Unlike Babel's default, read _underscore folders (templates/_macros).
    return not name.startswith(".") and name not in {"__pycache__", "node_modules"}


def extract_sources() -> dict[str, set[str]]:
    """Every msgid the app can show, with the files it comes from.

    From src/kefu/**.py and templates/**.html as babel.cfg says, plus the TOML labels.
    """
    with BABEL_CFG.open(encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh, str(BABEL_CFG))
    sources: dict[str, set[str]] = {}
    for filename, _line, message, _comments, _context in extract_from_dir(
        ROOT, method_map, options_map, keywords=KEYWORDS, directory_filter=_walk
    ):
        # ngettext's singular and plural are looked up as two plain msgids (kefu.i18n.ngettext).
        for text in message if isinstance(message, tuple) else (message,):
            if text:
                sources.setdefault(text, set()).add(filename)
    for pack in sorted(ROOT.glob("tenants/*/pack.toml")):
        data = tomllib.loads(pack.read_text(encoding="utf-8"))
        for item in data.get("nav", []):
            if item.get("label"):
                sources.setdefault(item["label"], set()).add(str(pack.relative_to(ROOT)))
    for kind in sorted(ROOT.glob("src/kefu/notifications/defaults/*.toml")):
        # A notice kind's label is a msgid (kefu.notifications.shipped.kind_label).
        label = tomllib.loads(kind.read_text(encoding="utf-8")).get("label")
        if label:
            sources.setdefault(label, set()).add(str(kind.relative_to(ROOT)))
    for msgid in INDIRECT_MSGIDS:
        sources.setdefault(msgid, set()).add("INDIRECT_MSGIDS")
    return sources


def extract_msgids() -> set[str]:
    """Every msgid the app can show: src/kefu/**.py, templates/**.html and TOML labels."""
    return set(extract_sources())


@cache
def po_entries(locale: str) -> dict[str, str]:
    entries: dict[str, str] = {}
    for path in i18n.catalog_files(locale):
        with path.open("rb") as fh:
            catalog = read_po(fh, locale=locale)
        entries.update({m.id: m.string for m in catalog if m.id and isinstance(m.id, str)})
    return entries


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def test_extraction_finds_msgids_of_every_kind() -> None:
    msgids = extract_msgids()
    assert "Sign in" in msgids  # template
    assert "Your form has expired. Reload the page and try again." in msgids  # i18n.lazy
    assert "Enter a name." in msgids  # FieldError(field, msgid)
    assert "Audit log" in msgids  # pack nav label
    assert "Pages" in msgids  # templates/_macros
    assert "name" not in msgids and "email" not in msgids  # FieldError's field is not a msgid


def test_every_msgid_has_a_chinese_translation() -> None:
    zh = po_entries("zh_CN")
    missing = sorted(m for m in extract_msgids() if not zh.get(m, "").strip())
    assert not missing, (
        f"{len(missing)} msgid(s) have no zh_CN translation; add each to "
        "src/kefu/locale/zh_CN/LC_MESSAGES/messages.po and src/kefu/locale/en/LC_MESSAGES/messages.po:\n"
        + "\n".join(f'msgid {escape(m)}\nmsgstr ""\n' for m in missing)
    )


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_a_msgid_in_two_catalogs_has_one_translation(locale: str) -> None:
    # The catalogs are merged into one, later files winning: a module re-translating a shared
    # msgid ("Owner": 业主 of a flat, 负责人 of an action) would silently change other pages.
    first: dict[str, tuple[str, str]] = {}
    differ = []
    for path in i18n.catalog_files(locale):
        with path.open("rb") as fh:
            entries = [m for m in read_po(fh, locale=locale) if isinstance(m.id, str) and m.id and m.string]
        for m in entries:
            where, text = first.setdefault(m.id, (path.name, m.string))
            if text != m.string:
                differ.append(f"  {m.id!r}: {where} {text!r}, {path.name} {m.string!r}")
    assert not differ, "give the new meaning its own msgid:\n" + "\n".join(differ)


def test_chinese_translations_keep_the_placeholders() -> None:
    wrong = {
        msgid: text
        for msgid, text in po_entries("zh_CN").items()
        if text and placeholders(msgid) != placeholders(text)
    }
    assert not wrong, "placeholders differ between msgid and zh_CN msgstr:\n" + "\n".join(
        f"  {m!r} -> {t!r}" for m, t in sorted(wrong.items())
    )


def test_chinese_translations_format_like_their_msgids() -> None:
    # Templates always apply `% variables`, so a stray % in a translation breaks the page.
    broken = []
    for msgid, text in po_entries("zh_CN").items():
        values = {name: "x" for name in re.findall(r"%\((\w+)\)", msgid)}
        try:
            msgid % values
        except (KeyError, ValueError, TypeError):
            continue  # the msgid itself is not a format string; nothing to compare
        try:
            text % values
        except (KeyError, ValueError, TypeError) as exc:
            broken.append(f"  {msgid!r} -> {text!r}: {exc!r}")
    assert not broken, "zh_CN translations that do not format:\n" + "\n".join(broken)


def test_template_msgids_survive_jinja_formatting() -> None:
    # Jinja's newstyle gettext always applies `% variables`, even with none: a bare % in a
    # template msgid ("Change %") breaks the page; write %% or reword.
    broken = []
    for msgid, files in sorted(extract_sources().items()):
        templates = sorted(f for f in files if f.endswith(".html"))
        if not templates:
            continue
        try:
            msgid % {name: "x" for name in re.findall(r"%\((\w+)\)", msgid)}
        except (KeyError, ValueError, TypeError) as exc:
            broken.append(f"  {msgid!r} in {', '.join(templates)}: {exc!r}")
    assert not broken, "template msgids that are not valid %-format strings:\n" + "\n".join(broken)


def test_english_catalog_has_every_msgid() -> None:
    en = po_entries("en")
    missing = sorted(m for m in extract_msgids() if m not in en)
    assert not missing, (
        "add these msgids to src/kefu/locale/en/LC_MESSAGES/messages.po "
        "(msgstr may equal the msgid):\n"
        + "\n".join(f"msgid {escape(m)}\nmsgstr {escape(m)}\n" for m in missing)
    )


def test_gettext_follows_the_current_locale() -> None:
    with i18n.using_locale("zh_CN"):
        assert i18n.gettext("Sign in") == "登录"
        assert i18n.gettext("Sign out") == "退出登录"
        assert i18n.gettext("Tenant %(name)s created.", name="平安") == "租户“平安”已创建。"
        assert i18n.gettext("Not a msgid at all") == "Not a msgid at all"
    with i18n.using_locale("en"):
        assert i18n.gettext("Sign in") == "Sign in"
        assert i18n.gettext("Tenant %(name)s created.", name="Acme") == "Tenant Acme created."
    with i18n.using_locale("fr"):  # unknown locales fall back to Chinese
        assert i18n.gettext("Sign in") == "登录"


def test_dates_follow_the_locale() -> None:
    with i18n.using_locale("zh_CN"):
        assert "2026年" in i18n.fmt_date(date(2026, 10, 1))
        assert i18n.fmt_date(date(2026, 10, 1)) == "2026年10月1日"
    with i18n.using_locale("en"):
        assert i18n.fmt_date(date(2026, 10, 1)) == "Oct 1, 2026"
    assert i18n.fmt_date(None) == ""


def test_numbers_are_grouped() -> None:
    for locale in i18n.LOCALES:
        with i18n.using_locale(locale):
            assert i18n.fmt_number(1234567) == "1,234,567"
