"""`sharewise decisions replay`: replay every signed decision under the pack files shipped
now and list any whose answers no longer give what was signed.

A signed decision is shown from the record kept when it was signed, so an edited pack file
never changes what a record says; this command is how anyone finds out that one was
edited (by mistake, or by a release that changed the guidance) and which records it
touches. Exit status 0 when every signed decision replays identically, 1 when any differs,
2 when the database cannot be read.

Django is imported inside `run`, never at module level: `sharewise.cli` builds this parser
for every command, and `sharewise decide` must never import Django.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

EXIT_OK = 0
EXIT_DIFFERENT = 1
EXIT_BAD_INPUT = 2


def add_parser(sub: Any, handler: Callable[[argparse.Namespace], int]) -> None:
    p = sub.add_parser("decisions", help="check signed decisions against the packs shipped")
    p.set_defaults(func=handler)
    decisions_sub = p.add_subparsers(dest="action", metavar="SUBCOMMAND", required=True)
    decisions_sub.add_parser(
        "replay",
        help="replay every signed decision; list those the packs shipped now decide differently",
    )


def run(args: argparse.Namespace) -> int:
    from sharewise.audit.audit_cli import _django_setup

    _django_setup()
    from django.db import DatabaseError

    from .selectors import decisions_replay_all

    try:
        replayed = 0
        different = 0
        for decision, differences in decisions_replay_all():
            replayed += 1
            if differences:
                different += 1
                print(
                    f"decision {decision.pk} version {decision.version} ({decision.pack_id} "
                    f"{decision.pack_version}): " + "; ".join(differences)
                )
    except DatabaseError as exc:
        print(f"sharewise decisions: cannot read the decisions: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if different:
        print(f"{different} of {replayed} signed decisions do not replay identically")
        return EXIT_DIFFERENT
    print(f"ok: {replayed} signed decisions replay identically under the packs shipped")
    return EXIT_OK
