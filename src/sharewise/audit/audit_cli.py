"""`sharewise audit verify [--checkpoint FILE]` and `sharewise audit checkpoint [--export
FILE]`: check the audit log's hash chain, and sign its head for keeping elsewhere.

Django is imported inside `run`, never at module level: `sharewise.cli` builds this parser
for every command, and `sharewise decide` must never import Django.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

EXIT_OK = 0
EXIT_BROKEN = 1
EXIT_BAD_INPUT = 2


def add_parser(sub: Any, handler: Callable[[argparse.Namespace], int]) -> None:
    p = sub.add_parser("audit", help="verify the audit log's hash chain, or sign its head")
    p.set_defaults(func=handler)
    audit_sub = p.add_subparsers(dest="action", metavar="SUBCOMMAND", required=True)
    q = audit_sub.add_parser("verify", help="walk the whole chain; exit 1 at the first broken link")
    q.add_argument(
        "--checkpoint",
        metavar="FILE",
        help="an exported checkpoint: its entry must still be in the chain, its signature hold",
    )
    q.add_argument(
        "--workers",
        metavar="N",
        type=_workers,
        default=1,
        help="walk ranges of the chain in N processes, on PostgreSQL (default 1; about one a"
        " free core: each also keeps a database backend busy)",
    )
    q = audit_sub.add_parser(
        "checkpoint", help="sign the chain's head with the server's key and print it as JSON"
    )
    q.add_argument("--export", metavar="FILE", help="also write the checkpoint JSON to FILE")


# More processes than this only queue on the database's cores and its connections.
MAX_WORKERS = 64


def _workers(text: str) -> int:
    try:
        workers = int(text)
    except ValueError:
        workers = 0
    if not 1 <= workers <= MAX_WORKERS:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a number of processes: give a whole number from 1 to {MAX_WORKERS}"
        )
    return workers


def _say(message: str, stream: Any = None) -> None:
    print(message, file=stream or sys.stdout)


# Problems named one by one before the rest are counted: a database rewritten wholesale
# must not print a million lines.
PROBLEMS_NAMED = 20


def _verify(checkpoint_file: str | None, workers: int = 1) -> int:
    from sharewise.guidance.audit_chain import ChainBreak

    from .checkpoints import checkpoint_signature_problem, server_public_key_text
    from .seals import seals_verify
    from .verification import (
        AnchorCheck,
        audit_chain_verify,
        stored_checkpoint_checks,
        stored_checkpoint_problems,
        workers_available,
    )

    anchors: list[AnchorCheck] = []
    document: dict[str, Any] | None = None
    if checkpoint_file is not None:
        try:
            document = json.loads(Path(checkpoint_file).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            _say(
                f"sharewise audit: cannot read the checkpoint {checkpoint_file}: {exc}", sys.stderr
            )
            return EXIT_BAD_INPUT
        if not isinstance(document, dict) or not isinstance(document.get("entry_id"), int):
            _say(f"sharewise audit: {checkpoint_file} is not an exported checkpoint", sys.stderr)
            return EXIT_BAD_INPUT
        anchors.append(AnchorCheck(document["entry_id"], str(document.get("entry_hash"))))
    # The database's own checkpoints are anchors too (issue 17): a chain cut short or
    # rewritten no longer holds what they signed, though nothing outside was given.
    stored = stored_checkpoint_checks()
    if workers > 1 and (why_not := workers_available()) is not None:
        _say(f"sharewise audit: {why_not}", sys.stderr)
    result, checks = audit_chain_verify([*anchors, *(c.anchor for c in stored)], workers=workers)
    if isinstance(result, ChainBreak):
        _say(f"broken: {result.describe()}")
        return EXIT_BROKEN
    # audit_chain_verify puts the head's check first when the chain has a head.
    head_check = checks[0] if len(checks) > len(anchors) + len(stored) else None
    if head_check is not None and head_check.found_hash != head_check.entry_hash:
        _say(
            f"broken: entry {head_check.entry_id}: removed: the chain's head names it, but the "
            "chain no longer holds it (entries were removed from the end)"
        )
        return EXIT_BROKEN
    # Entries after the one the head names were not written by `audit_append`, which moves
    # the head in the same transaction. The head is read again: appends made during the
    # walk moved it on.
    stray = _first_entry_after_head()
    if stray is not None and result.head_id is not None and stray <= result.head_id:
        _say(f"broken: entry {stray}: inserted: it follows the last entry the chain's head names")
        return EXIT_BROKEN
    if document is not None:
        anchor = anchors[0]
        if anchor.found_hash != anchor.entry_hash:
            _say(
                f"broken: entry {anchor.entry_id}: the checkpoint of {document.get('at')} "
                "is no longer in the chain with the hash it signed (the chain was rewritten)"
            )
            return EXIT_BROKEN
        problem = checkpoint_signature_problem(document)
        server_key = server_public_key_text()
        if problem is None and server_key is not None and server_key != document["public_key"]:
            problem = "the checkpoint was signed by a different key from this server's"
        if problem is not None:
            _say(f"broken: {problem}")
            return EXIT_BROKEN
    problems = list(stored_checkpoint_problems(stored, result.head_id))
    # Every record the product calls unchangeable, hashed again against the entry that
    # sealed it; a sealed record with no such entry is how an emptied or shortened log
    # shows when no checkpoint is left to say so.
    sealed: Counter[str] = Counter()
    problems += (p.describe() for p in seals_verify(counts=sealed))
    if problems:
        for problem in problems[:PROBLEMS_NAMED]:
            _say(f"broken: {problem}")
        if len(problems) > PROBLEMS_NAMED:
            _say(f"broken: and {len(problems) - PROBLEMS_NAMED} more")
        return EXIT_BROKEN
    _say(f"ok: {result.count} entries, head {result.head_hash}")
    if document is not None:
        _say(f"checkpoint: entry {document['entry_id']} of {document['at']} holds")
    return EXIT_OK


def _first_entry_after_head() -> int | None:
    from .models import AuditEntry, AuditHead

    head = AuditHead.objects.filter(pk=1).first()
    if head is None:
        return None
    after = AuditEntry.objects.filter(id__gt=head.entry_id or 0).order_by("id")
    first: int | None = after.values_list("id", flat=True).first()
    return first


def _checkpoint(export: str | None) -> int:
    from sharewise.common import ServiceError

    from .checkpoints import audit_checkpoint_create, checkpoint_as_json

    try:
        checkpoint = audit_checkpoint_create()
    except ServiceError as exc:
        _say(f"sharewise audit: {exc.message}", sys.stderr)
        return EXIT_BAD_INPUT
    text = json.dumps(checkpoint_as_json(checkpoint), indent=2) + "\n"
    if export is not None:
        Path(export).write_text(text, encoding="utf-8")
    sys.stdout.write(text)
    return EXIT_OK


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
    from django.db import DatabaseError

    try:
        if args.action == "verify":
            return _verify(args.checkpoint, args.workers)
        return _checkpoint(args.export)
    except DatabaseError as exc:
        # Most often a database not yet migrated; never a traceback at the terminal.
        _say(f"sharewise audit: cannot read the audit log: {exc}", sys.stderr)
        return EXIT_BAD_INPUT
