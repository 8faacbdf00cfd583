"""`sharewise keys list`, `sharewise keys rotate` and `sharewise keys rotate --retire-old`:
the keys that encrypt free-text fields (docs/decisions/0009-field-encryption.md).

Django is imported inside `run`, never at module level: `sharewise.cli` builds this parser
for every command, and `sharewise decide` must never import Django.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

EXIT_OK = 0
EXIT_BAD_INPUT = 2


def add_parser(sub: Any, handler: Callable[[argparse.Namespace], int]) -> None:
    p = sub.add_parser("keys", help="list or rotate the keys that encrypt free-text fields")
    p.set_defaults(func=handler)
    keys_sub = p.add_subparsers(dest="action", metavar="SUBCOMMAND", required=True)
    keys_sub.add_parser("list", help="each key's id, when it was made, how many values use it")
    q = keys_sub.add_parser(
        "rotate",
        help="add a key and re-encrypt every value under it, in batches, while the service runs",
    )
    q.add_argument(
        "--retire-old",
        action="store_true",
        help="add no key: remove the keys no value uses any more (refused while one does)",
    )


def _django_setup() -> None:
    from django.apps import apps

    # The test suite calls `sharewise.cli.main` with Django already set up on its own
    # settings; setting it up again would reconfigure its logging.
    if apps.ready:
        return
    from sharewise.server import django_setup

    django_setup()


def run(args: argparse.Namespace) -> int:
    _django_setup()
    from sharewise.common import ServiceError

    from .keyring import FieldKeyError

    try:
        if args.action == "list":
            return _list()
        if args.retire_old:
            return _retire()
        return _rotate()
    except (ServiceError, FieldKeyError) as exc:
        print(f"sharewise keys: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT


def _list() -> int:
    from .keyring import KEYRING
    from .rotation import key_usage, values_not_bound_to_row

    usage = key_usage()
    keys = KEYRING.keys()
    for key in keys:
        role = "  (encrypts new values)" if key is keys[-1] else ""
        print(f"{key.id}  created {key.created}  {usage[key.id]} values{role}")
    unknown = sorted(set(usage) - {k.id for k in keys})
    for key_id in unknown:
        # A value under a key the keyring has lost cannot be read: say so loudly.
        print(f"{key_id}  NOT IN THE KEYRING  {usage[key_id]} values cannot be decrypted")
    unbound = values_not_bound_to_row()
    if unbound:
        # Written before values were bound to their row (ADR 19): rotation rewrites them.
        print(f"{unbound} values name no row yet: run `sharewise keys rotate` to bind them")
    return EXIT_OK


def _rotate() -> int:
    from .rotation import keys_rotate

    key, counts = keys_rotate()
    print(f"new key {key.id} encrypts from now on; values re-encrypted under it:")
    for column, count in counts.items():
        print(f"  {column}: {count}")
    return EXIT_OK


def _retire() -> int:
    from .rotation import keys_retire_old

    retired = keys_retire_old()
    if retired:
        print("retired keys: " + ", ".join(retired))
    else:
        print("no old keys to retire")
    return EXIT_OK
