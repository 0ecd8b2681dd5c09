"""User-facing errors.

Every problem with the user's input is raised as a :class:`KerjasamaError` whose message names
the file, the row or feature, and the fix. The command line prints the message (no traceback)
and exits with :attr:`KerjasamaError.exit_code`; the app shows it in an error box.
"""

from __future__ import annotations


class KerjasamaError(Exception):
    """A problem the user can fix; ``str(err)`` is the full message.

    Parameters
    ----------
    message
        What is wrong, where (file, row, feature, code) and how to fix it.
    exit_code
        Exit status for the command line: 2 = unusable input, 1 = problems that still allow work.
    """

    exit_code: int = 2

    def __init__(self, message: str, *, exit_code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if exit_code is not None:
            self.exit_code = exit_code

    def __str__(self) -> str:
        return self.message


class InputError(KerjasamaError):
    """An input file cannot be used as it is (unreadable, wrong CRS, duplicate codes, ...)."""


class MissingDataError(KerjasamaError):
    """A data file or folder the command needs is not there."""
