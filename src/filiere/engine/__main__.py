"""Command-line interface: ``python -m filiere.engine <command> ...`` (docs/engine/cli.md)."""

import sys

from filiere.engine.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
