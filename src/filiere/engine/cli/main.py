"""Dispatch ``python -m filiere.engine <command>`` to one module per command.

Every command module exposes ``add_arguments(parser)`` and ``run(args) -> dict``: the dict is the
JSON summary printed on stdout. Bad input raises ``InputError`` (file, line, field, message), which
is printed as a clear message on stderr with exit code 2, never as a traceback.
"""

import argparse
import importlib
import json
import sys
from collections.abc import Sequence

from filiere.engine.cli.errors import InputError

COMMANDS = {
    "affinity": "filiere.engine.cli.affinity",
    "assign": "filiere.engine.cli.assign",
    "calibrate": "filiere.engine.cli.calibrate",
    "de-minimis": "filiere.engine.cli.de_minimis",
    "schedule": "filiere.engine.cli.schedule",
    "select": "filiere.engine.cli.select",
    "spend": "filiere.engine.cli.spend",
    "tranches": "filiere.engine.cli.tranches",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m filiere.engine",
        description="Filière decision engine on plain CSV/JSON files.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, module_name in COMMANDS.items():
        module = importlib.import_module(module_name)
        command_parser = sub.add_parser(name, help=(module.__doc__ or "").strip().splitlines()[0])
        module.add_arguments(command_parser)
        command_parser.set_defaults(_module=module)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        summary = args._module.run(args)
    except InputError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(json.dumps(summary, ensure_ascii=False, sort_keys=True))
    return 0
