"""Errors a user can act on: they name the field and carry a msgid translated at render time."""

from __future__ import annotations

from litestar.exceptions import ClientException

from kefu import i18n


class FieldError(ValueError):
    def __init__(self, field: str, message: str, **variables: object) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
        self.variables = variables

    def translated(self) -> str:
        return i18n.gettext(self.message, **self.variables)

    def translated_all(self) -> dict[str, str]:
        """Every field's message, translated, as a form shows them."""
        return {self.field: self.translated()}


class FieldErrors(FieldError):
    """Every bad field of one input at once; caught as a FieldError it names the first."""

    def __init__(self, errors: dict[str, FieldError]) -> None:
        first = next(iter(errors.values()))
        super().__init__(first.field, first.message, **first.variables)
        self.errors = errors

    def translated_all(self) -> dict[str, str]:
        return {name: error.translated() for name, error in self.errors.items()}


class FormErrors(ValueError):
    """Several field errors at once, as a form shows them."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(", ".join(errors))
        self.errors = errors


class Refused(Exception):
    """An action the rules do not allow now (HTTP 409). `code` is stable (the API answers with it,
    tests match it); `message` is the msgid the page shows, translated at render time. Nobody
    matches English text to find out why."""

    status_code = 409

    def __init__(self, code: str, message: str, **variables: object) -> None:
        super().__init__(code)
        self.code = code
        self.message = message
        self.variables = variables

    def translated(self) -> str:
        return i18n.gettext(self.message, **self.variables)


class BadInput(ClientException):
    """A 400 whose detail is already in the user's language (the input gate's refusals): the
    error page and the API show it instead of the generic message."""
