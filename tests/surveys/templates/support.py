"""Helpers for the template tests: the editor form as a browser would post it, read from the
page's own HTML, and an Editor turned into the same fields for the plain-function tests."""

from __future__ import annotations

from html.parser import HTMLParser

from kefu.surveys.schemas.editor import Editor


class _FormReader(HTMLParser):
    """The successful controls of one form (by id): inputs, checked boxes, textareas, the
    selected option of each select. Submit buttons are left out (the test names the action)."""

    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields: dict[str, str] = {}
        self._textarea: str | None = None
        self._select: str | None = None
        self._first_option: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.fields[name] = a.get("value", "on")
            elif kind not in ("submit", "button"):
                self.fields[name] = a.get("value", "") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""
        elif tag == "select" and name:
            self._select, self._first_option = name, None
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._first_option is None:
                self._first_option = value
                self.fields.setdefault(self._select, value)
            if "selected" in a:
                self.fields[self._select] = value

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data


def form_fields(html: str, form_id: str = "template-editor") -> dict[str, str]:
    reader = _FormReader(form_id)
    reader.feed(html)
    return reader.fields


def editor_fields(editor: Editor) -> dict[str, str]:
    """The fields the editor page renders for `editor` (show-if as the earlier card's number)."""
    data = {
        "name": editor.name, "description": editor.description, "intro": editor.intro,
        "thanks": editor.thanks, "min_seconds": editor.min_seconds,
        "straight_line_min": editor.straight_line_min, "one_per": editor.one_per,
    }
    if editor.require_required:
        data["require_required"] = "1"
    n = 0
    keys: list[str] = []
    for i, s in enumerate(editor.sections):
        data |= {f"s{i}.key": s.key, f"s{i}.title": s.title, f"s{i}.title_en": s.title_en,
                 f"s{i}.description": s.description}
        for q in s.questions:
            p = f"q{n}."
            data |= {p + "section": str(i), p + "key": q.key, p + "type": q.type, p + "title": q.title,
                     p + "title_en": q.title_en, p + "help": q.help, p + "options": q.options,
                     p + "rows": q.rows, p + "show_equals": q.show_equals,
                     p + "show_at_least": q.show_at_least, p + "show_at_most": q.show_at_most,
                     p + "max_length": q.max_length, p + "topic": q.topic,
                     p + "show_if": str(keys.index(q.show_if)) if q.show_if in keys else q.show_if}
            for flag in ("required", "allow_other", "in_index"):
                if getattr(q, flag):
                    data[p + flag] = "1"
            keys.append(q.key)
            n += 1
    return data
