"""`sharewise demo users` and `sharewise demo load`.

Imported by cli.py only when one of these runs. Django is set up inside `run`, never at
import, in the same way as `sharewise manage` (server.py), so that `sharewise decide` never
pays for it.
"""

from __future__ import annotations

import argparse
import json
import sys

EXIT_FAILED = 1
EXIT_REFUSED = 2


def run(args: argparse.Namespace) -> int:
    from sharewise.server import django_setup

    django_setup()
    from django.db import DatabaseError

    try:
        if args.demo_command == "load":
            return _load()
        return _users(as_json=args.json)
    except DatabaseError as exc:
        print(
            f"sharewise: cannot read the database ({exc}). Run `sharewise serve` once, or "
            "`sharewise manage migrate`, to set it up.",
            file=sys.stderr,
        )
        return EXIT_FAILED


def _users(*, as_json: bool) -> int:
    from django.conf import settings

    from sharewise.accounts.selectors import demo_accounts_list, demo_mode_is_on

    accounts = demo_accounts_list()
    if as_json:
        print(json.dumps([account.as_json() for account in accounts], indent=2))
        return 0
    if not accounts:
        print("There are no demo accounts in this database.")
        if not demo_mode_is_on():
            print("Demo mode is off (SHAREWISE_DEMO), so `sharewise serve` will not load them.")
        return 0
    headings = ("username", "role", "agency")
    rows = [(a.username, a.role_label, a.agency) for a in accounts]
    widths = [max(len(row[i]) for row in (headings, *rows)) for i in range(len(headings))]
    for row in (headings, *rows):
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )
    if demo_mode_is_on():
        print(f"\nEvery demo account's password is {settings.SHAREWISE_DEMO_PASSWORD}")
    return 0


def _load() -> int:
    from sharewise.accounts.demo import DEMO_USERS, demo_load_if_empty
    from sharewise.accounts.selectors import demo_mode_is_on

    if not demo_mode_is_on():
        print(
            "sharewise: demo mode is off (SHAREWISE_DEMO), so the demo partnership, with its "
            "published password, is not loaded.",
            file=sys.stderr,
        )
        return EXIT_REFUSED
    if demo_load_if_empty():
        print(f"Loaded the demo partnership: {len(DEMO_USERS)} accounts.")
    else:
        print("The database already has agencies, so the demo partnership was not loaded.")
    return 0
