"""The ``kerjasama`` command line.

Sub-commands live in :mod:`kerjasama.commands`; this module only builds the parser and turns
user-facing errors into a message on stderr and an exit status (never a traceback; set
``KERJASAMA_DEBUG=1`` to see one for an unexpected failure).

Every message, error, output and help text is in one language: ``--lang id|en`` (before or after
the sub-command), else the ``KERJASAMA_LANG`` environment variable, else Bahasa Indonesia. The
language is read from the arguments before the parser is built, so the help is translated too
(argparse's own words included, see :func:`argparse_language`).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from common.errors import KerjasamaError
from common.text import DEFAULT_LANG, LANGS, t, translator
from kerjasama import __version__
from kerjasama.commands import COMMANDS

LANG_ENV = "KERJASAMA_LANG"

#: argparse's own messages (its gettext ids) and their catalogue keys
_ARGPARSE_KEYS = {
    "usage: ": "cli.argparse.usage",
    "positional arguments": "cli.argparse.positionals",
    "options": "cli.argparse.options",
    "%(prog)s: error: %(message)s\n": "cli.argparse.error",
    "the following arguments are required: %s": "cli.argparse.required",
    "unrecognized arguments: %s": "cli.argparse.unrecognized",
    "invalid choice: %(value)r (choose from %(choices)s)": "cli.argparse.invalid_choice",
    "argument %(argument_name)s: %(message)s": "cli.argparse.argument",
    "expected one argument": "cli.argparse.expected_one",
    "expected at least one argument": "cli.argparse.expected_some",
    "invalid %(type)s value: %(value)r": "cli.argparse.invalid_value",
    "not allowed with argument %s": "cli.argparse.not_allowed",
    "one of the arguments %s is required": "cli.argparse.one_required",
    "ambiguous option: %(option)s could match %(matches)s": "cli.argparse.ambiguous",
}


def choose_lang(argv: Sequence[str] | None = None) -> str:
    """The output language: ``--lang`` in ``argv``, else ``KERJASAMA_LANG``, else ``id``."""
    args = list(sys.argv[1:] if argv is None else argv)
    for i, arg in enumerate(args):
        if arg == "--":
            break
        value = None
        if arg == "--lang" and i + 1 < len(args):
            value = args[i + 1]
        elif arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
        if value in LANGS:
            return value
    env = os.environ.get(LANG_ENV, "").strip().lower()
    return env if env in LANGS else DEFAULT_LANG


@contextmanager
def argparse_language(lang: str) -> Iterator[None]:
    """Within the block, argparse's own words (usage, errors) come from the catalogue."""
    original = argparse._

    def gettext(message: str) -> str:
        key = _ARGPARSE_KEYS.get(message)
        return t(key, lang) if key else original(message)

    argparse._ = gettext
    try:
        yield
    finally:
        argparse._ = original


def _common_options(tr: Callable[..., str], lang: str, *, top: bool) -> argparse.ArgumentParser:
    """``-h`` and ``--lang``, shared by the main parser and every sub-command."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-h", "--help", action="help", help=tr("cli.help"))
    common.add_argument(
        "--lang",
        choices=LANGS,
        default=lang if top else argparse.SUPPRESS,
        help=tr("cli.lang"),
    )
    return common


def chosen_command(argv: Sequence[str] | None = None) -> str | None:
    """The sub-command named in ``argv`` (its first word that is not an option or the value of
    ``--lang``), or ``None`` when that word is not a sub-command, there is none, or the main
    help is asked for before it (``kerjasama -h suggest`` lists every command)."""
    args = list(sys.argv[1:] if argv is None else argv)
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg == "--lang":
            skip = True
        elif arg in ("--", "-h", "--help"):
            return None
        elif not arg.startswith("-"):
            return arg if arg in COMMANDS else None
    return None


def build_parser(lang: str = DEFAULT_LANG, command: str | None = None) -> argparse.ArgumentParser:
    """Return the top-level parser, in ``lang``, with every available sub-command registered, or
    only ``command`` when it is given.

    Each sub-command's module (and what its options need) is imported only when it is
    registered, so that ``kerjasama suggest ...`` never loads the registry's database layer;
    the command's work is imported in its ``run``.
    """
    tr = translator(lang)
    parser = argparse.ArgumentParser(
        prog="kerjasama",
        description=tr("cli.description"),
        add_help=False,
        parents=[_common_options(tr, lang, top=True)],
    )
    parser.add_argument(
        "--version", action="version", version=f"kerjasama {__version__}", help=tr("cli.version")
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    parent = _common_options(tr, lang, top=False)
    for name in COMMANDS if command is None else (command,):
        try:
            module = importlib.import_module(f"kerjasama.commands.{name}")
        except ModuleNotFoundError as err:  # a command not built yet
            if err.name == f"kerjasama.commands.{name}":
                continue
            raise
        module.register(sub, tr, parents=[parent])
    return parser


#: Exit status when the reader of stdout went away (``kerjasama ... | head -1``): 128 + SIGPIPE,
#: what the shell reports for any other command stopped that way.
EXIT_PIPE_CLOSED = 141


def _stdout_closed() -> int:
    """Stop quietly after the reader closed stdout: no traceback, no error at exit."""
    try:  # later flushes (at interpreter exit) go nowhere instead of failing again
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass
    return EXIT_PIPE_CLOSED


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    try:
        status = _run(argv)
        sys.stdout.flush()
        return status
    except BrokenPipeError:
        return _stdout_closed()


def _run(argv: Sequence[str] | None) -> int:
    lang = choose_lang(argv)
    tr = translator(lang)
    with argparse_language(lang):
        parser = build_parser(lang, chosen_command(argv))
        args = parser.parse_args(argv)
        if not getattr(args, "func", None):
            parser.print_help()
            return 2
    args.lang = getattr(args, "lang", lang)
    try:
        return int(args.func(args) or 0)
    except KerjasamaError as err:
        print(tr("cli.error", command=args.command, message=err.render(lang)), file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print(tr("cli.interrupted"), file=sys.stderr)
        return 130
    except BrokenPipeError:
        raise
    except Exception as err:  # unexpected: a short message, a traceback only on request
        if os.environ.get("KERJASAMA_DEBUG"):
            raise
        print(
            tr("cli.unexpected", command=args.command, kind=type(err).__name__, error=str(err)),
            file=sys.stderr,
        )
        return 3


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
