"""The ``kerjasama`` command line.

Sub-commands live in :mod:`kerjasama.commands`; this module only builds the parser and turns
user-facing errors into a message on stderr and an exit status (never a traceback; set
``KERJASAMA_DEBUG=1`` to see one for an unexpected failure).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from kerjasama import __version__
from kerjasama.commands import COMMANDS
from kerjasama.errors import KerjasamaError


def build_parser() -> argparse.ArgumentParser:
    """Return the top-level parser with every available sub-command registered."""
    parser = argparse.ArgumentParser(
        prog="kerjasama",
        description="Find where neighbouring kabupaten/kota should cooperate on public services.",
    )
    parser.add_argument("--version", action="version", version=f"kerjasama {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"kerjasama.commands.{name}")
        except ModuleNotFoundError as err:  # a command not built yet
            if err.name == f"kerjasama.commands.{name}":
                continue
            raise
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except KerjasamaError as err:
        print(f"kerjasama {args.command}: {err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as err:  # unexpected: a short message, a traceback only on request
        if os.environ.get("KERJASAMA_DEBUG"):
            raise
        print(
            f"kerjasama {args.command}: unexpected error: {type(err).__name__}: {err}\n"
            "This is a bug in kerjasama, not in your data. Run again with KERJASAMA_DEBUG=1 "
            "and report the output.",
            file=sys.stderr,
        )
        return 3


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
