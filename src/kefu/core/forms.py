"""Reading HTML forms: strings trimmed and length-checked, errors keyed by field."""

from __future__ import annotations

from litestar import Request

from kefu import i18n

# PostgreSQL cannot store or even compare text holding NUL (a 500), and no browser sends one.
# Such a value reaches `data` with U+FFFD in place of each NUL, and text() and choice() report
# its field as invalid.
NUL = "\x00"
REPLACEMENT = "\ufffd"


class Form:
    def __init__(self, data: dict[str, str]) -> None:
        self.invalid = {k for k, v in data.items() if NUL in v}
        self.data = {k: v.replace(NUL, REPLACEMENT) for k, v in data.items()}
        self.errors: dict[str, str] = {}

    @classmethod
    async def read(cls, request: Request) -> Form:
        raw = await request.form()
        return cls({k: v for k, v in raw.items() if isinstance(v, str)})

    def text(self, name: str, *, max_length: int, required: bool = True) -> str:
        value = self.data.get(name, "").strip()
        if name in self.invalid:
            self.errors[name] = i18n.gettext("Enter a valid value.")
        elif required and not value:
            self.errors[name] = i18n.gettext("This field is required.")
        elif len(value) > max_length:
            self.errors[name] = i18n.gettext("At most %(max)s characters.", max=max_length)
        return value

    def choice(self, name: str, choices: set[str] | list[str]) -> str:
        value = self.data.get(name, "").strip()
        if value not in choices or name in self.invalid:
            self.errors[name] = i18n.gettext("Choose a value from the list.")
        return value

    def error(self, name: str, message: str) -> None:
        self.errors[name] = message

    @property
    def ok(self) -> bool:
        return not self.errors
