"""The editors' command line: ``python -m tcsite check|status|new|guide``."""

from __future__ import annotations

import argparse
import sys

from tcsite import check, guide, scaffold, status

COMMANDS = {
    "check": (check, "check every content file (or the given ones) and print each problem"),
    "status": (status, "show which translations are missing, stale or up to date"),
    "new": (scaffold, "create a new post, course or page in every language"),
    "guide": (guide, "print (or --write) the field reference of CONTRIBUTING.md from the schema"),
}


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="python -m tcsite", description="Tools for the editors of the site.")
    commands = main.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (module, text) in COMMANDS.items():
        sub = commands.add_parser(name, help=text, description=(module.__doc__ or text).strip().splitlines()[0])
        module.add_arguments(sub)
        sub.set_defaults(run=module.run)
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
