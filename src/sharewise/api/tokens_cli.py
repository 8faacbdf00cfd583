"""`sharewise token create USERNAME [--name NAME]` and `sharewise token revoke USERNAME
--name NAME`: API tokens from the command line.

Django is imported inside `run`, never at module level: `sharewise.cli` builds this
parser for every command, and `sharewise decide` must never import Django.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from typing import Any

EXIT_BAD_INPUT = 2


def add_parser(sub: Any, handler: Callable[[argparse.Namespace], int]) -> None:
    p = sub.add_parser("token", help="create or revoke tokens for the JSON API")
    p.set_defaults(func=handler)
    token_sub = p.add_subparsers(dest="action", metavar="SUBCOMMAND", required=True)
    q = token_sub.add_parser(
        "create", help="make a token for a user and print it (it is shown only this once)"
    )
    q.add_argument("username")
    q.add_argument("--name", default="", help="what the token is for, to tell tokens apart")
    q = token_sub.add_parser("revoke", help="stop a user's tokens of that name working")
    q.add_argument("username")
    q.add_argument("--name", required=True, help="the name given when the token was made")


def _django_setup() -> None:
    import django
    from django.apps import apps
    from django.conf import settings

    # Sharewise's settings are forced, as `sharewise manage` forces them, unless Django is
    # already set up in this process (the test suite calls `sharewise.cli.main` directly,
    # and setting up again would reconfigure its logging).
    if apps.ready:
        return
    if not settings.configured:
        from sharewise.server import SETTINGS_MODULE

        os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS_MODULE
    django.setup()


def run(args: argparse.Namespace) -> int:
    _django_setup()
    from sharewise.common import ServiceError

    from .services import api_token_create_for_username, api_token_revoke_by_name

    try:
        if args.action == "revoke":
            count = api_token_revoke_by_name(username=args.username, name=args.name)
            if not count:
                raise ServiceError(
                    f"{args.username} has no working token called {args.name!r}", field="name"
                )
            print(f"Revoked {count} token{'s' if count > 1 else ''}.", file=sys.stderr)
            return 0
        _, token = api_token_create_for_username(username=args.username, name=args.name)
    except ServiceError as exc:
        print(f"sharewise token: {exc.message}", file=sys.stderr)
        return EXIT_BAD_INPUT
    # The token alone on stdout, so that a script can capture it: `TOKEN=$(sharewise ...)`.
    print(token)
    return 0
