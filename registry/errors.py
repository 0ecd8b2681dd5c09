"""Registry-specific user-facing errors (subclasses of :class:`common.errors.KerjasamaError`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from common.errors import KerjasamaError
from common.text import render, t


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


@dataclass(frozen=True)
class Lines:
    """Several messages, one per line (at most ``limit``), rendered in the reader's language."""

    items: Sequence[object]
    limit: int = 50

    def render(self, lang: str | None = "en") -> str:
        lines = [f"  {render(item, lang)}" for item in self.items[: self.limit]]
        if len(self.items) > self.limit:
            lines.append(t("errors.registry.more_problems", lang, n=len(self.items) - self.limit))
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.render("en")
