"""User-facing errors, raised by every layer and rendered in the user's language.

Every problem with the user's input is a :class:`KerjasamaError` carrying a catalogue key and
parameters (see :mod:`common.text`); the message names the file, the row or feature, and the fix.
The command line prints ``err.render(lang)`` (no traceback) and exits with
:attr:`KerjasamaError.exit_code`; the app shows it in an error box as plain text.
``str(err)`` is the English message, for logs and library users.
"""

from __future__ import annotations

from collections.abc import Callable

from common.text import _map_text, _text


class KerjasamaError(Exception):
    """A problem the user can fix.

    Parameters
    ----------
    key
        Catalogue key of the message, e.g. ``"errors.boundaries.truncated"``.
    exit_code
        Exit status for the command line: 2 = unusable input, 1 = problems that still allow work.
    **params
        Values for the message template (file names, rows, codes, counts...).
    """

    exit_code: int = 2

    def __init__(self, key: str, /, *, exit_code: int | None = None, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params
        if exit_code is not None:
            self.exit_code = exit_code

    surface_aware = True

    def render(self, lang: str | None = "en", surface: str = "cli") -> str:
        """The message in ``lang``; settings it offers are named as on ``surface``
        (``"cli"``: command-line flags, ``"app"``: the app's form fields)."""
        return _text(self.key, lang, surface, self.params)

    def with_text(self, fn: Callable[[str], str]) -> KerjasamaError:
        """A copy with ``fn`` applied to every text parameter (e.g. temporary paths → names)."""
        params = {k: _map_text(v, fn) for k, v in self.params.items()}
        return type(self)(self.key, exit_code=self.exit_code, **params)

    def __reduce__(self):  # keep key and parameters through pickling
        return (_rebuild, (type(self), self.key, self.exit_code, self.params))

    def __str__(self) -> str:
        return self.render("en")


def _rebuild(cls, key, exit_code, params):
    return cls(key, exit_code=exit_code, **params)


class InputError(KerjasamaError):
    """An input file or option cannot be used as it is (unreadable, wrong CRS, duplicates...)."""


class MissingDataError(KerjasamaError):
    """A data file or folder the command needs is not there."""
