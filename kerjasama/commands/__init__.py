"""One module per ``kerjasama`` sub-command.

Each module defines ``register(subparsers)``, which adds its parser and sets
``func=run`` where ``run(args) -> int`` returns the exit status. Modules hold argument wiring
only; the work is done by ``geo`` and ``analysis`` functions.
"""

COMMANDS = ("adjacency", "validate", "sectors", "suggest", "brief", "backtest", "registry")
