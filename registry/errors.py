"""Registry-specific user-facing errors (subclasses of :class:`common.errors.KerjasamaError`)."""

from __future__ import annotations

from common.errors import InputError, KerjasamaError
from common.text import t


class LoginRequired(KerjasamaError):
    """A write without a valid editor login (app) or local access (command line)."""

    exit_code = 2


class EditConflict(KerjasamaError):
    """Someone saved the agreement since it was loaded: this save is refused, nothing changed.

    ``unsaved`` holds the refused changes so that the caller can show them again.
    """

    exit_code = 2

    def __init__(self, key: str, /, *, unsaved: dict | None = None, **params: object) -> None:
        super().__init__(key, **params)
        self.unsaved = dict(unsaved or {})


class RowError(InputError):
    """A problem in one row of an imported file: wraps the field's error with file and row."""

    def __init__(self, inner: KerjasamaError, *, file: object, row: int) -> None:
        super().__init__("errors.registry.row", file=file, row=row)
        self.inner = inner

    def render(self, lang: str | None = "en") -> str:
        return t(self.key, lang, problem=self.inner.render(lang), **self.params)
